import Benchmark
import BenchmarkSupport
import NeuralNetwork

/// The public element-wise kernels of the hidden and output layers. Each iteration resets the
/// block (not timed) and times one call; "Elements / s" is the block's size over that time.
let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .throughput, .elementsPerSecond], warmupIterations: 10,
        maxDuration: .seconds(1), maxIterations: 20_000)
    let activations: [Activation] = [.relu, .leakyReLU, .sigmoid, .tanh, .identity]

    func register(_ name: String, _ block: KernelBlock, kernel: @escaping (KernelBlock) -> Void) {
        Benchmark("\(name) \(block.label)", configuration: configuration) { benchmark in
            block.reset()
            benchmark.measureRate(of: block.count, as: .elementsPerSecond) { kernel(block) }
            blackHole(block.values[0])
        }
    }

    for (rows, columns) in [(128, 256), (256, 512)] {
        for activation in activations {
            // With the identity, addBiasAndActivate is the bias add alone.
            register("addBiasAndActivate \(activation.name)", KernelBlock(rows: rows, columns: columns)) { block in
                activation.addBiasAndActivate(block.values, rows: block.rows, columns: block.columns, bias: block.bias)
            }
        }
        // The identity's derivative is 1: multiplyByDerivative returns at once.
        for activation in activations where activation != .identity {
            let block = KernelBlock(rows: rows, columns: columns, outputsOf: activation)
            register("multiplyByDerivative \(activation.name)", block) { block in
                activation.multiplyByDerivative(block.values, output: block.outputs, count: block.count)
            }
        }
    }
    // The section-B output layer (10 classes) and a wide one.
    for columns in [10, 1000] {
        register("softmax", KernelBlock(rows: 128, columns: columns)) { block in
            LossFunction.softmaxCrossEntropy.addBiasAndApplyOutput(
                block.values, rows: block.rows, columns: block.columns, bias: block.bias)
        }
    }
}
