#include <zlib.h> /* apt: zlib1g-dev */
