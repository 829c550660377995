/*
 * mlp.h — the C API of SwiftMLP: matrices multiplied through OpenBLAS, MLP models (classifiers,
 * regressors and, since 2.3.0, autoencoders) loaded from files written by `mlp train`, batch
 * prediction, and training from arrays in memory.
 *
 * Link with `pkg-config --cflags --libs mlp` (the library is libmlpc.so).
 *
 * Conventions
 * -----------
 * - Every function except mlp_version(), mlp_status_name() and mlp_last_error() returns an
 *   mlp_status. MLP_OK (0) is success; on any other code nothing was written to the outputs and
 *   mlp_last_error() describes what went wrong, in one line.
 * - mlp_last_error() is per thread: it is the message of the last call made on the calling
 *   thread, and the empty string after a call that succeeded.
 * - Handles (mlp_matrix, mlp_model) are opaque numbers, not addresses: C must not dereference
 *   them, and the library never does either. The library keeps a table of the handles it gave
 *   out, each naming a slot and that slot's generation, and never gives out the same value
 *   twice (since 2.1.1). So MLP_ERROR_INVALID_HANDLE is returned, with nothing read or written,
 *   for: a handle already freed (also after the library has made new handles, and also for a
 *   second free), a handle of the other kind (an mlp_matrix given as an mlp_model), and any value
 *   the library did not return (a made-up number, an address of your own). NULL is
 *   MLP_ERROR_NULL_ARGUMENT, except that freeing NULL is a no-op that succeeds. Handles may be
 *   used and freed from any thread: a call that already holds an object keeps it alive until it
 *   returns, even when another thread frees its handle meanwhile. At most 2^24 handles exist at
 *   once (MLP_ERROR_OUT_OF_MEMORY beyond).
 * - Strings (paths, activation and optimiser names) are NUL-terminated UTF-8; a string that is
 *   not valid UTF-8 is MLP_ERROR_INVALID_ARGUMENT. mlp_last_error() quotes a string argument as
 *   an excerpt: control characters (C0, DEL, C1) and bytes that are not UTF-8 as \xNN, a
 *   backslash as \\, line separators and invisible formatting characters (bidirectional
 *   overrides, zero-width characters) as \u{NNNN}, and cut after 200 characters with
 *   "… (N bytes)". Every other control character in a message (quoted from a file, say) is
 *   escaped the same way, and a message is at most about 2000 characters, so it is safe to print
 *   to a terminal or a log.
 * - Memory: a call that would allocate more than this process can (the smaller of the system's
 *   available memory and what `ulimit -v` leaves) returns MLP_ERROR_OUT_OF_MEMORY, with a
 *   message naming the size, before allocating it, instead of aborting the process. This covers
 *   the matrices, the copies of inputs and labels that training and prediction make, the
 *   training run itself (under `ulimit -v` also its threads' stacks) and the bytes of a model
 *   file; allocations under 16 MiB are not checked.
 * - Numbers: every float that enters (matrix data, alpha and beta, inputs x, options) must be
 *   finite, else MLP_ERROR_INVALID_ARGUMENT naming the first bad one; no call returns MLP_OK
 *   with a NaN or an infinity in its outputs.
 * - Files are regular files. Loading or saving a path that is a directory, a FIFO, a device or
 *   a socket is MLP_ERROR_IO, found without blocking (a FIFO is never waited on).
 * - Matrices are row-major float32: element (i, j) of an r × c matrix is at i * c + j.
 *   Every buffer is passed with its length in elements, and a length that is not exactly the
 *   one required is MLP_ERROR_SHAPE.
 * - Thread safety: different handles may be used from different threads at once, and a model
 *   may predict on several threads at once. A matrix must not be written (multiply, set) while
 *   another thread reads or writes it.
 *
 * Input scaling
 * -------------
 * A model records how its raw inputs are scaled (`mlp train` records `x / 255`). The
 * prediction functions take RAW inputs, as `mlp predict` does (pixel values 0…255 for the image
 * datasets), and apply the model's recorded scaling before the network sees them. Training
 * from C does the same with mlp_train_options.input_scale / input_offset and records them in the
 * model, so that a model trained from C and saved predicts the same way everywhere.
 *
 * Since 2.3.0 a scaling may also be per feature: feature[j] = x[j] * scale[j] + offset[j], either
 * computed from the training rows (mlp_train_options.standardize, scikit-learn's StandardScaler)
 * or given (mlp_train_options.input_scales / input_offsets). It is saved in the model file
 * (`x * [S1, …] + [O1, …]`) and applied by every prediction function; loading a file whose
 * per-feature scaling has another count than the network's inputs is MLP_ERROR_FORMAT.
 *
 * Kinds of model (since 2.3.0)
 * ----------------------------
 * A handle holds a classifier (mlp_train_classifier), a regressor (mlp_train_regressor) or an
 * autoencoder (mlp_train_autoencoder); mlp_model_load reads any of them and mlp_model_kind_of
 * tells which. Functions for one kind called on another return MLP_ERROR_INVALID_ARGUMENT with a
 * message naming the model's kind and the function to use:
 *
 *   all kinds     mlp_model_kind_of, mlp_model_sizes, mlp_model_save, mlp_model_save_checkpoint,
 *                 mlp_model_free
 *   classifier    mlp_model_info, mlp_model_classes, mlp_model_predict_proba, mlp_model_predict
 *   regressor     mlp_model_predict_values
 *   autoencoder   mlp_model_reconstruct, mlp_model_codes
 */
