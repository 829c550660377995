/*
 * The C side of the C API holds no code: every function declared in mlp.h is a Swift @_cdecl
 * export in the MLPCAPI target. This file compiles the header as C, so that a header that does
 * not compile breaks the build, and pins the ABI facts C callers rely on.
 */
#include "mlp.h"

_Static_assert(MLP_OK == 0, "MLP_OK must be 0");
_Static_assert(sizeof(mlp_status) == 4, "mlp_status is returned as a 32-bit enum");
_Static_assert(sizeof(mlp_transpose) == 4, "mlp_transpose is passed as a 32-bit enum");
_Static_assert(sizeof(size_t) == 8, "the C API is built for 64-bit platforms");
_Static_assert(sizeof(mlp_model_kind) == 4, "mlp_model_kind is passed as a 32-bit enum");
/* 2.3.0 appended its fields after class_weight. The 2.2.0 struct ended with 4 bytes of padding
 * after class_weight, which old callers never set: no new field may live there, so the first
 * new field (a pointer) starts at the old size, offsetof(class_weight) + 8. */
_Static_assert(offsetof(mlp_train_options, input_scales) == offsetof(mlp_train_options, class_weight) + 8,
               "the 2.3.0 fields start after the 2.2.0 struct's tail padding");
_Static_assert(offsetof(mlp_train_options, standardize) > offsetof(mlp_train_options, input_scaling_count),
               "standardize comes last, after the pointers");
