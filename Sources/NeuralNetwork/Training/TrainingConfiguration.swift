/// How work within a batch is spread over threads.
///
/// In both modes the update stage (gradient reduction, L2 term, optimiser step) is split over
/// the threads by parameter range, except a first layer that the fused step updates (see
/// ``TrainingConfiguration/fusesFirstLayer``), split by input rows. ``dataParallel`` is the default: besides the products it
/// parallelises the batch loading, the sparse first layer and the element-wise kernels, which
/// OpenBLAS's own threads cannot. `mlp bench train` measures both splits of the bare GEMM calls
/// side by side; on a 2-vCPU Zen 3 machine they tied within the noise (0.47–0.52 s an MNIST
/// epoch of the section-B network), and OpenBLAS's split loses on mid-size shapes (see
/// `mlp bench gemm`).
public enum Parallelism: String, Sendable, Hashable, Codable, CaseIterable, NamedChoice {
    /// The batch's rows are split into `threads` contiguous blocks; each worker runs the forward
    /// and backward pass on its block with single-threaded BLAS and its own buffers, and the
    /// gradients are summed in worker order (deterministic for a given thread count).
    case dataParallel = "data-parallel"
    /// One worker processes the whole batch and OpenBLAS uses `threads` threads inside each call.
    case blas

    public static let choiceKind = "parallelism"
    public static let aliases: [String: Parallelism] = ["data": .dataParallel, "openblas": .blas]
}

/// How the gradients of several processes are summed (see ``Communicator``).
public enum GradientReduction: String, Sendable, Hashable, Codable, CaseIterable, NamedChoice {
    /// Every rank gathers every rank's gradient and adds them in rank order: the sum is the same
    /// on every rank and independent of the network, so `R` processes of one thread each give
    /// bit-identical weights to one process of `R` threads (trained with
    /// ``TrainingConfiguration/fusesFirstLayer`` off when its fused step would apply). The default.
    case ordered
    /// MPI's own `MPI_Allreduce`: less data to move, but its summation order depends on the
    /// algorithm MPI picks, so results agree with the ordered sum only to rounding.
    case allreduce

    public static let choiceKind = "reduction"
    public static let aliases: [String: GradientReduction] = ["mpi": .allreduce]
}

/// How the first layer multiplies its input, `X · W₁`.
///
/// Image inputs are mostly zeros (an MNIST batch is about 19 % non-zero). The sparse kernel
/// visits only the non-zero inputs: the forward product adds `x · W₁[k, ·]` for each non-zero
/// `x = X[i, k]`, and the weight gradient `W₁ᵀ`'s rows are sums over the samples where pixel
/// `k` is non-zero. For finite weights and deltas the skipped terms are exact zeros, so both
/// kernels compute the same sums in a different order (results agree to rounding); a diverging
/// run can differ, as `0 · ∞` is NaN in the dense product and absent from the sparse one.
/// Training uses it; inference (`outputs(for:)`) always runs dense, so a sample's prediction does
/// not depend on the other samples around it.
public enum InputKernel: String, Sendable, Hashable, Codable, CaseIterable, NamedChoice {
    /// Sparse when a batch's share of non-zero inputs is at most
    /// ``TrainingConfiguration/sparseInputDensity``, dense (BLAS) otherwise, decided per batch.
    case automatic = "auto"
    /// Always BLAS `sgemm`.
    case dense
    /// Always the sparse kernel.
    case sparse

    public static let choiceKind = "input kernel"
    public static let aliases: [String: InputKernel] = ["automatic": .automatic, "blas": .dense]

    /// Whether inputs with `density` of their entries non-zero run sparse under this kernel, with
    /// `threshold` the automatic kernel's ``TrainingConfiguration/sparseInputDensity``.
    public func runsSparse(density: Double, threshold: Double) -> Bool {
        switch self {
        case .automatic: return density <= threshold
        case .dense: return false
        case .sparse: return true
        }
    }

    /// The share of a block's inputs its sparse lists need room for: the densest block that runs
    /// sparse (every input with the sparse kernel, `threshold` with the automatic one; the dense
    /// kernel lists nothing).
    func listedDensity(threshold: Double) -> Double {
        switch self {
        case .automatic: return threshold
        case .dense: return 0
        case .sparse: return 1
        }
    }
}

