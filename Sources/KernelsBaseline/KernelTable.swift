// This file and its siblings are compiled three times, once per kernel path: as KernelsBaseline
// (the architecture's baseline), KernelsAVX2 (`-target-cpu haswell`) and KernelsAVX512
// (`-target-cpu skylake-avx512`, 512-bit vectors preferred); the other two targets' files are
// symbolic links to these. Package.swift defines KERNELS_AVX2 or KERNELS_AVX512 for them.
import MLPCore

#if KERNELS_AVX512
let compiledPath = KernelPath.avx512
#elseif KERNELS_AVX2
let compiledPath = KernelPath.avx2
#else
let compiledPath = KernelPath.baseline
#endif

/// Sixteen floats: the sparse products work on 64-column slices, four of these. On AVX-512 one is
/// a register; on AVX2 the compiler splits it into two, on SSE2 into four.
typealias Lanes = SIMD16<Float>

/// `c + a · b`: fused where the path has FMA instructions. On the baseline it is a multiply and an
/// add (a fused multiply-add without the instruction is a library call per element).
@inline(__always)
func multiplyAdd(_ a: Lanes, _ b: Lanes, _ c: Lanes) -> Lanes {
    #if KERNELS_AVX2 || KERNELS_AVX512
    return c.addingProduct(a, b)
    #else
    return c + a * b
    #endif
}

/// `c + a · b` for one float, fused where the path has FMA instructions.
@inline(__always)
func multiplyAdd(_ a: Float, _ b: Float, _ c: Float) -> Float {
    #if KERNELS_AVX2 || KERNELS_AVX512
    return c.addingProduct(a, b)
    #else
    return c + a * b
    #endif
}

/// This module's kernels behind the ``VectorKernelSet`` interface.
struct KernelTable: VectorKernelSet {
    var path: KernelPath { compiledPath }

    func collectNonZeros(_ input: UnsafePointer<Float>, rows: Int, into lists: SparseColumnLists) -> SparseLoad {
        SparseLoading.collect(input, rows: rows, into: lists)
    }

    func collectNonZeros(bytes: UnsafePointer<UInt8>, indices: UnsafeBufferPointer<Int>, scale: Float,
                         into lists: SparseColumnLists) -> SparseLoad {
        SparseLoading.collect(bytes: bytes, indices: indices, scale: scale, into: lists)
    }

    func sparseMultiply(_ input: SparseColumns, weights: UnsafePointer<Float>, width: Int, weightStride: Int,
                        into output: UnsafeMutablePointer<Float>, outputStride: Int) {
        SparseProducts.multiply(input, weights: weights, width: width, weightStride: weightStride,
                                into: output, outputStride: outputStride)
    }

    func sparseMultiplyTransposed(_ input: SparseColumns, delta: UnsafePointer<Float>, width: Int, deltaStride: Int,
                                  into gradient: UnsafeMutablePointer<Float>, gradientStride: Int) {
        SparseProducts.multiplyTransposed(input, delta: delta, width: width, deltaStride: deltaStride,
                                          into: gradient, gradientStride: gradientStride)
    }

    func addBiasAndApply(_ function: ElementwiseFunction, to values: UnsafeMutablePointer<Float>,
                         rows: Int, columns: Int, bias: UnsafePointer<Float>) {
        Elementwise.addBiasAndApply(function, to: values, rows: rows, columns: columns, bias: bias)
    }

    func multiplyByDerivative(of function: ElementwiseFunction, delta: UnsafeMutablePointer<Float>,
                              output: UnsafePointer<Float>, count: Int) {
        Elementwise.multiplyByDerivative(of: function, delta: delta, output: output, count: count)
    }

    func addBiasAndSoftmax(_ row: UnsafeMutablePointer<Float>, columns: Int, bias: UnsafePointer<Float>) -> Float {
        Elementwise.addBiasAndSoftmax(row, columns: columns, bias: bias)
    }

    func sgd(parameters: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>, velocity: UnsafeMutablePointer<Float>,
             count: Int, learningRate: Float, momentum: Float, nesterov: Bool, gradientScale: Float) {
        Updates.sgd(parameters: parameters, gradient: gradient, velocity: velocity, count: count,
                    learningRate: learningRate, momentum: momentum, nesterov: nesterov, gradientScale: gradientScale)
    }

    func adam(parameters: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>,
              firstMoment: UnsafeMutablePointer<Float>, secondMoment: UnsafeMutablePointer<Float>, count: Int,
              rate: Float, beta1: Float, beta2: Float, epsilon: Float, decay: Float, gradientScale: Float) {
        Updates.adam(parameters: parameters, gradient: gradient, firstMoment: firstMoment, secondMoment: secondMoment,
                     count: count, rate: rate, beta1: beta1, beta2: beta2, epsilon: epsilon, decay: decay,
                     gradientScale: gradientScale)
    }

    func blockedMultiply(m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>?, b: UnsafePointer<Float>?,
                         beta: Float, c: UnsafeMutablePointer<Float>) {
        BlockedProduct.multiply(m: m, n: n, k: k, alpha: alpha, a: a, b: b, beta: beta, c: c)
    }

    func fusedMultiplyAddLoop(iterations: Int) -> Float { PeakLoop.run(iterations: iterations) }

    var flopsPerFusedMultiplyAddRound: Int { PeakLoop.flopsPerRound }

    func exp(_ x: Float) -> Float { FastMath.exp(x) }
}

/// This module's kernels.
public let kernelTable: any VectorKernelSet = KernelTable()
