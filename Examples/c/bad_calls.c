/*
 * bad_calls — checks that wrong uses of the SwiftMLP C API return error codes with messages
 * instead of crashing: NULL handles and pointers, wrong sizes, unreadable and corrupt model
 * files, freed handles. Also multiplies two matrices and trains a tiny classifier from memory.
 *
 *   gcc -std=c11 -Wall -o bad_calls bad_calls.c $(pkg-config --cflags --libs mlp)
 *   ./bad_calls [MODEL]      # MODEL: a model saved by `mlp train` (optional)
 *
 * Prints one line per check and "N passed, N failed"; exits 1 if any check failed.
 */
#define _POSIX_C_SOURCE 200809L /* mkstemp, fdopen */
#include <mlp.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int passed = 0, failed = 0;

/* Expects `status` and, for an error, a non-empty message from mlp_last_error(). */
static void expect(const char *what, mlp_status status, mlp_status expected) {
    const char *message = mlp_last_error();
    int ok = status == expected && (expected == MLP_OK ? message[0] == '\0' : message[0] != '\0');
    printf("%s %-58s %s%s%s\n", ok ? "ok  " : "FAIL", what, mlp_status_name(status),
           message[0] ? ": " : "", message);
    if (!ok) fprintf(stderr, "bad_calls: %s: expected %s\n", what, mlp_status_name(expected));
    ok ? passed++ : failed++;
}

static void expect_true(const char *what, int condition) {
    printf("%s %s\n", condition ? "ok  " : "FAIL", what);
    condition ? passed++ : failed++;
}

static void matrices(void) {
    const float a_data[6] = {1, 2, 3, 4, 5, 6};      /* 2 × 3 */
    const float b_data[6] = {7, 8, 9, 10, 11, 12};   /* 3 × 2 */
    mlp_matrix *a = NULL, *b = NULL, *c = NULL, *wrong = NULL;
    expect("mlp_matrix_create 2x3", mlp_matrix_create(2, 3, a_data, &a), MLP_OK);
    expect("mlp_matrix_create 3x2", mlp_matrix_create(3, 2, b_data, &b), MLP_OK);
    expect("mlp_matrix_create 2x2 zeros", mlp_matrix_create(2, 2, NULL, &c), MLP_OK);
    expect("mlp_matrix_create 3x3 zeros", mlp_matrix_create(3, 3, NULL, &wrong), MLP_OK);

    expect("C = A·B", mlp_matrix_multiply(a, MLP_NO_TRANSPOSE, b, MLP_NO_TRANSPOSE, 1, 0, c), MLP_OK);
    float product[4] = {0};
    expect("mlp_matrix_copy_data", mlp_matrix_copy_data(c, product, 4), MLP_OK);
    expect_true("A·B = [58 64; 139 154]",
                product[0] == 58 && product[1] == 64 && product[2] == 139 && product[3] == 154);

    expect("multiply with a NULL handle", mlp_matrix_multiply(NULL, MLP_NO_TRANSPOSE, b, MLP_NO_TRANSPOSE, 1, 0, c),
           MLP_ERROR_NULL_ARGUMENT);
    expect("multiply with a wrong output shape", mlp_matrix_multiply(a, MLP_NO_TRANSPOSE, b, MLP_NO_TRANSPOSE, 1, 0, wrong),
           MLP_ERROR_SHAPE);
    expect("multiply with mismatched inner sizes", mlp_matrix_multiply(a, MLP_NO_TRANSPOSE, a, MLP_NO_TRANSPOSE, 1, 0, c),
           MLP_ERROR_SHAPE);
    expect("multiply with a bad transpose flag", mlp_matrix_multiply(a, (mlp_transpose)5, b, MLP_NO_TRANSPOSE, 1, 0, c),
           MLP_ERROR_INVALID_ARGUMENT);
    expect("copy_data into a buffer of the wrong size", mlp_matrix_copy_data(c, product, 3), MLP_ERROR_SHAPE);
    expect("create with a NULL out pointer", mlp_matrix_create(2, 2, NULL, NULL), MLP_ERROR_NULL_ARGUMENT);
    expect("create with an overflowing size", mlp_matrix_create((size_t)1 << 40, (size_t)1 << 40, NULL, &wrong),
           MLP_ERROR_OUT_OF_MEMORY);
    expect("mlp_matrix_shape of NULL", mlp_matrix_shape(NULL, NULL, NULL), MLP_ERROR_NULL_ARGUMENT);

    expect("mlp_matrix_free", mlp_matrix_free(c), MLP_OK);
    expect("use after free", mlp_matrix_multiply(a, MLP_NO_TRANSPOSE, b, MLP_NO_TRANSPOSE, 1, 0, c),
           MLP_ERROR_INVALID_HANDLE);
    expect("double free", mlp_matrix_free(c), MLP_ERROR_INVALID_HANDLE);
    expect("free NULL", mlp_matrix_free(NULL), MLP_OK);
    expect("a model handle given to mlp_model_free that is a matrix", mlp_model_free((mlp_model *)(void *)a),
           MLP_ERROR_INVALID_HANDLE);
    mlp_matrix_free(a);
    mlp_matrix_free(b);
    mlp_matrix_free(wrong);
}

