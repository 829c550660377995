extension ActivationsSection {
    /// Section C2's text: the title, the paragraphs and the goals.
    enum Narrative {
        static let title = "C2. Activation functions (Fashion-MNIST)"

        static func setup(_ results: Results) -> String {
            let configuration = results.configuration
            return "Split: \(results.splitDescription). Each classifier has hidden layers "
                + "\(configuration.hiddenLayerSizes.map(String.init).joined(separator: ", ")), Adam with learning rate "
                + "\(configuration.learningRate), batch size \(configuration.batchSize) and L2 penalty 1e-4, and trains for up to "
                + "\(configuration.maxEpochs) epochs, stopping when the validation accuracy has not improved by 1e-4 for "
                + "\(configuration.patience) epochs; it keeps the best validation epoch's parameters."
        }

        static let lossCaption = "Training (solid) and validation (dashed) loss per activation"

        static let original = "The original, for comparison (validation accuracy): relu 0.837, tanh 0.835, identity 0.826; "
            + "logistic 0.453, \"doesn't converge\". Losses and accuracies are those of the kept (best validation) epoch."

        /// How training ended: "diverged at epoch k", "converged" or "epoch cap".
        static func stopped(_ summary: ClassifierSummary) -> String {
            summary.divergedEpoch.map { "diverged at epoch \($0)" } ?? (summary.converged ? "converged" : "epoch cap")
        }

        static let reluGoal = "relu ≥ 0.85 validation accuracy"
        static let logisticGoal = "logistic converges (stops before the epoch cap, with a useful accuracy ≥ 0.8)"

        static func logisticMeasured(_ summary: ClassifierSummary) -> String {
            "\(summary.converged ? "stopped" : "ran") at epoch \(summary.epochsRun), val acc \(Cell.accuracy(summary.validationAccuracy))"
        }
    }
}
