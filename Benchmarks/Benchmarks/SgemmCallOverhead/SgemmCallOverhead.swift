import Benchmark
import LinearAlgebra
import SgemmLoops

/// The same single-threaded `cblas_sgemm` calls from a C loop, from Swift through `BLAS.gemm` and
/// through `Matrix.multiply`, on the section-B network's forward shapes and 64³.
/// Each iteration is 1,000 products; scaled results are per product.
/// `swift run -c release SgemmSwiftVsC` interleaves the three for a steadier ratio.
let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(
        metrics: [.wallClock, .throughput], scalingFactor: .kilo, maxDuration: .seconds(2), maxIterations: 100)
    for shape in GemmShape.compared {
        let operands = GemmOperands(shape: shape)
        for caller in GemmOperands.Caller.allCases {
            Benchmark("\(caller.rawValue) \(shape.label)", configuration: configuration) { benchmark in
                BLAS.withThreadCount(1) {
                    benchmark.startMeasurement()
                    operands.multiply(count: benchmark.scaledIterations.count, from: caller)
                    benchmark.stopMeasurement()
                }
                blackHole(operands.firstResult)
            }
        }
    }
}
