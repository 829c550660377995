/*
 * bad_calls — checks that wrong and hostile uses of the SwiftMLP C API return error codes with
 * messages instead of crashing, hanging or corrupting memory: NULL handles and pointers, wrong
 * sizes, sizes that are negative numbers cast to size_t, unreadable, corrupt and special model
 * files (a directory, a FIFO, a device), freed and stale handles, made-up handle values,
 * allocations larger than the process may make, non-finite numbers in and out, and terminal
 * control characters in strings. Also multiplies two matrices and trains tiny classifiers, and
 * (since 2.3.0) regressors and autoencoders, from memory.
 *
 *   gcc -std=c11 -Wall -o bad_calls bad_calls.c $(pkg-config --cflags --libs mlp) -lm
 *   ./bad_calls [MODEL]      # MODEL: a model saved by `mlp train` (optional)
 *
 * The program first lowers its own address-space limit to 4 GiB (as `ulimit -v 4194304` does)
 * when it is higher, so that the allocation checks mean the same on every machine, and arms a
 * 120-second alarm, so that a call that blocks fails the run instead of hanging it.
 * Prints one line per check and "N passed, N failed"; exits 1 if any check failed.
 */
#define _POSIX_C_SOURCE 200809L /* mkstemp, mkdtemp, fdopen, symlink */
#include <mlp.h>

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* Expects the last error message to contain `part`. */
static void expect_message(const char *what, const char *part) {
    expect_true(what, strstr(mlp_last_error(), part) != NULL);
}

/* Expects the last error message to hold no terminal control: no C0 byte, no DEL, no C1 (as UTF-8). */
static void expect_printable(const char *what) {
    const unsigned char *message = (const unsigned char *)mlp_last_error();
    int printable = 1;
    for (size_t i = 0; message[i]; i++) {
        if (message[i] < 0x20 || message[i] == 0x7f) printable = 0;
        if (message[i] == 0xc2 && message[i + 1] >= 0x80 && message[i + 1] <= 0x9f) printable = 0;
    }
    expect_true(what, printable);
}

/* The training set of the XOR-like examples: class `low` near (40, 40) and (210, 210), class
 * `high` near (40, 210) and (210, 40); with `third`, every fifth sample is that class near (125, 125). */
static void xor_data(float *x, int32_t *labels, int rows, int32_t low, int32_t high, int32_t third) {
    unsigned seed = 12345;
    for (int i = 0; i < rows; i++) {
        int a = i % 2, b = (i / 2) % 2, middle = third && i % 5 == 4;
        for (int j = 0; j < 2; j++) {
            seed = seed * 1103515245u + 12345u;
            float center = middle ? 125.0f : (j == 0 ? (a ? 210.0f : 40.0f) : (b ? 210.0f : 40.0f));
            x[i * 2 + j] = center + (float)((seed >> 16) % 21) - 10.0f;
        }
        labels[i] = middle ? third : a == b ? low : high;
    }
}

