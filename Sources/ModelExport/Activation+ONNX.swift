import NeuralNetwork

extension Activation {
    /// The ONNX operator that computes this activation element-wise, with its attributes, or nil
    /// for `Activation.identity` (which needs no node):
    ///
    /// | activation | ONNX operator |
    /// | --- | --- |
    /// | `sigmoid` | `Sigmoid` |
    /// | `tanh` | `Tanh` |
    /// | `relu` | `Relu` |
    /// | `leakyReLU(slope)` | `LeakyRelu` with `alpha = slope` |
    /// | `identity` | none |
    ///
    /// - Throws: ``ONNXExportError/unsupportedActivation(_:)`` for an activation no operator
    ///   computes (a leaky ReLU whose slope is not a finite number).
    func onnxOperator() throws(ONNXExportError) -> (type: String, attributes: [Onnx_AttributeProto])? {
        switch self {
        case .sigmoid: return ("Sigmoid", [])
        case .tanh: return ("Tanh", [])
        case .relu: return ("Relu", [])
        case .leakyReLU(let slope):
            guard slope.isFinite else { throw .unsupportedActivation(name) }
            return ("LeakyRelu", [ONNXGraphBuilder.attribute("alpha", float: slope)])
        case .identity: return nil
        }
    }
}
