/// The element-wise kernels of the hidden layers (pointer loops the compiler vectorises; see
/// ``FastMath``).
extension Activation {
    /// Adds the bias and applies the activation in one pass over a GEMM output:
    /// `values[i, j] ← f(values[i, j] + bias[j])` for a `rows × columns` row-major block.
    ///
    /// A NaN input stays NaN (a comparison with NaN is false, so no select replaces it), and
    /// divergence is then seen by the loss.
    public func addBiasAndActivate(
        _ values: UnsafeMutablePointer<Float>, rows: Int, columns: Int, bias: UnsafePointer<Float>
    ) {
        switch self {
        case .sigmoid:
            FastMath.mapRows(values, rows: rows, columns: columns, bias: bias) { FastMath.sigmoid($0) }
        case .tanh:
            FastMath.mapRows(values, rows: rows, columns: columns, bias: bias) { FastMath.tanh($0) }
        case .relu:
            FastMath.mapRows(values, rows: rows, columns: columns, bias: bias) { $0 < 0 ? 0 : $0 }
        case .leakyReLU(let slope):
            FastMath.mapRows(values, rows: rows, columns: columns, bias: bias) { $0 < 0 ? slope * $0 : $0 }
        case .identity:
            FastMath.mapRows(values, rows: rows, columns: columns, bias: bias) { $0 }
        }
    }

    /// Multiplies a back-propagated delta by the derivative, computed from the layer's output:
    /// `delta[k] ← delta[k] · f′(a[k])` (see the table on ``Activation``).
    public func multiplyByDerivative(_ delta: UnsafeMutablePointer<Float>, output: UnsafePointer<Float>, count: Int) {
        switch self {
        case .sigmoid:
            FastMath.zip(delta, output, count: count) { d, a in d * (a * (1 - a)) }
        case .tanh:
            FastMath.zip(delta, output, count: count) { d, a in d * (1 - a * a) }
        case .relu:
            FastMath.zip(delta, output, count: count) { d, a in a > 0 ? d : 0 }
        case .leakyReLU(let slope):
            FastMath.zip(delta, output, count: count) { d, a in a > 0 ? d : slope * d }
        case .identity:
            break
        }
    }
}