#ifndef MLP_H
#define MLP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The version of this API as "MAJOR.MINOR.PATCH". */
#define MLP_API_VERSION_MAJOR 2
#define MLP_API_VERSION_MINOR 4
#define MLP_API_VERSION_PATCH 0

/** The result of every call. */
typedef enum mlp_status {
    /** Success. */
    MLP_OK = 0,
    /** A required pointer or handle was NULL. */
    MLP_ERROR_NULL_ARGUMENT = 1,
    /**
     * A handle that is not live: already freed, of the other kind, or never made by this
     * library (see the conventions above).
     */
    MLP_ERROR_INVALID_HANDLE = 2,
    /** Shapes or buffer lengths that do not fit together. */
    MLP_ERROR_SHAPE = 3,
    /** A file that cannot be read or written. */
    MLP_ERROR_IO = 4,
    /**
     * A file whose contents are not a valid model; also a model whose output for a sample is not
     * finite (weights that overflow float32 on that input).
     */
    MLP_ERROR_FORMAT = 5,
    /**
     * An argument out of range: a bad option, a label set with one class, a non-finite input…;
     * also (since 2.3.0) a model of the wrong kind for the function (a regressor given to
     * mlp_model_predict, say).
     */
    MLP_ERROR_INVALID_ARGUMENT = 6,
    /** Training failed: the loss diverged. */
    MLP_ERROR_TRAINING = 7,
    /**
     * Memory could not be allocated: more than this process may allocate, a size that
     * overflows, or too many live handles. Checked before allocating.
     */
    MLP_ERROR_OUT_OF_MEMORY = 8
} mlp_status;

/** Whether an operand of mlp_matrix_multiply is used as stored or transposed. */
typedef enum mlp_transpose {
    MLP_NO_TRANSPOSE = 0,
    MLP_TRANSPOSE = 1
} mlp_transpose;

/** A dense row-major float32 matrix. */
typedef struct mlp_matrix mlp_matrix;

/** A trained MLP: a classifier, a regressor or an autoencoder (see mlp_model_kind_of). */
typedef struct mlp_model mlp_model;

