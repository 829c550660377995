#include <cblas.h> /* apt: libopenblas-dev (also declares openblas_set_num_threads, openblas_get_config) */
