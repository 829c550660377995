import LinearAlgebra
import NeuralNetwork
import MLPCore

/// Row-major `rows × columns` buffers for one element-wise kernel, allocated once: the values the
/// kernel overwrites, the seeded values they are reset to before each timed call, a bias row, and
/// the layer outputs `a = f(z + b)` that a derivative reads.
///
/// The reset keeps every call on the same data: repeated in place, `δ ← δ · σ′(a)` (σ′ ≤ ¼) would
/// reach subnormal numbers within about 60 calls, and those are far slower to multiply.
final class KernelBlock {
    let rows: Int
    let columns: Int
    /// What the kernel reads and overwrites: pre-activations `z`, or deltas `δ`.
    let values: UnsafeMutablePointer<Float>
    /// One bias per column.
    let bias: UnsafePointer<Float>
    /// `f(z + b)` for the activation given at creation.
    let outputs: UnsafePointer<Float>
    private let initialValues: UnsafeMutablePointer<Float>

    /// Values uniform in [−3, 3], biases uniform in [−0.5, 0.5], both from `seed`; `outputs` is
    /// `outputsOf` applied to them.
    init(rows: Int, columns: Int, outputsOf activation: Activation = .identity, seed: UInt64 = 1) {
        precondition(rows > 0 && columns > 0, "a kernel block needs a positive shape, got \(rows)×\(columns)")
        var generator = SeededGenerator(seed: seed)
        let count = rows * columns
        let initial = UnsafeMutablePointer<Float>.allocate(capacity: count)
        for index in 0..<count { initial[index] = 6 * generator.nextUnitFloat() - 3 }
        let bias = UnsafeMutablePointer<Float>.allocate(capacity: columns)
        for index in 0..<columns { bias[index] = generator.nextUnitFloat() - 0.5 }
        let outputs = UnsafeMutablePointer<Float>.allocate(capacity: count)
        outputs.update(from: initial, count: count)
        activation.addBiasAndActivate(outputs, rows: rows, columns: columns, bias: bias)
        values = UnsafeMutablePointer<Float>.allocate(capacity: count)
        values.update(from: initial, count: count)
        self.rows = rows
        self.columns = columns
        self.initialValues = initial
        self.bias = UnsafePointer(bias)
        self.outputs = UnsafePointer(outputs)
    }

    deinit {
        values.deallocate()
        initialValues.deallocate()
        bias.deallocate()
        outputs.deallocate()
    }

    /// `rows · columns`.
    var count: Int { rows * columns }

    /// `"rows×columns"`.
    var label: String { "\(rows)×\(columns)" }

    /// Restores ``values`` to the seeded values.
    func reset() {
        values.update(from: initialValues, count: count)
    }
}
