import Foundation
import MLPCore

/// The element-wise kernels of the hidden and output layers: pointer loops over ``FastMath`` that
/// the compiler vectorises.
extension KernelTable {
    /// `values[i, j] ← f(values[i, j] + bias[j])`. A NaN input stays NaN (a comparison with NaN is
    /// false, so no select replaces it), and divergence is then seen by the loss.
    func addBiasAndApply(_ function: ElementwiseFunction, to values: UnsafeMutablePointer<Float>,
                                rows: Int, columns: Int, bias: UnsafePointer<Float>) {
        switch function {
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

    /// `delta[k] ← delta[k] · f′(a[k])`, from the output `a = f(z)`.
    func multiplyByDerivative(of function: ElementwiseFunction, delta: UnsafeMutablePointer<Float>,
                                     output: UnsafePointer<Float>, count: Int) {
        switch function {
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

    /// `destination[k] ← destination[k] + source[k]`.
    func add(_ source: UnsafePointer<Float>, to destination: UnsafeMutablePointer<Float>, count: Int) {
        FastMath.zip(destination, source, count: count) { $0 + $1 }
    }

    /// Softmax of one row in place after adding the bias; returns `m + log Σⱼ e^(zⱼ − m)`.
    func addBiasAndSoftmax(_ line: UnsafeMutablePointer<Float>, columns: Int, bias: UnsafePointer<Float>) -> Float {
        var largest = -Float.infinity
        for column in 0..<columns {
            let v = line[column] + bias[column]
            line[column] = v
            largest = Swift.max(largest, v)
        }
        var sum: Float = 0
        for column in 0..<columns {
            let e = FastMath.exp(line[column] - largest)
            line[column] = e
            sum += e
        }
        let inverse = 1 / sum
        for column in 0..<columns { line[column] *= inverse }
        return largest + Foundation.log(sum)
    }
}
