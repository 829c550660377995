#include <cblas.h> /* apt: libopenblas-dev */

#include "CGemmLoop.h"

void c_sgemm_loop(int m, int n, int k, const float *a, const float *b, float *c, int iterations) {
    for (int i = 0; i < iterations; i++) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f, a, k, b, n, 0.0f, c, n);
    }
}