/** Since 2.3.0. The kind of a model (mlp_model_kind_of). */
typedef enum mlp_model_kind {
    /** Class probabilities (softmax outputs, cross-entropy); mlp_train_classifier. */
    MLP_MODEL_CLASSIFIER = 0,
    /** Numeric targets (identity outputs, squared error); mlp_train_regressor. */
    MLP_MODEL_REGRESSOR = 1,
    /** Reproduces its (scaled) inputs through a narrow hidden layer; mlp_train_autoencoder. */
    MLP_MODEL_AUTOENCODER = 2
} mlp_model_kind;

/** Since 2.2.0. How mlp_train_options.class_weight weighs the classes. */
typedef enum mlp_class_weight {
    /** Every class weighs 1 (the default). */
    MLP_CLASS_WEIGHT_NONE = 0,
    /**
     * scikit-learn's "balanced": class c weighs n_samples / (n_classes * count(c)), so that
     * every class contributes equally to the loss.
     */
    MLP_CLASS_WEIGHT_BALANCED = 1
} mlp_class_weight;

/* ---------------------------------------------------------------------------------------------
 * Library
 * ------------------------------------------------------------------------------------------- */

/**
 * The library's version, "MLP_API_VERSION_MAJOR.MLP_API_VERSION_MINOR.MLP_API_VERSION_PATCH" of
 * the header it was built with, for example "2.1.1"; a static string.
 */
const char *mlp_version(void);

/**
 * The instruction set the library's own vector kernels run (since 2.4.0): "baseline", "avx2" or
 * "avx512"; a static string. The library carries all three and picks, when first used, the widest
 * this CPU runs, or the one the environment variable MLP_KERNELS names ("auto" for the widest).
 * An unknown name or a path this CPU cannot run is not an error here: the widest runs (the mlp
 * command refuses such a value instead). Training is bit-reproducible for a given path, BLAS
 * kernel and thread count; another path rounds the sparse first layer's products differently.
 */
const char *mlp_kernel_path(void);

/** The enumerator's name of a status, for example "MLP_ERROR_SHAPE"; a static string. */
const char *mlp_status_name(mlp_status status);

/**
 * The message of the last call on this thread: "" after a success. The pointer stays valid
 * until the next call into this library on the same thread.
 */
const char *mlp_last_error(void);

/* ---------------------------------------------------------------------------------------------
 * Matrices
 * ------------------------------------------------------------------------------------------- */

/**
 * Creates a rows × cols matrix in *out. `data` holds rows * cols finite floats, row-major, copied
 * into the matrix; NULL gives a matrix of zeros. A 0 × n matrix is allowed. rows and cols are at
 * most 2^31 - 1 (BLAS's int) and rows * cols at most 2^31, else MLP_ERROR_OUT_OF_MEMORY, as for
 * a matrix larger than this process can allocate (2^31 floats are 8 GiB).
 */
mlp_status mlp_matrix_create(size_t rows, size_t cols, const float *data, mlp_matrix **out);

/** Frees a matrix. NULL is a no-op. */
mlp_status mlp_matrix_free(mlp_matrix *matrix);

/** The matrix's shape; either output may be NULL. */
mlp_status mlp_matrix_shape(const mlp_matrix *matrix, size_t *rows, size_t *cols);

/** Copies the rows * cols elements, row-major, into `out` (out_len must be rows * cols). */
mlp_status mlp_matrix_copy_data(const mlp_matrix *matrix, float *out, size_t out_len);

/** Overwrites the elements from `data` (len must be rows * cols; every value finite). */
mlp_status mlp_matrix_set_data(mlp_matrix *matrix, const float *data, size_t len);

/**
 * C ← alpha · op(A) · op(B) + beta · C through OpenBLAS's sgemm, where op(X) is X or Xᵀ as
 * `trans_a` / `trans_b` say. op(A) must be m × k, op(B) k × n and C m × n, else
 * MLP_ERROR_SHAPE. C may be the same handle as A or B. alpha and beta must be finite; a product
 * that overflows float32 (an element of the result would be infinite) is
 * MLP_ERROR_INVALID_ARGUMENT. The result is computed into a new m × n matrix that replaces C
 * only on success: on any error C is unchanged.
 */
