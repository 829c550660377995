import LinearAlgebra
import NeuralNetwork

/// What a program does with a model it has just loaded, so that metadata which passes loading but
/// cannot be used (a network that does not fit its classes, say) is found too.
///
/// Each model predicts one sample of zeros: `network.outputs(for:)`, then the kind's own entry
/// points (`predict` and `predictProbabilities`, `predict`, `reconstruct` and the bottleneck's
/// `features(of:layer:)`). Loading has already checked the shapes, so the work is bounded by the
/// size of the input.
public enum LoadedModelUse {
    /// Predicts one row of zeros with `saved` in every way its kind allows.
    public static func exercise(_ saved: SavedModel) {
        guard let network = saved.network else { return }
        let zeros = Matrix(rows: 1, columns: network.inputCount)
        _ = network.outputs(for: zeros)
        _ = saved.model.history.epochsRun
        switch saved {
        case .classifier(let model):
            _ = model.predictProbabilities(zeros)
            _ = model.predict(zeros)
            _ = model.classNames?.count
        case .regressor(let model):
            _ = model.predict(zeros)
        case .autoencoder(let model):
            _ = model.reconstruct(zeros)
            _ = model.features(of: zeros, layer: model.bottleneckLayer)
        }
    }
}
