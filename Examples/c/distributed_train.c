/*
 * Trains one classifier with every process of an MPI job through libmlpc, on a sub-communicator
 * of the caller's (a duplicate of MPI_COMM_WORLD), then checks on rank 0 that the model equals
 * the one a single process trains with as many threads as there are ranks.
 *
 *   mpicc -std=c11 -O2 distributed_train.c $(pkg-config --cflags --libs mlp) -o distributed_train
 *   mpirun -np 2 ./distributed_train
 */
#include <mlp.h>
#include <mpi.h>
#include <stdio.h>
#include <string.h>

enum { ROWS = 240, COLS = 6 };

static int check(mlp_status status, const char *what) {
    if (status != MLP_OK) fprintf(stderr, "distributed_train: %s: %s\n", what, mlp_last_error());
    return status == MLP_OK;
}

/* Three blobs of raw "pixels" with a little seeded noise. */
static void make_data(float *x, int32_t *labels) {
    unsigned state = 12345;
    for (int row = 0; row < ROWS; row++) {
        labels[row] = row % 3;
        for (int column = 0; column < COLS; column++) {
            state = state * 1103515245u + 12345u;
            float noise = (float)((state >> 16) % 64);
            x[row * COLS + column] = (float)(labels[row] * 70 + column * 5) + noise;
        }
    }
}

static mlp_status train(const float *x, const int32_t *labels, int distributed, size_t threads, MPI_Comm comm,
                        mlp_model **model) {
    mlp_train_options options;
    mlp_train_options_init(&options);
    size_t hidden[] = {16, 8};
    options.hidden_layer_sizes = hidden;
    options.hidden_layer_count = 2;
    options.batch_size = 32;
    options.max_epochs = 8;
    options.learning_rate = 0.01;
    options.seed = 5;
    options.threads = threads;
    options.distributed = distributed;
    options.mpi_comm = MPI_Comm_c2f(comm);
    return mlp_train_classifier(x, labels, ROWS, COLS, &options, model);
}

int main(int argc, char **argv) {
    MPI_Init(&argc, &argv);
    int rank = 0, size = 1;
    MPI_Comm comm;
    MPI_Comm_dup(MPI_COMM_WORLD, &comm);
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    float x[ROWS * COLS];
    int32_t labels[ROWS];
    make_data(x, labels);

    int ok = 1;
    mlp_model *together = NULL;
    ok = check(train(x, labels, 1, 1, comm, &together), "distributed training");
    if (ok && rank == 0) {
        mlp_model *alone = NULL;
        ok = check(train(x, labels, 0, (size_t)size, comm, &alone), "single-process training");
        float a[ROWS * 3], b[ROWS * 3];
        ok = ok && check(mlp_model_predict_proba(together, x, ROWS, COLS, a, ROWS * 3), "predict")
             && check(mlp_model_predict_proba(alone, x, ROWS, COLS, b, ROWS * 3), "predict");
        if (ok && memcmp(a, b, sizeof a) != 0) {
            fprintf(stderr, "distributed_train: %d ranks of 1 thread and 1 process of %d threads differ\n", size, size);
            ok = 0;
        }
        if (ok) printf("distributed_train: %d ranks of 1 thread = 1 process of %d threads, bit for bit\n", size, size);
        mlp_model_free(alone);
    }
    mlp_model_free(together);
    MPI_Comm_free(&comm);
    MPI_Finalize();
    return ok ? 0 : 1;
}