mlp_status mlp_matrix_multiply(const mlp_matrix *a, mlp_transpose trans_a,
                               const mlp_matrix *b, mlp_transpose trans_b,
                               float alpha, float beta, mlp_matrix *c);

/* ---------------------------------------------------------------------------------------------
 * Models
 * ------------------------------------------------------------------------------------------- */

/**
 * Loads a model saved by `mlp train` (or mlp_model_save) into *out: a classifier or, since
 * 2.3.0, a regressor or an autoencoder (before 2.3.0 these were MLP_ERROR_FORMAT).
 * MLP_ERROR_IO for a missing or unreadable file or one that is not a regular file (a FIFO is
 * refused at once, never read), MLP_ERROR_FORMAT for a file that is not a valid model (also one
 * whose per-feature input scaling has another count than the network's inputs).
 */
mlp_status mlp_model_load(const char *path, mlp_model **out);

/**
 * Writes the model to `path` atomically, in the format `mlp predict` reads. MLP_ERROR_IO when
 * the file cannot be written, or when `path` exists (after following symbolic links) and is not
 * a regular file: a directory, device, FIFO or socket is never written or replaced.
 */
mlp_status mlp_model_save(const mlp_model *model, const char *path);

/** Frees a model. NULL is a no-op. */
mlp_status mlp_model_free(mlp_model *model);

/**
 * The number of input features and of classes of a classifier; either output may be NULL.
 * MLP_ERROR_INVALID_ARGUMENT for a regressor or an autoencoder (use mlp_model_sizes).
 */
mlp_status mlp_model_info(const mlp_model *model, size_t *input_count, size_t *class_count);

/**
 * Copies the model's class labels, sorted in increasing order (len must be the class count), also
 * for a model file that lists them in another order. Probabilities come in this order.
 */
mlp_status mlp_model_classes(const mlp_model *model, int32_t *classes, size_t len);

/**
 * The probability of each class for each of `rows` samples of raw inputs `x` (rows × cols,
 * row-major; cols must be the model's input count): `out` receives rows × class_count floats,
 * row i holding sample i's probabilities in the order of mlp_model_classes. out_len must be
 * rows * class_count. x may be NULL only when rows is 0. Every x and every scaled feature must be
 * finite (MLP_ERROR_INVALID_ARGUMENT). MLP_ERROR_FORMAT when the model's output for a sample is
 * NaN or infinite (its weights overflow float32 on that input); the message names the sample.
 * `out` is written only on success: on any error it is untouched. It may overlap `x`.
 */
mlp_status mlp_model_predict_proba(const mlp_model *model, const float *x, size_t rows,
                                   size_t cols, float *out, size_t out_len);

/**
 * The most probable class label of each sample (the first one, in the order of
 * mlp_model_classes, on ties), as mlp_model_predict_proba followed by an argmax: `classes`
 * receives `len` == rows labels. The same errors as mlp_model_predict_proba; `classes` is written
 * only on success, and may overlap `x`.
 */
mlp_status mlp_model_predict(const mlp_model *model, const float *x, size_t rows, size_t cols,
                             int32_t *classes, size_t len);

/** Since 2.3.0. The kind of the model in *kind (MLP_MODEL_CLASSIFIER, …). */
mlp_status mlp_model_kind_of(const mlp_model *model, mlp_model_kind *kind);

/**
 * Since 2.3.0. The widths of any kind of model; each output may be NULL.
 * - input_count: the features each sample has (the `cols` every prediction function takes);
 * - output_count: the values predicted per sample: the class count of a classifier, the target
 *   count of a regressor, input_count for an autoencoder (its reconstruction);
 * - code_size: an autoencoder's code width (its narrowest hidden layer, the first of equals),
 *   the per-sample count of mlp_model_codes; 0 for a classifier or a regressor.
 */
mlp_status mlp_model_sizes(const mlp_model *model, size_t *input_count, size_t *output_count,
                           size_t *code_size);

