/// The element-wise kernels of the hidden layers: tight pointer loops that the compiler vectorises.
extension Activation {
    /// Adds the bias and applies the activation in one pass over a GEMM output:
    /// `values[i, j] ← f(values[i, j] + bias[j])` for a `rows × columns` row-major block.
    ///
    /// A NaN input stays NaN (ReLU uses `max(v, 0)`), so divergence is seen by the loss.
    func addBiasAndActivate(
        _ values: UnsafeMutablePointer<Float>, rows: Int, columns: Int, bias: UnsafePointer<Float>
    ) {
        switch self {
        case .sigmoid:
            for row in 0..<rows {
                let line = values + row &* columns
                for column in 0..<columns { line[column] = FastMath.sigmoid(line[column] + bias[column]) }
            }
        case .tanh:
            for row in 0..<rows {
                let line = values + row &* columns
                for column in 0..<columns { line[column] = FastMath.tanh(line[column] + bias[column]) }
            }
        case .relu:
            for row in 0..<rows {
                let line = values + row &* columns
                for column in 0..<columns { line[column] = Swift.max(line[column] + bias[column], 0) }
            }
        case .leakyReLU(let slope):
            for row in 0..<rows {
                let line = values + row &* columns
                for column in 0..<columns {
                    let v = line[column] + bias[column]
                    line[column] = v > 0 ? v : slope * v
                }
            }
        case .identity:
            for row in 0..<rows {
                let line = values + row &* columns
                for column in 0..<columns { line[column] = line[column] + bias[column] }
            }
        }
    }

    /// Multiplies a back-propagated delta by the derivative, computed from the layer's output:
    /// `delta[k] ← delta[k] · f′(a[k])` (see the table on ``Activation``).
    func multiplyByDerivative(_ delta: UnsafeMutablePointer<Float>, output: UnsafePointer<Float>, count: Int) {
        switch self {
        case .sigmoid:
            for k in 0..<count {
                let a = output[k]
                delta[k] = delta[k] * (a * (1 - a))
            }
        case .tanh:
            for k in 0..<count {
                let a = output[k]
                delta[k] = delta[k] * (1 - a * a)
            }
        case .relu:
            for k in 0..<count { delta[k] = output[k] > 0 ? delta[k] : 0 }
        case .leakyReLU(let slope):
            for k in 0..<count { delta[k] = output[k] > 0 ? delta[k] : slope * delta[k] }
        case .identity:
            break
        }
    }
}
