/*
 * predict — classifies the images of an IDX file with a model saved by `mlp train`, through the
 * SwiftMLP C API, and prints one predicted class label per line (as `mlp predict` does).
 *
 *   gcc -std=c11 -Wall -o predict predict.c $(pkg-config --cflags --libs mlp)
 *   ./predict model.safetensors t10k-images-idx3-ubyte [--proba]
 *
 * The IDX file must be uncompressed (gunzip it first). The pixels are passed RAW (0…255):
 * the library applies the input scaling recorded in the model (`x / 255` for `mlp train`).
 * With --proba, each line is `label,p0,p1,…` (the probabilities in the order of the model's
 * classes), as `mlp predict --probabilities` writes it.
 */
#include <mlp.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reports a failed call with its status name and the library's message, and exits. */
static void check(mlp_status status, const char *what) {
    if (status != MLP_OK) {
        fprintf(stderr, "predict: %s failed: %s: %s\n", what, mlp_status_name(status), mlp_last_error());
        exit(1);
    }
}

static uint32_t big_endian_u32(const unsigned char *bytes) {
    return ((uint32_t)bytes[0] << 24) | ((uint32_t)bytes[1] << 16) | ((uint32_t)bytes[2] << 8) | bytes[3];
}

/* Reads an IDX3 unsigned-byte image file into floats; returns the image count and pixel count. */
static float *read_idx_images(const char *path, size_t *count, size_t *pixels) {
    FILE *file = fopen(path, "rb");
    if (!file) { perror(path); exit(1); }
    unsigned char header[16];
    if (fread(header, 1, sizeof header, file) != sizeof header || big_endian_u32(header) != 0x00000803) {
        fprintf(stderr, "predict: %s is not an uncompressed IDX image file (magic 0x00000803)\n", path);
        exit(1);
    }
    *count = big_endian_u32(header + 4);
    *pixels = (size_t)big_endian_u32(header + 8) * big_endian_u32(header + 12);
    size_t total = *count * *pixels;
    unsigned char *bytes = malloc(total ? total : 1);
    float *values = malloc((total ? total : 1) * sizeof *values);
    if (!bytes || !values) { fprintf(stderr, "predict: out of memory\n"); exit(1); }
    if (fread(bytes, 1, total, file) != total) {
        fprintf(stderr, "predict: %s is truncated: expected %zu images of %zu pixels\n", path, *count, *pixels);
        exit(1);
    }
    fclose(file);
    for (size_t i = 0; i < total; i++) values[i] = (float)bytes[i];
    free(bytes);
    return values;
}

int main(int argc, char **argv) {
    if (argc < 3 || argc > 4 || (argc == 4 && strcmp(argv[3], "--proba") != 0)) {
        fprintf(stderr, "usage: %s MODEL IDX_IMAGES [--proba]\n", argv[0]);
        return 2;
    }
    int with_probabilities = argc == 4;

    mlp_model *model = NULL;
    check(mlp_model_load(argv[1], &model), "mlp_model_load");
    size_t input_count = 0, class_count = 0;
    check(mlp_model_info(model, &input_count, &class_count), "mlp_model_info");

    size_t rows = 0, cols = 0;
    float *x = read_idx_images(argv[2], &rows, &cols);
    fprintf(stderr, "predict: libmlpc %s (kernels %s), model with %zu inputs and %zu classes, %zu images of %zu pixels\n",
            mlp_version(), mlp_kernel_path(), input_count, class_count, rows, cols);

    int32_t *classes = malloc((rows ? rows : 1) * sizeof *classes);
    size_t probability_count = rows * class_count;
    float *probabilities = malloc((probability_count > 0 ? probability_count : 1) * sizeof *probabilities);
    if (!classes || !probabilities) { fprintf(stderr, "predict: out of memory\n"); return 1; }
    /* A wrong column count is reported by the library as MLP_ERROR_SHAPE with a message. */
    check(mlp_model_predict(model, x, rows, cols, classes, rows), "mlp_model_predict");
    check(mlp_model_predict_proba(model, x, rows, cols, probabilities, rows * class_count),
          "mlp_model_predict_proba");

    for (size_t i = 0; i < rows; i++) {
        printf("%d", classes[i]);
        if (with_probabilities) {
            for (size_t j = 0; j < class_count; j++) printf(",%.9g", probabilities[i * class_count + j]);
        }
        printf("\n");
    }

    free(x);
    free(classes);
    free(probabilities);
    check(mlp_model_free(model), "mlp_model_free");
    return 0;
}
