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

/// `c + a · b` lane by lane: fused where the path has FMA instructions. On the baseline it is a
/// multiply and an add (a fused multiply-add without the instruction is a library call per element).
@inline(__always)
func multiplyAdd<Vector: SIMD>(_ a: Vector, _ b: Vector, _ c: Vector) -> Vector where Vector.Scalar == Float {
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

/// This module's kernels behind the ``VectorKernelSet`` interface; each file of the module
/// implements its part in an extension.
struct KernelTable: VectorKernelSet {
    var path: KernelPath { compiledPath }

    func exp(_ x: Float) -> Float { FastMath.exp(x) }
}

/// This module's kernels.
public let kernelTable: any VectorKernelSet = KernelTable()
