#include <lapacke.h> /* apt: liblapacke-dev */
