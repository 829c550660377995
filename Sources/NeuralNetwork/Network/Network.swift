import LinearAlgebra
import MLPCore

/// The weights and bias of one dense layer, as given by or returned to a user.
public struct LayerParameters: Sendable, Equatable {
    /// `fanIn × fanOut`.
    public var weights: Matrix
    /// `fanOut` values.
    public var bias: [Float]

    public init(weights: Matrix, bias: [Float]) {
        precondition(bias.count == weights.columns,
                     "a bias of \(bias.count) values does not fit weights of shape \(weights.shapeDescription)")
        self.weights = weights
        self.bias = bias
    }
}

/// A multilayer perceptron: dense layers whose parameters live in one flat vector.
///
/// For a batch `X` (`n × layerSizes[0]`, samples are rows) the forward pass is, layer by layer,
/// `A₀ = X`, `Aₗ = f(Aₗ₋₁ · Wₗ + bₗ)` with the hidden activation `f`, and the last layer applies the
/// output function of ``loss`` (softmax or identity). A `Network` is a value; the models
/// (``MLPClassifier``, ``MLPRegressor``, ``Autoencoder``) train one.
public struct Network: Sendable, Hashable {
    /// `[inputs, hidden₁, …, outputs]`.
    public let layerSizes: [Int]
    /// The activation of every hidden layer.
    public let hiddenActivation: Activation
    /// The output function and loss.
    public let loss: LossFunction
    /// The layers' views of ``parameters``.
    public let layers: [DenseLayer]
    /// Every weight and bias, layer after layer, each layer's weights (row-major) then its bias.
    public private(set) var parameters: [Float]

    /// A network with freshly initialised parameters.
    ///
    /// - Parameters:
    ///   - layerSizes: `[inputs, hidden₁, …, outputs]`, every size positive.
    ///   - hiddenActivation: the activation of every hidden layer.
    ///   - loss: the output function and loss.
    ///   - initialization: how weights and biases start (see ``Initialization``).
    ///   - initScale: the scale `s` of ``Initialization/uniform`` and ``Initialization/normal``;
    ///     `nil` takes the variance-preserving default.
    ///   - generator: the source of every random draw.
    public init(
        layerSizes: [Int], hiddenActivation: Activation, loss: LossFunction,
        initialization: Initialization = .sklearn, initScale: Float? = nil,
        using generator: inout SeededGenerator
    ) {
        Network.checkSizes(layerSizes)
        let layers = DenseLayer.layout(layerSizes: layerSizes, hiddenActivation: hiddenActivation)
        var parameters = [Float](repeating: 0, count: layers.last?.endOffset ?? 0)
        parameters.withUnsafeMutableBufferPointer { buffer in
            for layer in layers {
                initialization.fill(
                    weights: UnsafeMutableBufferPointer(rebasing: buffer[layer.offset..<layer.biasOffset]),
                    bias: UnsafeMutableBufferPointer(rebasing: buffer[layer.biasOffset..<layer.endOffset]),
                    fanIn: layer.fanIn, fanOut: layer.fanOut, activation: hiddenActivation, scale: initScale,
                    using: &generator)
            }
        }
        self.layerSizes = layerSizes
        self.hiddenActivation = hiddenActivation
        self.loss = loss
        self.layers = layers
        self.parameters = parameters
    }

    /// A network over an existing flat parameter vector (layout as in ``DenseLayer``).
    public init(layerSizes: [Int], hiddenActivation: Activation, loss: LossFunction, parameters: [Float]) {
        Network.checkSizes(layerSizes)
        let layers = DenseLayer.layout(layerSizes: layerSizes, hiddenActivation: hiddenActivation)
        let expected = layers.last?.endOffset ?? 0
        precondition(parameters.count == expected,
                     "\(parameters.count) parameters do not fit layer sizes \(layerSizes) (\(expected) needed)")
        self.layerSizes = layerSizes
        self.hiddenActivation = hiddenActivation
        self.loss = loss
        self.layers = layers
        self.parameters = parameters
    }

    /// A network with the given weights and biases, first layer first.
    public init(layers given: [LayerParameters], hiddenActivation: Activation, loss: LossFunction) {
        precondition(!given.isEmpty, "a network needs at least one layer")
        var sizes = [given[0].weights.rows]
        var flat = [Float]()
        for (index, layer) in given.enumerated() {
            precondition(layer.weights.rows == sizes[index],
                         "layer \(index) weights are \(layer.weights.shapeDescription) but the layer before has \(sizes[index]) outputs")
            sizes.append(layer.weights.columns)
            flat += layer.weights.elements
            flat += layer.bias
        }
        self.init(layerSizes: sizes, hiddenActivation: hiddenActivation, loss: loss, parameters: flat)
    }

    private static func checkSizes(_ layerSizes: [Int]) {
        precondition(layerSizes.count >= 2, "a network needs input and output sizes, got \(layerSizes)")
        precondition(layerSizes.allSatisfy { $0 > 0 }, "every layer size must be positive, got \(layerSizes)")
    }

    /// Features per input sample.
    public var inputCount: Int { layerSizes[0] }
    /// Outputs per sample.
    public var outputCount: Int { layerSizes[layerSizes.count - 1] }
    /// The total number of weights and biases.
    public var parameterCount: Int { parameters.count }

    /// Replaces every parameter; the count must stay the same.
    public mutating func setParameters(_ newParameters: [Float]) {
        precondition(newParameters.count == parameters.count,
                     "\(newParameters.count) parameters given, the network has \(parameters.count)")
        parameters = newParameters
    }

    /// Layer `index`'s weights, `fanIn × fanOut`.
    public func weights(ofLayer index: Int) -> Matrix {
        let layer = layers[index]
        return Matrix(rows: layer.fanIn, columns: layer.fanOut,
                      elements: Array(parameters[layer.offset..<layer.biasOffset]))
    }

    /// Layer `index`'s bias, `fanOut` values.
    public func bias(ofLayer index: Int) -> [Float] {
        let layer = layers[index]
        return Array(parameters[layer.biasOffset..<layer.endOffset])
    }

    /// Layer `index`'s weights and bias.
    public func parameters(ofLayer index: Int) -> LayerParameters {
        LayerParameters(weights: weights(ofLayer: index), bias: bias(ofLayer: index))
    }

    /// Replaces layer `index`'s weights and bias (same shapes).
    public mutating func setParameters(_ given: LayerParameters, ofLayer index: Int) {
        let layer = layers[index]
        precondition(given.weights.rows == layer.fanIn && given.weights.columns == layer.fanOut,
                     "weights of shape \(given.weights.shapeDescription) do not fit layer \(index), \(layer.fanIn)×\(layer.fanOut)")
        parameters.replaceSubrange(layer.offset..<layer.biasOffset, with: given.weights.elements)
        parameters.replaceSubrange(layer.biasOffset..<layer.endOffset, with: given.bias)
    }

    /// `Σₗ ‖Wₗ‖²` over the weights of every layer (biases excluded), accumulated in `Double`.
    public var squaredWeightNorm: Double {
        var total: Double = 0
        for layer in layers {
            for index in layer.offset..<layer.biasOffset {
                total += Double(parameters[index]) * Double(parameters[index])
            }
        }
        return total
    }
}
