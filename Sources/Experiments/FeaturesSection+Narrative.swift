import NeuralNetwork
import Reporting

extension FeaturesSection {
    /// Section C5's text: the title, the paragraphs, the original's numbers and the goal.
    enum Narrative {
        static let title = "C5. Classifying in the autoencoders' 32-dimensional feature space (Fashion-MNIST)"

        static func setup(_ results: Results) -> String {
            "Each autoencoder of C4 (learning rate \(Cell.learningRate(results.autoencoderLearningRate))) encodes "
                + "every image as its \(results.codeWidth)-dimensional "
                + "bottleneck output; the codes are standardised with the training codes' mean and standard deviation, and C2's relu "
                + "classifier (hidden 128, 64, Adam 0.002, batch 256, early stopping on the validation rows) is trained on them. "
                + "Split: \(results.splitDescription)."
        }

        /// The original's accuracies, features against raw pixels.
        static func original(_ activation: Activation) -> String {
            activation == .identity ? "0.817 vs 0.826" : "0.791 vs 0.837"
        }

        static func modelName(_ model: ModelResult) -> String {
            "\(model.activation.name) (raw: \(ActivationsSection.label(model.activation)) classifier)"
        }

        static let rawComparison = "The raw-pixel columns are C2's classifiers with the autoencoder's activation (relu, identity), "
            + "as in the original's comparison (relu 0.791 against 0.837, identity 0.817 against 0.826)."

        /// "relu autoencoder codes".
        static func bestName(_ model: ModelResult) -> String { "\(model.activation.name) autoencoder codes" }

        static func confusionHeading(_ best: ModelResult) -> String { "Confusion matrix: \(bestName(best)), test rows" }

        static func confusion(_ best: ModelResult, _ confusion: ConfusionMatrix, testCount: Int) -> String {
            "The feature model with the best validation accuracy (\(bestName(best))), on the \(NumberFormat.grouped(testCount)) test rows: "
                + "accuracy \(Cell.accuracy(confusion.accuracy)). Rows are the true classes, columns the predictions."
        }

        static func heatmapTitle(_ best: ModelResult) -> String { "Confusion matrix: \(bestName(best)) (test rows)" }
        static let heatmapCaption = "Confusion matrix on the test rows, with counts"

        static let accuracyGoal = "≥ 0.82 accuracy from the 32-dimensional features (best validation)"

        static func classifierDescription(_ configuration: Configuration) -> String {
            "hidden 128, 64, relu, Adam 0.002, batch 256, up to \(configuration.classifier.maxEpochs) epochs, early stopping"
        }
    }
}