/**
 * Since 2.3.0. A regressor's predictions for `rows` samples of raw inputs `x` (rows × cols,
 * row-major; cols must be the model's input count): `out` receives rows × output_count floats
 * (mlp_model_sizes), row i holding sample i's predicted targets, in the units of the targets the
 * model was trained on (targets are never scaled). out_len must be rows * output_count. The same
 * conventions and errors as mlp_model_predict_proba (x scaled by the model, checked finite;
 * MLP_ERROR_FORMAT naming the sample whose output is not finite; `out` written only on success
 * and may overlap `x`). MLP_ERROR_INVALID_ARGUMENT for a model that is not a regressor.
 */
mlp_status mlp_model_predict_values(const mlp_model *model, const float *x, size_t rows,
                                    size_t cols, float *out, size_t out_len);

/**
 * Since 2.3.0. An autoencoder's reconstruction of `rows` samples of raw inputs `x` (rows × cols):
 * `out` receives rows × cols floats, out_len must be rows * cols. The reconstruction is of the
 * FEATURES, the inputs after the model's input scaling (what the network was trained to
 * reproduce, and what `mlp predict` prints): with the default scaling x / 255, pixel 255 is
 * reconstructed near 1. Conventions and errors as mlp_model_predict_values;
 * MLP_ERROR_INVALID_ARGUMENT for a model that is not an autoencoder.
 */
mlp_status mlp_model_reconstruct(const mlp_model *model, const float *x, size_t rows, size_t cols,
                                 float *out, size_t out_len);

/**
 * Since 2.3.0. An autoencoder's codes: the output of its narrowest hidden layer (after the hidden
 * activation) for `rows` samples of raw inputs `x` (rows × cols). `out` receives rows * code_size
 * floats (mlp_model_sizes), out_len must be exactly that. Conventions and errors as
 * mlp_model_reconstruct (`mlp predict --codes` prints the same values).
 */
mlp_status mlp_model_codes(const mlp_model *model, const float *x, size_t rows, size_t cols,
                           float *out, size_t out_len);

/* ---------------------------------------------------------------------------------------------
 * Training
 * ------------------------------------------------------------------------------------------- */

/**
 * Hyperparameters of mlp_train_classifier, mlp_train_regressor and mlp_train_autoencoder. Fill the defaults with mlp_train_options_init, then
 * change the fields you need.
 */
