#ifndef CGEMMLOOP_H
#define CGEMMLOOP_H

/* C = A·B, `iterations` times, through cblas_sgemm from a C loop: A is m×k, B k×n, C m×n,
   all row-major and contiguous (lda = k, ldb = n, ldc = n), alpha = 1, beta = 0. The baseline
   against which the same calls from Swift are timed. */
void c_sgemm_loop(int m, int n, int k, const float *a, const float *b, float *c, int iterations);

#endif
