import Reporting

extension AutoencoderSection {
    /// Section C4's text: the title, the paragraphs, the captions and the goal.
    enum Narrative {
        static let title = "C4. Autoencoders and the PCA floor (Fashion-MNIST)"

        static func setup(_ results: Results) -> String {
            let configuration = results.configuration
            return "Network 784-\(configuration.hiddenLayerSizes.map(String.init).joined(separator: "-"))-784 with relu or identity "
                + "hidden activations, identity output, squared error, Adam (batch size \(configuration.batchSize), no L2 penalty), up to "
                + "\(configuration.maxEpochs) epochs with early stopping on the validation loss (patience \(configuration.patience), the "
                + "best validation epoch's parameters kept), trained on the \(NumberFormat.grouped(results.trainingCount)) training rows; errors are "
                + "the mean squared error per pixel (pixels scaled to [0, 1]), computed the same way for the autoencoders and PCA. "
                + "Split: \(results.splitDescription)."
        }

        static func pcaBaseline(_ results: Results) -> String {
            let codeSize = results.configuration.codeSize
            return "PCA baseline: the \(codeSize) leading eigenvectors of the training covariance (LAPACK ssyevd) "
                + "explain \(NumberFormat.percent(results.pca.explainedVarianceRatio, decimals: 1)) of the variance. Its reconstruction "
                + "μ + V Vᵀ(x − μ) is the best possible linear \(codeSize)-dimensional one, so its error is the floor an identity "
                + "autoencoder can reach; on the training rows it equals the sum of the discarded eigenvalues over 784 "
                + "(\(NumberFormat.fixed(results.pca.trainingFloor, decimals: 5))). A relu autoencoder is not linear and may go below it."
        }

        static func validationAndTest(_ results: Results) -> String {
            "The validation rows choose the stopping epoch, so their error is slightly optimistic; the test rows "
                + "(\(NumberFormat.grouped(results.testCount)), used for nothing else) give the unbiased figure for the same models."
        }

        static let originalRate = "The original trained at learning rate 2e-5; both rates are in the table. scikit-learn on this machine "
            + "reaches about 3× lower loss at 1e-3 than at 2e-5."

        static func modelName(_ model: ModelResult) -> String {
            model.activation == .identity ? "identity autoencoder" : "relu autoencoder"
        }

        static let lossCaption = "Training (solid) and validation (dashed) reconstruction loss"
        static let reconstructionsTitle = "Reconstructions of 10 test images"
        static let reconstructionRows = ["original", "relu autoencoder", "identity autoencoder", "PCA (32)"]
        static let reconstructionsCaption = "Rows: original, relu autoencoder, identity autoencoder, PCA with 32 components (10 test rows)"
        static let labeledReconstructionsCaption = "The same reconstructions, with row labels"

        static let floorGoal = "identity autoencoder within 10% of the PCA floor on the validation rows"

        static func floorMeasured(identity: Double, pca: Double) -> String {
            "\(NumberFormat.fixed(identity, decimals: 5)) vs \(NumberFormat.fixed(pca, decimals: 5)), "
                + "ratio \(NumberFormat.fixed(identity / pca, decimals: 3))"
        }
    }
}