/// Every hyperparameter of a training run, with scikit-learn's defaults and names spelled out.
///
/// A configuration is a value: set the fields, then ``validate()`` (the models do so in `fit`).
/// It is `Codable` and is saved, as JSON, inside every model file.
public struct TrainingConfiguration: Sendable, Hashable, Codable {
    /// The width of each hidden layer (scikit-learn's `hidden_layer_sizes`), default `[100]`.
    public var hiddenLayerSizes: [Int] = [100]
    /// The hidden layers' activation, default ReLU.
    public var activation: Activation = .relu
    /// How the parameters start, default scikit-learn's.
    public var initialization: Initialization = .sklearn
    /// The scale `s` of ``Initialization/uniform`` (limit) and ``Initialization/normal`` (standard
    /// deviation); `nil` takes the variance-preserving default. Ignored by the other schemes.
    public var initScale: Float? = nil
    /// The update rule, default Adam.
    public var optimizer: Optimizer = .adam
    /// The initial learning rate η₀, default 0.001.
    public var learningRateInit: Double = 0.001
    /// How η changes between epochs, default constant.
    public var learningRateSchedule: LearningRateSchedule = .constant
    /// Epochs of linear warm-up before the schedule starts, default 0 (none): epoch `e < W` runs at
    /// `η₀ · (e + 1) / (W + 1)` (PyTorch's `LinearLR` with `start_factor = 1/(W + 1)` and
    /// `total_iters = W`, chained by `SequentialLR`), and the schedule then runs on `e − W`.
    /// Only with the ``LearningRateSchedule/constant``, ``LearningRateSchedule/cosine`` and
    /// ``LearningRateSchedule/step`` schedules.
    public var warmupEpochs: Int = 0
    /// The epochs between two decays of ``LearningRateSchedule/step`` (PyTorch's `step_size`), default 10.
    public var stepSize: Int = 10
    /// The factor γ in (0, 1] that ``LearningRateSchedule/step`` multiplies η by every
    /// ``stepSize`` epochs (PyTorch's `gamma`), default 0.1.
    public var stepFactor: Double = 0.1
    /// The rate η_min that ``LearningRateSchedule/cosine`` decays to (PyTorch's `eta_min`), in
    /// [0, η₀], default 0.
    public var minimumLearningRate: Double = 0
    /// The epochs, warm-up included, over which ``LearningRateSchedule/cosine`` decays from η₀ to
    /// η_min; `nil` (the default) means ``maxEpochs``. Set it to resume a cosine run with more
    /// epochs than it started with: with `nil`, `maxEpochs` shapes the schedule, so a resumed run
    /// may not change it.
    public var scheduleEpochs: Int? = nil
    /// The decoupled weight decay λ of ``Optimizer/adamw`` (PyTorch's `weight_decay`), default 0.01
    /// as in PyTorch. Ignored by the other optimisers.
    public var weightDecay: Double = 0.01
    /// The probability p in [0, 1) of dropping each hidden unit's output during training (inverted
    /// dropout: kept outputs are scaled by `1/(1 − p)`), default 0 (none). Predictions never drop.
    public var dropout: Double = 0
    /// The exponent of ``LearningRateSchedule/inverseScaling``, default 0.5.
    public var powerT: Double = 0.5
    /// Consecutive non-improving epochs before ``LearningRateSchedule/adaptive`` divides η by 5.
    public var adaptivePatience: Int = 2
    /// SGD's momentum μ in [0, 1), default 0.9.
    public var momentum: Double = 0.9
    /// Whether SGD uses Nesterov momentum, default true.
    public var nesterov: Bool = true
    /// Adam's β₁ in [0, 1), default 0.9.
    public var beta1: Double = 0.9
    /// Adam's β₂ in [0, 1), default 0.999.
    public var beta2: Double = 0.999
    /// Adam's ε > 0, default 1e-8.
    public var epsilon: Double = 1e-8
    /// Samples per mini-batch, default 200; a larger value than the training set means full batch.
    public var batchSize: Int = 200
    /// The largest number of epochs (scikit-learn's `max_iter`), default 200.
    public var maxEpochs: Int = 200
    /// The least improvement that counts (scikit-learn's `tol`), default 1e-4.
    public var tolerance: Double = 1e-4
    /// Training stops once more than this many consecutive epochs improve the loss (or the
    /// validation score, with early stopping) by less than ``tolerance`` (scikit-learn's
    /// `n_iter_no_change`, default 10).
    public var epochsWithoutImprovement: Int = 10
    /// Whether to hold out ``validationFraction`` of the training data (stratified for a
    /// classifier), stop on its score and restore the best parameters. With an explicit
    /// validation set, that set is used instead.
    public var earlyStopping: Bool = false
    /// The held-out fraction for early stopping, in (0, 1), default 0.1.
    public var validationFraction: Double = 0.1
    /// The L2 penalty α: the loss gains `α / (2n) · Σ ‖W‖²` over the weights (not the biases)
    /// of a batch of `n`; default 1e-4.
    public var alpha: Double = 1e-4
    /// When set, gradients whose global norm `‖g‖₂` exceeds it are scaled to that norm.
    public var gradientClipNorm: Double? = nil
    /// Whether to reshuffle the training samples every epoch, default true.
    public var shuffle: Bool = true
    /// The seed of every random choice (initialisation, validation split, shuffles).
    public var seed: UInt64 = 0
    /// Threads used by one batch; 0 means every core. Results are bit-identical for the same seed,
    /// thread count, parallelism, input kernel and OpenBLAS kernel (see <doc:Determinism>). OpenBLAS's thread count is process-wide: `fit` sets it (1 for
    /// ``Parallelism/dataParallel``) and restores it afterwards, so run fits one at a time.
    public var threads: Int = 0
    /// How the threads share a batch; see ``Parallelism``.
    public var parallelism: Parallelism = .dataParallel
    /// How the gradients of several processes are summed when training is distributed; see
    /// ``GradientReduction``. Ignored by a single process.
    public var gradientReduction: GradientReduction = .ordered
    /// How the first layer multiplies its input; see ``InputKernel``.
    public var inputKernel: InputKernel = .automatic
    /// The largest share of non-zero inputs in a batch for which ``InputKernel/automatic``
    /// takes the sparse kernel, in [0, 1].
    public var sparseInputDensity: Double = 0.35
    /// Whether one process training a first layer that runs sparse (without gradient clipping
    /// or dropout) fuses that layer's weight gradient into the optimiser's step: each thread owns
    /// a range of the layer's inputs (rows of its weights), lists and multiplies only those, and
    /// applies the step to its rows as their gradient is summed, over the whole batch, without
    /// storing it. It is faster (README, issue 16) and rounds differently from the data-parallel
    /// step, which runs of several processes always take: `R` processes of one thread equal one
    /// process of `R` threads bit for bit only with this off. SGD (with or without momentum),
    /// Adam and AdamW.
    public var fusesFirstLayer: Bool = true
    /// The squared-error normalisation of a regressor or autoencoder.
    public var squaredErrorConvention: SquaredErrorConvention = .halfMeanOverSamples
    /// Whether `fit` continues from the current parameters instead of re-initialising.
    public var warmStart: Bool = false

    /// The default configuration (scikit-learn's defaults).
    public init() {}

    /// A configuration with the most-used fields set and the rest at their defaults.
    public init(
        hiddenLayerSizes: [Int], activation: Activation = .relu,
        initialization: Initialization = .sklearn, optimizer: Optimizer = .adam,
        learningRateInit: Double = 0.001, batchSize: Int = 200, maxEpochs: Int = 200,
        alpha: Double = 1e-4, seed: UInt64 = 0, threads: Int = 0
    ) {
        self.hiddenLayerSizes = hiddenLayerSizes
        self.activation = activation
        self.initialization = initialization
        self.optimizer = optimizer
        self.learningRateInit = learningRateInit
        self.batchSize = batchSize
        self.maxEpochs = maxEpochs
        self.alpha = alpha
        self.seed = seed
        self.threads = threads
    }
}