static void models(const char *model_path) {
    mlp_model *model = NULL;
    expect("load a missing file", mlp_model_load("/nonexistent/model.safetensors", &model), MLP_ERROR_IO);
    expect("load a directory", mlp_model_load("/", &model), MLP_ERROR_IO);
    char corrupt[] = "/tmp/mlp-bad-calls-XXXXXX";
    int descriptor = mkstemp(corrupt);
    FILE *file = descriptor >= 0 ? fdopen(descriptor, "w") : NULL;
    if (!file) { perror("mkstemp"); exit(1); }
    fputs("not a model", file);
    fclose(file);
    expect("load a corrupt file", mlp_model_load(corrupt, &model), MLP_ERROR_FORMAT);
    remove(corrupt);
    expect("load with a NULL path", mlp_model_load(NULL, &model), MLP_ERROR_NULL_ARGUMENT);
    expect_true("no model handle after failed loads", model == NULL);

    float x[4] = {0};
    int32_t classes[2];
    expect("predict with a NULL model", mlp_model_predict(NULL, x, 1, 4, classes, 1), MLP_ERROR_NULL_ARGUMENT);
    if (!model_path) return;

    expect("load the model", mlp_model_load(model_path, &model), MLP_OK);
    size_t inputs = 0, class_count = 0;
    expect("mlp_model_info", mlp_model_info(model, &inputs, &class_count), MLP_OK);
    float *image = calloc(inputs * 2, sizeof *image);
    float *probabilities = calloc(class_count * 2, sizeof *probabilities);
    expect("predict with one column too few", mlp_model_predict(model, image, 2, inputs - 1, classes, 2), MLP_ERROR_SHAPE);
    expect("predict into a too short class buffer", mlp_model_predict(model, image, 2, inputs, classes, 1), MLP_ERROR_SHAPE);
    expect("predict_proba with a wrong out_len",
           mlp_model_predict_proba(model, image, 2, inputs, probabilities, class_count), MLP_ERROR_SHAPE);
    expect("predict with NULL inputs", mlp_model_predict(model, NULL, 2, inputs, classes, 2), MLP_ERROR_NULL_ARGUMENT);
    image[3] = NAN;
    expect("predict a NaN pixel", mlp_model_predict(model, image, 2, inputs, classes, 2), MLP_ERROR_INVALID_ARGUMENT);
    image[3] = 0;
    expect("predict two blank images", mlp_model_predict(model, image, 2, inputs, classes, 2), MLP_OK);
    expect("predict_proba two blank images",
           mlp_model_predict_proba(model, image, 2, inputs, probabilities, 2 * class_count), MLP_OK);
    float sum = 0;
    for (size_t j = 0; j < class_count; j++) sum += probabilities[j];
    expect_true("probabilities sum to 1", fabsf(sum - 1) < 1e-4f);
    expect("save under a regular file", mlp_model_save(model, "/dev/null/model.safetensors"), MLP_ERROR_IO);
    expect("mlp_model_free", mlp_model_free(model), MLP_OK);
    expect("predict after free", mlp_model_predict(model, image, 2, inputs, classes, 2), MLP_ERROR_INVALID_HANDLE);
    free(image);
    free(probabilities);
}