typedef struct mlp_train_options {
    /**
     * sizeof(mlp_train_options) as the caller's program was compiled, set by
     * mlp_train_options_init. A newer library reads only that many bytes, and takes the defaults
     * for fields added after them, so programs keep working when the library grows.
     */
    size_t struct_size;
    /** Widths of the hidden layers; NULL (with count 0) means one layer of 100. */
    const size_t *hidden_layer_sizes;
    size_t hidden_layer_count;
    /** The hidden activation: "relu" (default), "tanh", "sigmoid", "identity", … */
    const char *activation;
    /** The optimiser: "adam" (default), "sgd" or, since 2.2.0, "adamw" (see weight_decay). */
    const char *optimizer;
    /** The initial learning rate, default 0.001. */
    double learning_rate;
    /** The L2 penalty α, default 1e-4. */
    double alpha;
    /** Samples per mini-batch, default 200. */
    size_t batch_size;
    /** The largest number of epochs, default 200. */
    size_t max_epochs;
    /** The seed of every random choice, default 0. Same seed, same model. */
    uint64_t seed;
    /** Threads used by one batch; 0 (default) means every core. */
    size_t threads;
    /**
     * How raw inputs become features: feature = x * input_scale + input_offset, applied in
     * training and recorded in the model for prediction (as `x / 255`, `none` or
     * `x * SCALE + OFFSET`, which `mlp predict`, `mlp evaluate` and this library all read).
     * Default 1/255 and 0, as `mlp train`; 1 and 0 use the inputs as they are. input_scale must
     * be finite and non-zero, input_offset finite (else MLP_ERROR_INVALID_ARGUMENT).
     */
    float input_scale;
    float input_offset;
    /**
     * Data-parallel training across the processes of an MPI communicator, as
     * `mpirun -np R mlp train --distributed` does: set `distributed` to 1 and `mpi_comm` to
     * MPI_Comm_c2f(comm) of a communicator (MPI_COMM_WORLD or your own sub-communicator), after
     * MPI_Init. Every process of that communicator must call mlp_train_classifier with the same
     * data and options; rank 0's initial weights are broadcast, each rank computes its share of
     * every batch, the gradients are summed in rank order, and every rank returns the same model.
     * With `threads` 1, R processes train a model bit-identical to one process with threads = R.
     * The library does not call MPI_Init or MPI_Finalize. Default 0: this process alone.
     */
    int distributed;
    /** The communicator as an MPI_Fint (MPI_Comm_c2f); used only when `distributed` is 1. */
    int32_t mpi_comm;
    /**
     * Since 2.1.0. A checkpoint file, written atomically after every `checkpoint_every` epochs
     * and after the last (by rank 0 alone when distributed): the weights, the optimiser's
     * moments, step and learning rate, the shuffling state, early stopping's best weights, the
     * history and a fingerprint of the training data. mlp_train_resume continues from it.
     * Default NULL: no checkpoints. Since 2.1.1, a path that exists and is not a regular file is
     * MLP_ERROR_IO before training starts.
     */
    const char *checkpoint_path;
    /** Since 2.1.0. Epochs between checkpoints, at least 1; default 1. */
    size_t checkpoint_every;
    /**
     * Since 2.2.0. AdamW's decoupled weight decay λ (optimizer "adamw"), finite and at least 0;
     * default 0.01 as PyTorch. Each step first shrinks the weights (not the biases) by
     * (1 - learning_rate * λ), then takes PyTorch's Adam step. `alpha` (the L2 penalty) still
     * applies: set it to 0 for PyTorch's AdamW exactly. Ignored by the other optimisers.
     */
    double weight_decay;
    /**
     * Since 2.2.0. How the learning rate changes between epochs: "constant" (default),
     * "cosine" (PyTorch's CosineAnnealingLR down to minimum_learning_rate over schedule_epochs),
     * "step" (PyTorch's StepLR: times step_factor every step_size epochs), "invscaling" or
     * "adaptive" (scikit-learn's). NULL means "constant".
     */
    const char *learning_rate_schedule;
    /**
     * Since 2.2.0. Epochs of linear warm-up before the schedule, default 0: epoch e < W runs at
     * learning_rate * (e + 1) / (W + 1), and the schedule then counts from epoch W. Only with
     * the "constant", "cosine" and "step" schedules.
     */
    size_t warmup_epochs;
    /** Since 2.2.0. The "step" schedule's period in epochs, at least 1; default 10. */
    size_t step_size;
    /** Since 2.2.0. The "step" schedule's factor γ, in (0, 1]; default 0.1. */
    double step_factor;
    /** Since 2.2.0. The rate "cosine" decays to, in [0, learning_rate]; default 0. */
    double minimum_learning_rate;
    /**
     * Since 2.2.0. The epochs, warm-up included, over which "cosine" decays; 0 (default) means
     * max_epochs. Set it to resume a cosine run with more epochs than it started with.
     */
    size_t schedule_epochs;
    /**
     * Since 2.2.0. The probability in [0, 1) of dropping each hidden unit's output in training
     * (inverted dropout, kept outputs scaled by 1 / (1 - dropout)); default 0. Predictions never
     * drop. The masks follow from the seed, the step, the sample's row in the batch and the unit,
     * so a run is reproducible and resumes bit for bit.
     */
    double dropout;
    /**
     * Since 2.2.0. NULL (default), or one weight per training sample (`rows` floats), with
     * scikit-learn's meaning: each sample's loss counts that many times, and every mini-batch
     * divides its loss, gradient and L2 term by its weights' sum. Every weight must be finite and
     * at least 0, and one must be positive; otherwise MLP_ERROR_INVALID_ARGUMENT naming the first
     * bad row. The weights are part of the training data: mlp_train_resume needs the same ones.
     * The validation score of early stopping stays unweighted.
     */
    const float *sample_weights;
    /**
     * Since 2.2.0. An mlp_class_weight: MLP_CLASS_WEIGHT_NONE (default) or
     * MLP_CLASS_WEIGHT_BALANCED, multiplied into sample_weights when both are given; any other
     * value is MLP_ERROR_INVALID_ARGUMENT. Classifiers only: anything but
     * MLP_CLASS_WEIGHT_NONE given to mlp_train_regressor or mlp_train_autoencoder is
     * MLP_ERROR_INVALID_ARGUMENT.
     */
    int class_weight;
    /**
     * Since 2.3.0. An explicit per-feature scaling, replacing input_scale and input_offset:
     * feature[j] = x[j] * input_scales[j] + input_offsets[j], for the `input_scaling_count`
     * features given (it must equal `cols`, else MLP_ERROR_SHAPE). Both arrays hold
     * input_scaling_count floats, are copied (the caller keeps ownership) and are recorded in the
     * model. Every scale must be finite and non-zero and every offset finite, else
     * MLP_ERROR_INVALID_ARGUMENT naming the first bad feature; a NULL array with a non-zero count
     * is MLP_ERROR_NULL_ARGUMENT, an array with count 0 MLP_ERROR_INVALID_ARGUMENT. Default NULL,
     * NULL and 0: the uniform input_scale and input_offset.
     */
    const float *input_scales;
    const float *input_offsets;
    size_t input_scaling_count;
    /**
     * Since 2.3.0. 1 to standardize every feature with the training rows' own statistics, as
     * scikit-learn's StandardScaler and `mlp train --standardize`: feature[j] = (x[j] - mean[j]) /
     * std[j], with mean[j] and the population standard deviation std[j] (divided by rows, not
     * rows - 1) of column j of `x`, computed in double precision; a column with std 0 (constant)
     * is only centred. Stored as scale[j] = 1 / std[j], offset[j] = -mean[j] / std[j] (as float),
     * recorded in the model and applied by every prediction function. Replaces input_scale and
     * input_offset, which are then ignored. Default 0: no standardization; a value other than 0
     * or 1, or 1 together with input_scales, is MLP_ERROR_INVALID_ARGUMENT.
     */
    int standardize;
} mlp_train_options;

