import LinearAlgebra
import MLPCore

/// The element-wise kernels of the hidden layers, run by the active kernel path (see `Kernels`).
extension Activation {
    /// The kernels' name for this activation.
    var elementwiseFunction: ElementwiseFunction {
        switch self {
        case .sigmoid: return .sigmoid
        case .tanh: return .tanh
        case .relu: return .relu
        case .leakyReLU(let slope): return .leakyReLU(slope: slope)
        case .identity: return .identity
        }
    }

    /// Adds the bias and applies the activation in one pass over a GEMM output:
    /// `values[i, j] ← f(values[i, j] + bias[j])` for a `rows × columns` row-major block.
    ///
    /// A NaN input stays NaN (a comparison with NaN is false, so no select replaces it), and
    /// divergence is then seen by the loss.
    public func addBiasAndActivate(
        _ values: UnsafeMutablePointer<Float>, rows: Int, columns: Int, bias: UnsafePointer<Float>
    ) {
        Kernels.active.addBiasAndApply(elementwiseFunction, to: values, rows: rows, columns: columns, bias: bias)
    }

    /// Multiplies a back-propagated delta by the derivative, computed from the layer's output:
    /// `delta[k] ← delta[k] · f′(a[k])` (see the table on ``Activation``).
    public func multiplyByDerivative(_ delta: UnsafeMutablePointer<Float>, output: UnsafePointer<Float>, count: Int) {
        Kernels.active.multiplyByDerivative(of: elementwiseFunction, delta: delta, output: output, count: count)
    }
}
