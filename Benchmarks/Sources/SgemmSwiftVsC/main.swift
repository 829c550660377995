import LinearAlgebra
import SgemmLoops

// Is sgemm from Swift dearer than from C? Interleaved blocks of the same single-threaded calls;
// see SwiftVersusC. Run in release: `swift run -c release SgemmSwiftVsC`.
let comparison = SwiftVersusC(rounds: 40, callsPerBlock: 200)
print(BLAS.configuration)
let rows = GemmShape.compared.map { comparison.measure($0) }
print(comparison.table(rows).markdown())
