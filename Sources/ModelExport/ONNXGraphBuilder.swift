/// Collects the nodes and initializers of one ONNX graph (the `onnx.proto` messages), with names
/// given by the caller.
struct ONNXGraphBuilder {
    private(set) var nodes: [Onnx_NodeProto] = []
    private(set) var initializers: [Onnx_TensorProto] = []

    /// A float32 initializer of shape `dimensions` holding `values` (row-major); returns its name.
    @discardableResult
    mutating func addInitializer(_ name: String, dimensions: [Int], values: [Float]) -> String {
        precondition(dimensions.reduce(1, *) == values.count,
                     "initializer \(name): \(values.count) values do not fill shape \(dimensions)")
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dims = dimensions.map { Int64($0) }
        tensor.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        tensor.floatData = values
        initializers.append(tensor)
        return name
    }

    /// An int64 initializer of shape `dimensions` holding `values`; returns its name.
    @discardableResult
    mutating func addInitializer(_ name: String, dimensions: [Int], values: [Int64]) -> String {
        precondition(dimensions.reduce(1, *) == values.count,
                     "initializer \(name): \(values.count) values do not fill shape \(dimensions)")
        var tensor = Onnx_TensorProto()
        tensor.name = name
        tensor.dims = dimensions.map { Int64($0) }
        tensor.dataType = Int32(Onnx_TensorProto.DataType.int64.rawValue)
        tensor.int64Data = values
        initializers.append(tensor)
        return name
    }

    /// A node of the default (`ai.onnx`) domain computing `outputs` from `inputs`; returns its
    /// first output's name.
    @discardableResult
    mutating func addNode(
        _ operatorType: String, name: String, inputs: [String], outputs: [String],
        attributes: [Onnx_AttributeProto] = []
    ) -> String {
        var node = Onnx_NodeProto()
        node.opType = operatorType
        node.name = name
        node.input = inputs
        node.output = outputs
        node.attribute = attributes
        nodes.append(node)
        return outputs[0]
    }

    /// An integer attribute.
    static func attribute(_ name: String, integer: Int64) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.type = .int
        attribute.i = integer
        return attribute
    }

    /// A float attribute.
    static func attribute(_ name: String, float: Float) -> Onnx_AttributeProto {
        var attribute = Onnx_AttributeProto()
        attribute.name = name
        attribute.type = .float
        attribute.f = float
        return attribute
    }

    /// The type and shape of a graph input or output: a tensor of `elementType` whose
    /// dimensions are numbers or, for `nil`, the symbolic batch size `batch`.
    static func valueInfo(_ name: String, elementType: Onnx_TensorProto.DataType, dimensions: [Int?]) -> Onnx_ValueInfoProto {
        var shape = Onnx_TensorShapeProto()
        shape.dim = dimensions.map { size in
            var dimension = Onnx_TensorShapeProto.Dimension()
            if let size { dimension.dimValue = Int64(size) } else { dimension.dimParam = "batch" }
            return dimension
        }
        var tensorType = Onnx_TypeProto.Tensor()
        tensorType.elemType = Int32(elementType.rawValue)
        tensorType.shape = shape
        var type = Onnx_TypeProto()
        type.tensorType = tensorType
        var info = Onnx_ValueInfoProto()
        info.name = name
        info.type = type
        return info
    }
}
