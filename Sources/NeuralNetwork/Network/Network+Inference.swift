import LinearAlgebra
import MLPCore

extension Network {
    /// The rows processed at once by inference.
    static let inferenceChunk = 512

    /// The network's outputs for every sample of `inputs`: softmax probabilities for
    /// ``LossFunction/softmaxCrossEntropy``, values for ``LossFunction/squaredError(_:)``.
    public func outputs(for inputs: some FeatureSource) -> Matrix {
        layerOutputs(for: inputs, layer: layers.count - 1)
    }

    /// The output of layer `layer` (0-based; the last layer gives ``outputs(for:)``) for every
    /// sample: `Aₗ = f(Aₗ₋₁ · Wₗ + bₗ)`, an `n × layerSizes[layer + 1]` matrix. For an
    /// autoencoder, the bottleneck layer's output is the learned representation.
    public func layerOutputs(for inputs: some FeatureSource, layer: Int) -> Matrix {
        precondition(inputs.featureCount == inputCount,
                     "inputs have \(inputs.featureCount) features, the network expects \(inputCount)")
        precondition(layer >= 0 && layer < layers.count,
                     "layer \(layer) is outside a network of \(layers.count) layers")
        let width = layers[layer].fanOut
        var result = Matrix(rows: inputs.sampleCount, columns: width)
        let total = inputs.sampleCount
        if total == 0 { return result }
        let chunk = Swift.min(total, Network.inferenceChunk)
        let worker = BatchWorker(layers: layers, loss: loss, capacity: chunk, training: false, ownsGradient: false)
        var batch = [Float](repeating: 0, count: chunk * inputCount)
        var indices = [Int](repeating: 0, count: chunk)
        let isOutput = layer == layers.count - 1
        parameters.withUnsafeBufferPointer { parameterBuffer in
            guard let parameterBase = parameterBuffer.baseAddress else { return }
            batch.withUnsafeMutableBufferPointer { batchBuffer in
                guard let batchBase = batchBuffer.baseAddress else { return }
                result.withUnsafeMutableBufferPointer { resultBuffer in
                    guard let resultBase = resultBuffer.baseAddress else { return }
                    var start = 0
                    while start < total {
                        let rows = Swift.min(chunk, total - start)
                        for position in 0..<rows { indices[position] = start &+ position }
                        indices.withUnsafeBufferPointer { indexBuffer in
                            inputs.copyFeatures(of: UnsafeBufferPointer(rebasing: indexBuffer[0..<rows]), into: batchBase)
                        }
                        if isOutput {
                            worker.predict(parameters: parameterBase, input: batchBase, rows: rows)
                        } else {
                            worker.forwardProducts(parameters: parameterBase, input: batchBase, rows: rows, stopAfter: layer)
                        }
                        (resultBase + start &* width).update(from: worker.activations[layer], count: rows &* width)
                        start &+= rows
                    }
                }
            }
        }
        return result
    }
}

extension Network {
    /// ``outputs(for:)``, checked: every output is finite. Weights that are finite but huge (a
    /// model file with 3e38 in a layer) overflow to infinity and NaN on some inputs; a result
    /// must never carry them silently.
    /// - Throws: ``NeuralNetworkError/nonFiniteOutput(row:)`` naming the first such row.
    public func checkedOutputs(for inputs: some FeatureSource) throws(NeuralNetworkError) -> Matrix {
        let result = outputs(for: inputs)
        try Network.checkFinite(result)
        return result
    }

    /// Throws ``NeuralNetworkError/nonFiniteOutput(row:)`` for the first row of `outputs` that
    /// holds a NaN or an infinity.
    public static func checkFinite(_ outputs: Matrix) throws(NeuralNetworkError) {
        let columns = Swift.max(outputs.columns, 1)
        let firstBad: Int? = outputs.withUnsafeBufferPointer { buffer in
            buffer.firstIndex { !$0.isFinite }.map { $0 / columns }
        }
        if let firstBad { throw .nonFiniteOutput(row: firstBad) }
    }
}
