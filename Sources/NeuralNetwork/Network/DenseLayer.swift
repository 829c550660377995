/// A dense layer's view of the network's one flat parameter vector.
///
/// The layer computes `A = f(X · W + b)` for a batch `X` of `rows × fanIn` (samples are rows).
/// Its weights `W` (`fanIn × fanOut`, row-major) start at ``offset``; the bias `b` (`fanOut`
/// values) follows straight after them at ``biasOffset``. Gradients use the same layout in a
/// second flat vector, so an optimiser updates one vector and data-parallel workers sum their
/// gradients with one `axpy`.
public struct DenseLayer: Sendable, Hashable {
    /// Inputs per sample.
    public let fanIn: Int
    /// Outputs per sample (units).
    public let fanOut: Int
    /// Where the weights start in the flat parameter vector.
    public let offset: Int
    /// The activation applied after the bias; the output layer's is decided by the loss and is
    /// recorded here as `identity`.
    public let activation: Activation

    /// `fanIn · fanOut`.
    @inlinable public var weightCount: Int { fanIn &* fanOut }
    /// Where the bias starts: `offset + fanIn · fanOut`.
    @inlinable public var biasOffset: Int { offset &+ fanIn &* fanOut }
    /// `fanIn · fanOut + fanOut`.
    @inlinable public var parameterCount: Int { fanIn &* fanOut &+ fanOut }
    /// The index one past this layer's last parameter.
    @inlinable public var endOffset: Int { offset &+ parameterCount }

    /// The layers for `layerSizes = [inputs, hidden…, outputs]`, packed one after another.
    static func layout(layerSizes: [Int], hiddenActivation: Activation) -> [DenseLayer] {
        var layers = [DenseLayer]()
        var offset = 0
        for index in 0..<(layerSizes.count - 1) {
            let isOutput = index == layerSizes.count - 2
            let layer = DenseLayer(
                fanIn: layerSizes[index], fanOut: layerSizes[index + 1], offset: offset,
                activation: isOutput ? .identity : hiddenActivation)
            layers.append(layer)
            offset = layer.endOffset
        }
        return layers
    }
}