/* Options for the tiny classifiers: one hidden layer of 16, SGD-free defaults otherwise. */
static mlp_train_options tiny_options(size_t *hidden) {
    mlp_train_options options;
    mlp_train_options_init(&options);
    options.hidden_layer_sizes = hidden;
    options.hidden_layer_count = 1;
    options.learning_rate = 0.05;
    options.max_epochs = 300;
    options.batch_size = 16;
    options.seed = 1;
    options.threads = 1;
    return options;
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

    expect("copy_data with out_len (size_t)-1", mlp_matrix_copy_data(a, product, (size_t)-1), MLP_ERROR_SHAPE);
    expect("create with rows (size_t)-1", mlp_matrix_create((size_t)-1, 2, NULL, &wrong), MLP_ERROR_INVALID_ARGUMENT);
    mlp_matrix *empty = NULL;
    expect("create a 0x3 matrix from NULL", mlp_matrix_create(0, 3, NULL, &empty), MLP_OK);
    expect("copy_data of a 0x3 matrix into NULL, 0", mlp_matrix_copy_data(empty, NULL, 0), MLP_OK);
    expect("set_data of a 0x3 matrix from NULL, 0", mlp_matrix_set_data(empty, NULL, 0), MLP_OK);
    expect("free the 0x3 matrix", mlp_matrix_free(empty), MLP_OK);

    /* Non-finite numbers never enter, and a product that overflows leaves C as it was. */
    const float with_nan[6] = {1, 2, NAN, 4, 5, 6};
    expect("create from data holding a NaN", mlp_matrix_create(2, 3, with_nan, &wrong), MLP_ERROR_INVALID_ARGUMENT);
    expect_message("... names the element", "(row 0, column 2)");
    const float huge[4] = {3e38f, 3e38f, 3e38f, 3e38f};
    expect("set_data holding an infinity", mlp_matrix_set_data(a, (const float[6]){1, 2, INFINITY, 4, 5, 6}, 6),
           MLP_ERROR_INVALID_ARGUMENT);
    expect("multiply with alpha NaN", mlp_matrix_multiply(a, MLP_NO_TRANSPOSE, b, MLP_NO_TRANSPOSE, NAN, 0, c),
           MLP_ERROR_INVALID_ARGUMENT);
    mlp_matrix *big = NULL;
    expect("create a 2x2 matrix of 3e38", mlp_matrix_create(2, 2, huge, &big), MLP_OK);
    expect("C = big·big overflows float32", mlp_matrix_multiply(big, MLP_NO_TRANSPOSE, big, MLP_NO_TRANSPOSE, 1, 0, c),
           MLP_ERROR_INVALID_ARGUMENT);
    expect("copy C after the refused product", mlp_matrix_copy_data(c, product, 4), MLP_OK);
    expect_true("C is unchanged: still A·B",
                product[0] == 58 && product[1] == 64 && product[2] == 139 && product[3] == 154);
    mlp_matrix_free(big);

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

/* A freed handle whose slot the library reused stays invalid, and freeing it again does not
 * free the new object; made-up values and addresses are not handles. */
static void handles(void) {
    const float one[1] = {1}, two[2] = {2, 3};
    mlp_matrix *first = NULL, *second = NULL;
    expect("create a matrix", mlp_matrix_create(1, 1, one, &first), MLP_OK);
    expect("free it", mlp_matrix_free(first), MLP_OK);
    expect("create another (in the freed slot)", mlp_matrix_create(1, 2, two, &second), MLP_OK);
    expect_true("the new handle differs from the freed one", second != first);
    expect("use the stale first handle", mlp_matrix_shape(first, NULL, NULL), MLP_ERROR_INVALID_HANDLE);
    expect("free the stale first handle", mlp_matrix_free(first), MLP_ERROR_INVALID_HANDLE);
    size_t rows = 0, cols = 0;
    float back[2] = {0, 0};
    expect("the second matrix still works", mlp_matrix_shape(second, &rows, &cols), MLP_OK);
    expect("... and copies its data", mlp_matrix_copy_data(second, back, 2), MLP_OK);
    expect_true("... [2 3]", rows == 1 && cols == 2 && back[0] == 2 && back[1] == 3);
    float local = 0;
    expect("free a made-up handle value", mlp_matrix_free((mlp_matrix *)(uintptr_t)0x1234), MLP_ERROR_INVALID_HANDLE);
    expect("use an address as a handle", mlp_matrix_shape((mlp_matrix *)(void *)&local, NULL, NULL),
           MLP_ERROR_INVALID_HANDLE);
    expect("use a matrix handle as a model", mlp_model_info((mlp_model *)(void *)second, NULL, NULL),
           MLP_ERROR_INVALID_HANDLE);
    expect("free the second matrix", mlp_matrix_free(second), MLP_OK);
}

/* Allocations sized from the caller's counts are checked before they are made. */
static void memory(void) {
    mlp_matrix *big = NULL;
    expect("create a 2^16 x 2^15 matrix (the maximum, 8 GiB)",
           mlp_matrix_create((size_t)1 << 16, (size_t)1 << 15, NULL, &big), MLP_ERROR_OUT_OF_MEMORY);
    expect_message("... names its size", "GB");
    expect("create a 2^31 x 1 matrix (rows above BLAS's int)", mlp_matrix_create((size_t)1 << 31, 1, NULL, &big),
           MLP_ERROR_OUT_OF_MEMORY);
    expect_true("no matrix handle", big == NULL);

    enum { rows = 64 };
    float x[rows * 2];
    int32_t labels[rows];
    xor_data(x, labels, rows, 0, 1, 0);
    size_t wide[] = {(size_t)1 << 28};
    mlp_train_options options = tiny_options(wide);
    mlp_model *model = NULL;
    expect("train with a 2^28-wide hidden layer", mlp_train_classifier(x, labels, rows, 2, &options, &model),
           MLP_ERROR_OUT_OF_MEMORY);
    expect_message("... names its size", "GB");
    /* 1024 worker threads: their stacks do not fit in 4 GiB of address space, and a worker that
     * cannot be created would stall the run for ever. */
    size_t small[] = {4};
    options = tiny_options(small);
    options.threads = 1024;
    options.batch_size = rows;
    expect("train with 1024 threads in 4 GiB of address space",
           mlp_train_classifier(x, labels, rows, 2, &options, &model), MLP_ERROR_OUT_OF_MEMORY);
    expect_message("... names the threads", "1024 worker threads");

    /* 2 * 10^8 samples of 2 zeros and their labels (the caller's 2.4 GB, untouched pages):
     * copying them for training does not fit in what the 4 GiB limit leaves. */
    size_t many = 200000000;
    float *zeros = calloc(many * 2, sizeof *zeros);
    int32_t *classes = calloc(many, sizeof *classes);
    if (zeros && classes) {
        classes[0] = 1;
        size_t hidden[] = {4};
        options = tiny_options(hidden);
        expect("train on 2 * 10^8 x 2 inputs", mlp_train_classifier(zeros, classes, many, 2, &options, &model),
               MLP_ERROR_OUT_OF_MEMORY);
        expect_message("... names its size", "GB");
    } else {
        printf("skip train on 2 * 10^8 x 2 inputs: the caller's own 2.4 GB could not be allocated\n");
    }
    free(zeros);
    free(classes);
    expect_true("no model handle", model == NULL);
}

/* Messages that quote the caller's strings escape control characters and cut long strings. */
static void messages(void) {
    enum { rows = 64 };
    float x[rows * 2];
    int32_t labels[rows];
    xor_data(x, labels, rows, 0, 1, 0);
    size_t hidden[] = {4};
    mlp_train_options options = tiny_options(hidden);
    mlp_model *model = NULL;
    options.activation = "\x1b]0;owned\x07\x1b[31mred\xc2\x9b" "2J\x7f";
    expect("train with an activation of escape sequences", mlp_train_classifier(x, labels, rows, 2, &options, &model),
           MLP_ERROR_INVALID_ARGUMENT);
    expect_printable("... the message holds no control character");
    expect_message("... ESC, BEL, CSI and DEL escaped", "\\x1B]0;owned\\x07\\x1B[31mred\\x9B2J\\x7F");
    expect("load a path that is not UTF-8", mlp_model_load("/tmp/\xff\xfe-model", &model), MLP_ERROR_INVALID_ARGUMENT);
    expect_message("... bytes escaped", "\\xFF\\xFE");
    char long_path[5001];
    memset(long_path, 'a', sizeof long_path - 1);
    memcpy(long_path, "/nonexistent/", 13);
    long_path[sizeof long_path - 1] = '\0';
    expect("load a 5000-character path", mlp_model_load(long_path, &model), MLP_ERROR_IO);
    expect_true("... the message is cut short", strlen(mlp_last_error()) < 600);
    expect_message("... with its length", "(5000 bytes)");
    expect_true("no model handle", model == NULL);
}

/* Paths that are not regular files: refused at once, never waited on, never replaced. */
static void special_files(const mlp_model *model) {
    char directory[] = "/tmp/mlp-bad-calls-dir-XXXXXX";
    if (!mkdtemp(directory)) { perror("mkdtemp"); exit(1); }
    char fifo[64], link[64], checkpoint[64];
    snprintf(fifo, sizeof fifo, "%s/fifo", directory);
    snprintf(link, sizeof link, "%s/null", directory);
    snprintf(checkpoint, sizeof checkpoint, "%s/run.checkpoint", directory);
    if (mkfifo(fifo, 0600) != 0 || symlink("/dev/null", link) != 0) { perror("mkfifo or symlink"); exit(1); }

    mlp_model *loaded = NULL;
    expect("load a FIFO (no writer: must not block)", mlp_model_load(fifo, &loaded), MLP_ERROR_IO);
    expect_message("... says what it is", "is a FIFO");
    expect("load /dev/zero", mlp_model_load("/dev/zero", &loaded), MLP_ERROR_IO);
    expect_message("... says what it is", "character device");
    expect("load a symbolic link to /dev/null", mlp_model_load(link, &loaded), MLP_ERROR_IO);
    expect_true("no model handle", loaded == NULL);

    expect("save to a directory", mlp_model_save(model, directory), MLP_ERROR_IO);
    expect("save to a FIFO", mlp_model_save(model, fifo), MLP_ERROR_IO);
    expect("save to a symbolic link to /dev/null", mlp_model_save(model, link), MLP_ERROR_IO);
    expect("save a checkpoint to a FIFO", mlp_model_save_checkpoint(model, fifo), MLP_ERROR_IO);
    struct stat status;
    expect_true("the FIFO is still a FIFO", stat(fifo, &status) == 0 && S_ISFIFO(status.st_mode));
    expect_true("/dev/null is still a character device", stat("/dev/null", &status) == 0 && S_ISCHR(status.st_mode));
    expect_true("the link is still a link", lstat(link, &status) == 0 && S_ISLNK(status.st_mode));

    enum { rows = 64 };
    float x[rows * 2];
    int32_t labels[rows];
    xor_data(x, labels, rows, 10, 20, 0);
    size_t hidden[] = {4};
    mlp_train_options options = tiny_options(hidden);
    options.max_epochs = 2;
    options.checkpoint_path = fifo;
    expect("train with a FIFO as checkpoint_path", mlp_train_classifier(x, labels, rows, 2, &options, &loaded),
           MLP_ERROR_IO);
    expect("resume from a FIFO", mlp_train_resume(fifo, x, labels, rows, 2, NULL, &loaded), MLP_ERROR_IO);
    expect_true("no model handle", loaded == NULL);
    remove(fifo);
    remove(link);
    remove(checkpoint);
    rmdir(directory);
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

/* Overwrites every float of a safetensors file's data (after the 8-byte header length and the
 * JSON header) with `value`: every weight and bias of a saved model. */
static int fill_weights(const char *from, const char *to, float value) {
    enum { capacity = 1 << 22 };
    FILE *file = fopen(from, "rb");
    unsigned char *bytes = malloc(capacity);
    if (!file || !bytes) { if (file) fclose(file); free(bytes); return 0; }
    size_t size = fread(bytes, 1, capacity, file);
    fclose(file);
    uint64_t header = 0;
    for (int i = 7; i >= 0 && size >= 8; i--) header = header << 8 | bytes[i];
    int ok = size >= 8 && size < capacity && header <= size - 8;
    if (ok) {
        for (size_t i = 8 + (size_t)header; i + 4 <= size; i += 4) memcpy(bytes + i, &value, 4);
        file = fopen(to, "wb");
        ok = file && fwrite(bytes, 1, size, file) == size;
        if (file && fclose(file) != 0) ok = 0;
    }
    free(bytes);
    return ok;
}

static void training(void) {
    enum { rows = 64, cols = 2 };
    float x[rows * cols];
    int32_t labels[rows];
    xor_data(x, labels, rows, 10, 20, 0);
    size_t hidden[] = {16};
    mlp_train_options options = tiny_options(hidden);

    mlp_model *model = NULL;
    expect("train with a NULL out pointer", mlp_train_classifier(x, labels, rows, cols, &options, NULL),
           MLP_ERROR_NULL_ARGUMENT);
    options.learning_rate = -1;
    expect("train with a negative learning rate", mlp_train_classifier(x, labels, rows, cols, &options, &model),
           MLP_ERROR_INVALID_ARGUMENT);
    options.learning_rate = INFINITY;
    expect("train with an infinite learning rate", mlp_train_classifier(x, labels, rows, cols, &options, &model),
           MLP_ERROR_INVALID_ARGUMENT);
    options.learning_rate = 0.05;
    options.alpha = NAN;
    expect("train with alpha NaN", mlp_train_classifier(x, labels, rows, cols, &options, &model),
           MLP_ERROR_INVALID_ARGUMENT);
    options.alpha = 1e-4;
    options.input_offset = NAN;
    expect("train with input_offset NaN", mlp_train_classifier(x, labels, rows, cols, &options, &model),
           MLP_ERROR_INVALID_ARGUMENT);
    options.input_offset = 0;
    options.input_scale = 1e37f;
    expect("train with inputs that overflow once scaled", mlp_train_classifier(x, labels, rows, cols, &options, &model),
           MLP_ERROR_INVALID_ARGUMENT);
    options.input_scale = 1.0f / 255;
    options.hidden_layer_count = (size_t)-1;
    expect("train with hidden_layer_count (size_t)-1", mlp_train_classifier(x, labels, rows, cols, &options, &model),
           MLP_ERROR_INVALID_ARGUMENT);
    options.hidden_layer_count = 1;
    options.threads = 100000;
    expect("train with 100000 threads", mlp_train_classifier(x, labels, rows, cols, &options, &model),
           MLP_ERROR_INVALID_ARGUMENT);
    options.threads = 1;
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
    /* Since 2.2.0: the training options AdamW, schedules, dropout and weights. */
    float weights[rows];
    for (int i = 0; i < rows; i++) weights[i] = 1;
    weights[rows - 1] = NAN;
    options.sample_weights = weights;
    expect("train with a NaN sample weight", mlp_train_classifier(x, labels, rows, cols, &options, &model),
           MLP_ERROR_INVALID_ARGUMENT);
    expect_message("... names the row", "sample weight of row");
    weights[rows - 1] = -1;
    expect("train with a negative sample weight", mlp_train_classifier(x, labels, rows, cols, &options, &model),
           MLP_ERROR_INVALID_ARGUMENT);
    for (int i = 0; i < rows; i++) weights[i] = 0;
    expect("train with every sample weight 0", mlp_train_classifier(x, labels, rows, cols, &options, &model),
           MLP_ERROR_INVALID_ARGUMENT);
    options.sample_weights = NULL;
    options.class_weight = 5;
    expect("train with class_weight 5", mlp_train_classifier(x, labels, rows, cols, &options, &model),
           MLP_ERROR_INVALID_ARGUMENT);
    options.class_weight = MLP_CLASS_WEIGHT_NONE;
    options.dropout = 1;
    expect("train with dropout 1", mlp_train_classifier(x, labels, rows, cols, &options, &model), MLP_ERROR_INVALID_ARGUMENT);
    options.dropout = NAN;
    expect("train with dropout NaN", mlp_train_classifier(x, labels, rows, cols, &options, &model), MLP_ERROR_INVALID_ARGUMENT);
    options.dropout = 0;
    options.weight_decay = INFINITY;
    expect("train with an infinite weight decay", mlp_train_classifier(x, labels, rows, cols, &options, &model),
           MLP_ERROR_INVALID_ARGUMENT);
    options.weight_decay = 0.01;
    options.learning_rate_schedule = "cosine-ish";
    expect("train with an unknown schedule", mlp_train_classifier(x, labels, rows, cols, &options, &model),
           MLP_ERROR_INVALID_ARGUMENT);
    options.learning_rate_schedule = "adaptive";
    options.warmup_epochs = 3;
    expect("train with warm-up before the adaptive schedule", mlp_train_classifier(x, labels, rows, cols, &options, &model),
           MLP_ERROR_INVALID_ARGUMENT);
    options.learning_rate_schedule = NULL;
    options.warmup_epochs = 0;
    options.step_factor = 0;
    expect("train with step_factor 0", mlp_train_classifier(x, labels, rows, cols, &options, &model), MLP_ERROR_INVALID_ARGUMENT);
    options.step_factor = 0.1;
    expect("train a tiny XOR classifier", mlp_train_classifier(x, labels, rows, cols, &options, &model), MLP_OK);
    int32_t predicted[rows];
    expect("predict its training set", mlp_model_predict(model, x, rows, cols, predicted, rows), MLP_OK);
    int correct = 0;
    for (int i = 0; i < rows; i++) correct += predicted[i] == labels[i];
    printf("     training accuracy %d/%d\n", correct, rows);
    expect_true("training accuracy at least 90%", correct * 10 >= rows * 9);

    /* In place: the probabilities overwrite the inputs they come from (2 inputs, 2 classes). */
    float separate[rows * 2], in_place[rows * 2];
    memcpy(in_place, x, sizeof x);
    expect("predict_proba into a separate buffer", mlp_model_predict_proba(model, x, rows, cols, separate, rows * 2), MLP_OK);
    expect("predict_proba in place (out == x)", mlp_model_predict_proba(model, in_place, rows, cols, in_place, rows * 2),
           MLP_OK);
    expect_true("... the same probabilities", memcmp(separate, in_place, sizeof separate) == 0);
    expect("predict with rows (size_t)-1", mlp_model_predict(model, x, (size_t)-1, cols, predicted, rows),
           MLP_ERROR_INVALID_ARGUMENT);
    int32_t two[2];
    expect("mlp_model_classes with len (size_t)-1", mlp_model_classes(model, two, (size_t)-1), MLP_ERROR_SHAPE);
    expect("predict 0 rows from NULL into NULL", mlp_model_predict_proba(model, NULL, 0, cols, NULL, 0), MLP_OK);

    special_files(model);

    /* A model whose weights are 3e38 (finite, but its outputs overflow): an error, and the
     * caller's buffers untouched. */
    char saved[] = "/tmp/mlp-bad-calls-model-XXXXXX";
    int descriptor = mkstemp(saved);
    if (descriptor < 0) { perror("mkstemp"); exit(1); }
    close(descriptor);
    char huge_path[64];
    snprintf(huge_path, sizeof huge_path, "%s-huge", saved);
    expect("save the XOR model", mlp_model_save(model, saved), MLP_OK);
    expect_true("write a copy with every weight 3e38", fill_weights(saved, huge_path, 3e38f));
    mlp_model *huge = NULL;
    expect("load the 3e38 model", mlp_model_load(huge_path, &huge), MLP_OK);
    float probabilities[rows * 2];
    for (int i = 0; i < rows * 2; i++) probabilities[i] = -7;
    expect("predict_proba with the 3e38 model", mlp_model_predict_proba(huge, x, rows, cols, probabilities, rows * 2),
           MLP_ERROR_FORMAT);
    expect_message("... names the sample", "sample 0");
    int untouched = 1;
    for (int i = 0; i < rows * 2; i++) untouched &= probabilities[i] == -7;
    expect_true("... the output buffer is untouched", untouched);
    for (int i = 0; i < rows; i++) predicted[i] = -7;
    expect("predict with the 3e38 model", mlp_model_predict(huge, x, rows, cols, predicted, rows), MLP_ERROR_FORMAT);
    untouched = 1;
    for (int i = 0; i < rows; i++) untouched &= predicted[i] == -7;
    expect_true("... the class buffer is untouched", untouched);
    mlp_model_free(huge);
    remove(saved);
    remove(huge_path);
    mlp_model_free(model);

    /* Labels given in the order 9, 2, 5: mlp_model_classes returns them sorted, and the
     * probabilities' columns follow that order. */
    xor_data(x, labels, rows, 9, 2, 5);
    expect_true("the first labels are 9, 2, 5", labels[0] == 9 && labels[1] == 2 && labels[4] == 5);
    expect("train on labels 9, 2, 5", mlp_train_classifier(x, labels, rows, cols, &options, &model), MLP_OK);
    int32_t classes[3] = {0, 0, 0};
    expect("mlp_model_classes", mlp_model_classes(model, classes, 3), MLP_OK);
    printf("     classes %d %d %d\n", classes[0], classes[1], classes[2]);
    expect_true("classes sorted: 2 5 9", classes[0] == 2 && classes[1] == 5 && classes[2] == 9);
    float three[rows * 3];
    expect("predict_proba with 3 classes", mlp_model_predict_proba(model, x, rows, cols, three, rows * 3), MLP_OK);
    expect("predict with 3 classes", mlp_model_predict(model, x, rows, cols, predicted, rows), MLP_OK);
    int consistent = 1;
    for (int i = 0; i < rows; i++) {
        int best = 0;
        for (int j = 1; j < 3; j++) if (three[i * 3 + j] > three[i * 3 + best]) best = j;
        consistent &= predicted[i] == classes[best];
    }
    expect_true("each prediction is the class of its largest probability", consistent);
    mlp_model_free(model);
}

/* Since 2.3.0: regressors, autoencoders and per-feature scaling. */
static void tasks(void) {
    enum { rows = 64, cols = 2 };
    float x[rows * cols], y[rows], bad_x[rows * cols];
    int32_t labels[rows];
    xor_data(x, labels, rows, 0, 1, 0);
    for (int i = 0; i < rows; i++) y[i] = x[i * 2] / 100.0f - x[i * 2 + 1] / 200.0f;
    size_t hidden[] = {16};
    mlp_train_options options = tiny_options(hidden);
    options.max_epochs = 20;
    options.input_scale = 1;
    mlp_model *model = NULL, *classifier = NULL;

    expect("train a regressor with NULL targets", mlp_train_regressor(x, NULL, rows, cols, 1, &options, &model),
           MLP_ERROR_NULL_ARGUMENT);
    expect("train a regressor with target_count 0", mlp_train_regressor(x, y, rows, cols, 0, &options, &model),
           MLP_ERROR_SHAPE);
    expect("train a regressor with target_count (size_t)-1",
           mlp_train_regressor(x, y, rows, cols, (size_t)-1, &options, &model), MLP_ERROR_INVALID_ARGUMENT);
    expect("train a regressor with target_count 2^40",
           mlp_train_regressor(x, y, rows, cols, (size_t)1 << 40, &options, &model), MLP_ERROR_OUT_OF_MEMORY);
    y[3] = NAN;
    expect("train a regressor with a NaN target", mlp_train_regressor(x, y, rows, cols, 1, &options, &model),
           MLP_ERROR_INVALID_ARGUMENT);
    expect_message("... names the target", "targets[3] (row 3, column 0) is nan");
    y[3] = 0;
    options.class_weight = MLP_CLASS_WEIGHT_BALANCED;
    expect("train a regressor with balanced class weights", mlp_train_regressor(x, y, rows, cols, 1, &options, &model),
           MLP_ERROR_INVALID_ARGUMENT);
    expect("train an autoencoder with balanced class weights",
           mlp_train_autoencoder(x, rows, cols, &options, &model), MLP_ERROR_INVALID_ARGUMENT);
    options.class_weight = MLP_CLASS_WEIGHT_NONE;
    expect("train an autoencoder with NULL x", mlp_train_autoencoder(NULL, rows, cols, &options, &model),
           MLP_ERROR_NULL_ARGUMENT);
    expect("train an autoencoder with a NULL out pointer", mlp_train_autoencoder(x, rows, cols, &options, NULL),
           MLP_ERROR_NULL_ARGUMENT);
    size_t wide[] = {(size_t)1 << 28};
    options.hidden_layer_sizes = wide;
    expect("train an autoencoder with a 2^28-wide hidden layer",
           mlp_train_autoencoder(x, rows, cols, &options, &model), MLP_ERROR_OUT_OF_MEMORY);
    options.hidden_layer_sizes = hidden;

    /* Per-feature scaling. */
    float scales[cols] = {1, 0.5f}, offsets[cols] = {0, -1};
    options.standardize = 2;
    expect("train with standardize = 2", mlp_train_regressor(x, y, rows, cols, 1, &options, &model),
           MLP_ERROR_INVALID_ARGUMENT);
    options.standardize = 0;
    options.input_scaling_count = cols;
    expect("train with input_scaling_count but NULL input_scales",
           mlp_train_regressor(x, y, rows, cols, 1, &options, &model), MLP_ERROR_NULL_ARGUMENT);
    options.input_scales = scales;
    expect("train with input_scaling_count but NULL input_offsets",
           mlp_train_regressor(x, y, rows, cols, 1, &options, &model), MLP_ERROR_NULL_ARGUMENT);
    options.input_offsets = offsets;
    options.input_scaling_count = 3;
    expect("train with input_scaling_count 3 for 2 columns",
           mlp_train_regressor(x, y, rows, cols, 1, &options, &model), MLP_ERROR_SHAPE);
    options.input_scaling_count = (size_t)-1;
    expect("train with input_scaling_count (size_t)-1",
           mlp_train_regressor(x, y, rows, cols, 1, &options, &model), MLP_ERROR_INVALID_ARGUMENT);
    options.input_scaling_count = 0;
    expect("train with input_scales and input_scaling_count 0",
           mlp_train_regressor(x, y, rows, cols, 1, &options, &model), MLP_ERROR_INVALID_ARGUMENT);
    options.input_scaling_count = cols;
    scales[1] = 0;
    expect("train with a zero input scale", mlp_train_regressor(x, y, rows, cols, 1, &options, &model),
           MLP_ERROR_INVALID_ARGUMENT);
    expect_message("... names the feature", "input_scales[1] is 0.0");
    scales[1] = 0.5f;
    offsets[0] = NAN;
    expect("train with a NaN input offset", mlp_train_regressor(x, y, rows, cols, 1, &options, &model),
           MLP_ERROR_INVALID_ARGUMENT);
    offsets[0] = 0;
    options.standardize = 1;
    expect("train with standardize and input_scales", mlp_train_regressor(x, y, rows, cols, 1, &options, &model),
           MLP_ERROR_INVALID_ARGUMENT);
    options.input_scales = NULL;
    options.input_offsets = NULL;
    options.input_scaling_count = 0;
    memcpy(bad_x, x, sizeof bad_x);
    bad_x[5] = INFINITY;
    expect("standardize inputs with an infinity", mlp_train_regressor(bad_x, y, rows, cols, 1, &options, &model),
           MLP_ERROR_INVALID_ARGUMENT);
    expect("train a standardized regressor", mlp_train_regressor(x, y, rows, cols, 1, &options, &model), MLP_OK);
    expect("train a standardized classifier", mlp_train_classifier(x, labels, rows, cols, &options, &classifier), MLP_OK);

    /* Functions of the wrong kind, and bad output buffers. */
    float values[rows], codes[rows * 16];
    int32_t predicted[rows];
    mlp_model_kind kind;
    expect("mlp_model_kind_of with a NULL kind", mlp_model_kind_of(model, NULL), MLP_ERROR_NULL_ARGUMENT);
    expect("mlp_model_kind_of a regressor", mlp_model_kind_of(model, &kind), MLP_OK);
    expect_true("... is MLP_MODEL_REGRESSOR", kind == MLP_MODEL_REGRESSOR);
    expect("predict classes with a regressor", mlp_model_predict(model, x, rows, cols, predicted, rows),
           MLP_ERROR_INVALID_ARGUMENT);
    expect_message("... says what to use", "mlp_model_predict_values");
    expect("mlp_model_info on a regressor", mlp_model_info(model, NULL, NULL), MLP_ERROR_INVALID_ARGUMENT);
    expect("codes of a regressor", mlp_model_codes(model, x, rows, cols, codes, rows), MLP_ERROR_INVALID_ARGUMENT);
    expect("predict values with a classifier", mlp_model_predict_values(classifier, x, rows, cols, values, rows),
           MLP_ERROR_INVALID_ARGUMENT);
    expect("predict values with out_len rows - 1", mlp_model_predict_values(model, x, rows, cols, values, rows - 1),
           MLP_ERROR_SHAPE);
    expect("predict values with out_len (size_t)-1",
           mlp_model_predict_values(model, x, rows, cols, values, (size_t)-1), MLP_ERROR_SHAPE);
    expect("predict values with NULL out", mlp_model_predict_values(model, x, rows, cols, NULL, rows),
           MLP_ERROR_NULL_ARGUMENT);
    expect("predict values with 3 columns", mlp_model_predict_values(model, x, rows / 2, 3, values, rows / 2),
           MLP_ERROR_SHAPE);
    expect("predict values with an infinite input", mlp_model_predict_values(model, bad_x, rows, cols, values, rows),
           MLP_ERROR_INVALID_ARGUMENT);
    expect("predict values", mlp_model_predict_values(model, x, rows, cols, values, rows), MLP_OK);
    mlp_model_free(classifier);
    mlp_model_free(model);
    expect("mlp_model_sizes of a freed model", mlp_model_sizes(model, NULL, NULL, NULL), MLP_ERROR_INVALID_HANDLE);
    expect("predict values with a freed model", mlp_model_predict_values(model, x, rows, cols, values, rows),
           MLP_ERROR_INVALID_HANDLE);

    options.standardize = 0;
    expect("train an autoencoder", mlp_train_autoencoder(x, rows, cols, &options, &model), MLP_OK);
    size_t code = 0;
    expect("mlp_model_sizes of an autoencoder", mlp_model_sizes(model, NULL, NULL, &code), MLP_OK);
    expect_true("... code size 16", code == 16);
    expect("codes with out_len of a reconstruction", mlp_model_codes(model, x, rows, cols, codes, rows * cols),
           MLP_ERROR_SHAPE);
    expect("codes", mlp_model_codes(model, x, rows, cols, codes, rows * 16), MLP_OK);
    expect("reconstruct with NULL x", mlp_model_reconstruct(model, NULL, rows, cols, codes, rows * cols),
           MLP_ERROR_NULL_ARGUMENT);
    expect("predict values with an autoencoder", mlp_model_predict_values(model, x, rows, cols, values, rows),
           MLP_ERROR_INVALID_ARGUMENT);
    mlp_model_free(model);
}

int main(int argc, char **argv) {
    struct rlimit limit;
    const rlim_t four_gib = (rlim_t)4 << 30;
    if (getrlimit(RLIMIT_AS, &limit) == 0 && (limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur > four_gib)) {
        limit.rlim_cur = four_gib;
        if (setrlimit(RLIMIT_AS, &limit) != 0) perror("setrlimit");
    }
    alarm(120);
    printf("libmlpc %s\n", mlp_version());
    matrices();
    handles();
    memory();
    messages();
    models(argc > 1 ? argv[1] : NULL);
    training();
    tasks();
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