/** The implementation of mlp_train_options_init: fills the first `struct_size` bytes. */
mlp_status mlp_train_options_init_sized(mlp_train_options *options, size_t struct_size);

/** Fills `options` with the defaults above and records its size (see struct_size). */
static inline mlp_status mlp_train_options_init(mlp_train_options *options) {
    return mlp_train_options_init_sized(options, sizeof *options);
}

/**
 * Trains a classifier on `rows` samples of raw inputs `x` (rows × cols floats, row-major, all
 * finite) with integer `labels` (rows of them, at least two distinct values, in any order) and
 * returns it in *out. `options` may be NULL for the defaults. MLP_ERROR_INVALID_ARGUMENT for bad
 * options, labels or inputs (a scaled input that overflows too), MLP_ERROR_TRAINING when the
 * loss diverges, MLP_ERROR_OUT_OF_MEMORY (naming the size) when the copies of x and labels and
 * the training run (parameters, gradients, optimiser moments, activations) would not fit.
 */
mlp_status mlp_train_classifier(const float *x, const int32_t *labels, size_t rows, size_t cols,
                                const mlp_train_options *options, mlp_model **out);

/**
 * Since 2.3.0. Trains a regressor on `rows` samples of raw inputs `x` (rows × cols floats,
 * row-major, all finite) and numeric `targets` (rows × target_count floats, row-major: row i
 * holds sample i's target_count targets, all finite; target_count at least 1) and returns it in
 * *out. The network ends in target_count identity outputs trained on scikit-learn's squared error
 * (½ · mean over samples of Σ_j (prediction_j − target_j)²); targets are used as given (they are
 * not scaled), so predictions come in the targets' units. `options` as for
 * mlp_train_classifier (NULL for the defaults; mind that input_scale defaults to 1/255, the
 * pixel scaling: set it to 1, or set standardize, for tabular data). sample_weights weigh each
 * sample's squared error; class_weight must be MLP_CLASS_WEIGHT_NONE. The same errors as
 * mlp_train_classifier, with MLP_ERROR_INVALID_ARGUMENT naming the first non-finite target.
 * With the same options, data and threads, the model equals the library's MLPRegressor trained
 * on the scaled inputs, bit for bit.
 */
