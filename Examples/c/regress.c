/*
 * regress — trains a small regressor and an autoencoder from arrays in memory through the C API
 * (since 2.3.0), on tabular data whose columns have very different units, standardized from the
 * training rows; saves the regressor, loads it back and checks that it predicts the same.
 *
 *   gcc -std=c11 -Wall -o regress regress.c $(pkg-config --cflags --libs mlp) -lm
 *   ./regress [MODEL_PATH]     # MODEL_PATH: where to save the regressor (default regress.safetensors)
 *
 * Data: y0 = 3 * a - b / 500 and y1 = a * a, for a in [-1, 1] and b in [0, 1000], plus a constant
 * column. Prints the training mean squared error of each target and "ok"; exits 1 on any error
 * or when the fit is poor.
 */
#include <mlp.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { rows = 400, cols = 3, targets = 2 };

/* Prints the failed call's status and message and exits. */
static void check(mlp_status status, const char *what) {
    if (status == MLP_OK) return;
    fprintf(stderr, "regress: %s: %s: %s\n", what, mlp_status_name(status), mlp_last_error());
    exit(1);
}

int main(int argc, char **argv) {
    const char *path = argc > 1 ? argv[1] : "regress.safetensors";
    static float x[rows * cols], y[rows * targets], predicted[rows * targets], again[rows * targets];
    unsigned seed = 2024;
    for (int i = 0; i < rows; i++) {
        seed = seed * 1103515245u + 12345u;
        float a = (float)((seed >> 8) % 20001) / 10000.0f - 1.0f;  /* -1 … 1 */
        seed = seed * 1103515245u + 12345u;
        float b = (float)((seed >> 8) % 1001);                     /* 0 … 1000 */
        x[i * cols + 0] = a;
        x[i * cols + 1] = b;
        x[i * cols + 2] = 42.0f;                                   /* constant: only centred */
        y[i * targets + 0] = 3.0f * a - b / 500.0f;
        y[i * targets + 1] = a * a;
    }

    size_t hidden[] = {32};
    mlp_train_options options;
    check(mlp_train_options_init(&options), "mlp_train_options_init");
    options.hidden_layer_sizes = hidden;
    options.hidden_layer_count = 1;
    options.activation = "tanh";
    options.learning_rate = 0.01;
    options.batch_size = 32;
    options.max_epochs = 300;
    options.seed = 1;
    options.threads = 1;
    options.standardize = 1;  /* each column's mean and standard deviation from x; input_scale is ignored */

    mlp_model *model = NULL;
    check(mlp_train_regressor(x, y, rows, cols, targets, &options, &model), "mlp_train_regressor");
    mlp_model_kind kind;
    size_t inputs = 0, outputs = 0, code = 0;
    check(mlp_model_kind_of(model, &kind), "mlp_model_kind_of");
    check(mlp_model_sizes(model, &inputs, &outputs, &code), "mlp_model_sizes");
    printf("regressor: kind %d, %zu inputs, %zu outputs\n", (int)kind, inputs, outputs);
    if (kind != MLP_MODEL_REGRESSOR || inputs != cols || outputs != targets) return 1;

    check(mlp_model_predict_values(model, x, rows, cols, predicted, rows * targets), "mlp_model_predict_values");
    double error[targets] = {0, 0};
    for (int i = 0; i < rows; i++) {
        for (int j = 0; j < targets; j++) {
            double difference = predicted[i * targets + j] - y[i * targets + j];
            error[j] += difference * difference / rows;
        }
    }
    printf("training MSE: y0 %.5f, y1 %.5f\n", error[0], error[1]);

    /* The standardization is saved with the model: the loaded model predicts the same floats. */
    check(mlp_model_save(model, path), "mlp_model_save");
    mlp_model *loaded = NULL;
    check(mlp_model_load(path, &loaded), "mlp_model_load");
    check(mlp_model_predict_values(loaded, x, rows, cols, again, rows * targets), "mlp_model_predict_values (loaded)");
    if (memcmp(predicted, again, sizeof predicted) != 0) {
        fprintf(stderr, "regress: the loaded model predicts differently\n");
        return 1;
    }

    /* A regressor is not a classifier: one clear error, nothing written. */
    int32_t classes[rows];
    if (mlp_model_predict(model, x, rows, cols, classes, rows) != MLP_ERROR_INVALID_ARGUMENT) return 1;
    printf("mlp_model_predict on a regressor: %s\n", mlp_last_error());

    /* An autoencoder of the same inputs, with a code of 2. */
    size_t layers[] = {8, 2, 8};
    options.hidden_layer_sizes = layers;
    options.hidden_layer_count = 3;
    options.max_epochs = 50;
    mlp_model *autoencoder = NULL;
    check(mlp_train_autoencoder(x, rows, cols, &options, &autoencoder), "mlp_train_autoencoder");
    check(mlp_model_sizes(autoencoder, &inputs, &outputs, &code), "mlp_model_sizes (autoencoder)");
    static float codes[rows * 2], reconstruction[rows * cols];
    check(mlp_model_codes(autoencoder, x, rows, cols, codes, rows * code), "mlp_model_codes");
    check(mlp_model_reconstruct(autoencoder, x, rows, cols, reconstruction, rows * cols), "mlp_model_reconstruct");
    printf("autoencoder: code size %zu, first code (%.4f, %.4f)\n", code, codes[0], codes[1]);

    mlp_model_free(autoencoder);
    mlp_model_free(loaded);
    mlp_model_free(model);
    if (code != 2 || !(error[0] < 0.01 && error[1] < 0.01)) {
        fprintf(stderr, "regress: the fit is poor or the code size is wrong\n");
        return 1;
    }
    puts("ok");
    return 0;
}