static void training(void) {
    /* XOR-like blobs: class 10 near (40, 40) and (210, 210), class 20 near (40, 210), (210, 40). */
    enum { rows = 64, cols = 2 };
    float x[rows * cols];
    int32_t labels[rows];
    unsigned seed = 12345;
    for (int i = 0; i < rows; i++) {
        int a = i % 2, b = (i / 2) % 2;
        for (int j = 0; j < cols; j++) {
            seed = seed * 1103515245u + 12345u;
            x[i * cols + j] = (j == 0 ? (a ? 210.0f : 40.0f) : (b ? 210.0f : 40.0f)) + (float)((seed >> 16) % 21) - 10.0f;
        }
        labels[i] = a == b ? 10 : 20;
    }
    mlp_train_options options;
    expect("mlp_train_options_init", mlp_train_options_init(&options), MLP_OK);
    size_t hidden[] = {16};
    options.hidden_layer_sizes = hidden;
    options.hidden_layer_count = 1;
    options.learning_rate = 0.05;
    options.max_epochs = 300;
    options.batch_size = 16;
    options.seed = 1;
    options.threads = 1;

    mlp_model *model = NULL;
    expect("train with a NULL out pointer", mlp_train_classifier(x, labels, rows, cols, &options, NULL),
           MLP_ERROR_NULL_ARGUMENT);
    options.learning_rate = -1;
    expect("train with a negative learning rate", mlp_train_classifier(x, labels, rows, cols, &options, &model),
           MLP_ERROR_INVALID_ARGUMENT);
    options.learning_rate = 0.05;
    options.activation = "not-an-activation";
    expect("train with an unknown activation", mlp_train_classifier(x, labels, rows, cols, &options, &model),
           MLP_ERROR_INVALID_ARGUMENT);
    options.activation = "tanh";
    mlp_train_options uninitialised = options;
    uninitialised.struct_size = 0;
    expect("train with options not from mlp_train_options_init",
           mlp_train_classifier(x, labels, rows, cols, &uninitialised, &model), MLP_ERROR_INVALID_ARGUMENT);
    options.distributed = 2;
    expect("train with distributed = 2", mlp_train_classifier(x, labels, rows, cols, &options, &model),
           MLP_ERROR_INVALID_ARGUMENT);
    options.distributed = 1;
    expect("train distributed before MPI_Init", mlp_train_classifier(x, labels, rows, cols, &options, &model),
           MLP_ERROR_INVALID_ARGUMENT);
    options.distributed = 0;
    expect("train a tiny XOR classifier", mlp_train_classifier(x, labels, rows, cols, &options, &model), MLP_OK);
    int32_t predicted[rows];
    expect("predict its training set", mlp_model_predict(model, x, rows, cols, predicted, rows), MLP_OK);
    int correct = 0;
    for (int i = 0; i < rows; i++) correct += predicted[i] == labels[i];
    printf("     training accuracy %d/%d\n", correct, rows);
    expect_true("training accuracy at least 90%", correct * 10 >= rows * 9);
    mlp_model_free(model);
}

int main(int argc, char **argv) {
    printf("libmlpc %s\n", mlp_version());
    matrices();
    models(argc > 1 ? argv[1] : NULL);
    training();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