mlp_status mlp_train_regressor(const float *x, const float *targets, size_t rows, size_t cols,
                               size_t target_count, const mlp_train_options *options,
                               mlp_model **out);

/**
 * Since 2.3.0. Trains an autoencoder to reproduce its `rows` samples of raw inputs `x` (rows × cols
 * floats, row-major, all finite) and returns it in *out. The network has the hidden layers of
 * `options` (at least one; the narrowest, the first of equals, is the code: for example
 * {64, 8, 64} gives 8-float codes) and cols identity outputs, trained on the squared error
 * between its outputs and its scaled inputs (the features, see mlp_model_reconstruct).
 * sample_weights weigh each sample's reconstruction error; class_weight must be
 * MLP_CLASS_WEIGHT_NONE. The same errors as mlp_train_classifier.
 */
mlp_status mlp_train_autoencoder(const float *x, size_t rows, size_t cols,
                                 const mlp_train_options *options, mlp_model **out);

/**
 * Since 2.1.0. Continues the run that wrote the checkpoint at `checkpoint_path` (with
 * mlp_train_options.checkpoint_path, `mlp train --checkpoint`, or mlp_model_save_checkpoint),
 * on the same data `x` and `labels`, up to `options->max_epochs` epochs in all, and returns the
 * model in *out. With the same `threads` (and ranks), the result equals, bit for bit, a run that
 * never stopped.
 *
 * From `options` (NULL: the checkpoint's own settings) only these are used: max_epochs, threads,
 * distributed, mpi_comm, checkpoint_path and checkpoint_every, and (since 2.2.0) the training
 * data's sample_weights and class_weight, which must be the run's; every other setting (layers,
 * activation, optimiser, schedule, dropout, learning rate, batch size, seed, input scaling, and
 * since 2.3.0 standardize, input_scales and input_offsets) is the checkpoint's. Classifier
 * checkpoints only: a regressor's or an autoencoder's checkpoint is MLP_ERROR_INVALID_ARGUMENT.
 * MLP_ERROR_IO or MLP_ERROR_FORMAT for a missing, truncated or corrupt checkpoint (MLP_ERROR_IO
 * for one that is not a regular file); MLP_ERROR_INVALID_ARGUMENT when the data's fingerprint
 * (count and SHA-256) differs from the checkpoint's.
 */
mlp_status mlp_train_resume(const char *checkpoint_path, const float *x, const int32_t *labels, size_t rows,
                            size_t cols, const mlp_train_options *options, mlp_model **out);

/**
 * Since 2.1.0. Writes the checkpoint of the run that trained `model` (mlp_train_classifier or
 * mlp_train_resume; since 2.3.0 also mlp_train_regressor and mlp_train_autoencoder) to `path`, atomically; mlp_train_resume continues it, for example with more
 * epochs. MLP_ERROR_INVALID_ARGUMENT for a model read from a model file (it holds no
 * optimiser state), MLP_ERROR_IO when the file cannot be written or `path` is not a regular file
 * (as mlp_model_save).
 */
mlp_status mlp_model_save_checkpoint(const mlp_model *model, const char *path);

#ifdef __cplusplus
}
#endif

#endif /* MLP_H */
