#ifndef MLP_PREFETCH_H
#define MLP_PREFETCH_H

/* A hint that `address` will be read soon: fetch its cache line into every cache level. Swift
   has no prefetch instruction of its own; this inline function compiles to one (prefetcht0 on
   x86-64) in the caller. */
static inline void mlp_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
