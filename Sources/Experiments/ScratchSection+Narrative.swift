import Datasets
import Reporting

extension ScratchSection {
    /// Section B's text: the title, the paragraphs, the explanations and the goals.
    enum Narrative {
        static let title = "B. MNIST from scratch: activations × initialisations"

        /// How to get MNIST, for the skipped section.
        static var missingDataAdvice: String {
            "MNIST was not found. " + NamedDataset.mnist.remedies.joined(separator: "; or ") + " (for example "
                + "`export MNIST_DIR=/path/to/mnist` with train-images-idx3-ubyte.gz and the other three files)."
        }

        static func setup(_ results: Results) -> String {
            let configuration = results.configuration
            return "MNIST: \(NumberFormat.grouped(results.trainingCount)) training rows and a seeded, stratified validation split of "
                + "\(NumberFormat.grouped(results.validationCount)) rows (no overlap) from the training file; test on "
                + "\(NumberFormat.grouped(results.testCount)) rows of the test file. Hidden layers "
                + "\(configuration.hiddenLayerSizes.map(String.init).joined(separator: "-")), softmax cross-entropy, Adam "
                + "(learning rate \(configuration.learningRate)), batch size \(configuration.batchSize), up to "
                + "\(configuration.maxEpochs) epochs with early stopping on the validation rows (patience "
                + "\(configuration.patience)). Losses and accuracies are those of the epoch whose parameters were kept "
                + "(the best validation epoch)."
        }

        static func initialisationScale(_ configuration: Configuration) -> String {
            "Random is uniform in [−s, s], normal is N(0, s²); "
                + (configuration.initScale.map { "s = \($0) for every layer." }
                   ?? "s is variance-preserving: He (σ = √(2/fan_in)) for the ReLU family and Xavier (σ = √(2/(fan_in + fan_out))) "
                      + "otherwise; the uniform limit is √3·σ so that both draws have the same variance.")
        }

        static func modelCount(_ count: Int) -> String { count == 12 ? "twelve" : String(count) }

        static func lossCaption(modelCount count: Int) -> String {
            "Training and validation loss of the \(modelCount(count)) MNIST models"
        }

        static let zeroInitialisation = "Why zero initialisation stays at chance: with every weight 0, every hidden unit of a layer computes "
            + "the same output and receives the same gradient (symmetry), so after any number of steps the units are still "
            + "identical copies of each other — a layer behaves as one unit. With zero weights feeding them, the deeper layers' "
            + "gradients are zero as well. With tanh, relu and leaky relu (f(0) = 0) every hidden output is 0, so only the output "
            + "biases learn and the network predicts the most frequent class (about 11% of MNIST). The sigmoid passes 0.5 "
            + "forward, so its layers learn — but each as a single repeated unit, a 784-1-1-1-1-10 chain, which can only tell a few "
            + "digits apart. Random initialisation breaks the symmetry."

        static let original = "The original, for comparison: sigmoid/random reached 91.94% validation accuracy, relu and leaky relu "
            + "became NaN (unscaled draws, s = 1), and tanh/normal 37.48%. Run with `--init-scale 1` to reproduce the unscaled draws; "
            + "a run whose loss becomes NaN is reported as \"diverged at epoch k\"."

        /// Which models diverged, or why none did at an explicit scale; nil otherwise.
        static func divergence(_ results: Results) -> String? {
            let diverged = results.models.filter { $0.summary.testAccuracy == nil }
                .map { "\($0.summary.name) at epoch \(divergedEpoch($0))" }
            if !diverged.isEmpty {
                return "Diverged (a batch's loss or gradient became NaN or infinite; no model was kept): "
                    + diverged.joined(separator: ", ") + "."
            }
            return results.configuration.initScale.map { scale in
                "With s = \(scale) no run diverged here: the cross-entropy is computed as log-sum-exp, so very large "
                    + "logits give large but finite losses instead of the overflow to NaN of a naive softmax."
            }
        }

        static let nonZeroGoal = "every non-zero initialisation ≥ 97% test accuracy"
        static let zeroGoal = "zero initialisation stays near chance (every zero-init model < 50% test accuracy; chance ≈ 11%)"
    }

    /// The epoch a model without a kept model is reported at: where it diverged, else its last.
    static func divergedEpoch(_ model: ModelResult) -> Int { model.summary.divergedEpoch ?? model.summary.epochsRun }
}
