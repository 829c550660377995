import MLPCore

/// The pure-Swift "tuned" product: row-major `C(m×n) ← alpha·A(m×k)·B(k×n) + beta·C`, blocked
/// for the caches, with the innermost loop along contiguous rows of `B` and `C`, which the
/// compiler vectorises (`C[i, j₀..<j₁] += alpha·A[i,p] · B[p, j₀..<j₁]`).
extension KernelTable {
    func blockedMultiply(m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>?, b: UnsafePointer<Float>?,
                         beta: Float, c: UnsafeMutablePointer<Float>) {
        if beta == 0 {
            c.update(repeating: 0, count: m &* n)
        } else if beta != 1 {
            for index in 0..<(m &* n) { c[index] *= beta }
        }
        guard k > 0, let a, let b else { return }
        let rowBlock = 32
        let depthBlock = 128
        let columnBlock = 512
        var j0 = 0
        while j0 < n {
            let j1 = Swift.min(j0 &+ columnBlock, n)
            let width = j1 &- j0
            var p0 = 0
            while p0 < k {
                let p1 = Swift.min(p0 &+ depthBlock, k)
                var i0 = 0
                while i0 < m {
                    let i1 = Swift.min(i0 &+ rowBlock, m)
                    for i in i0..<i1 {
                        let cRow = c + (i &* n &+ j0)
                        for p in p0..<p1 {
                            let scaled = alpha * a[i &* k &+ p]
                            let bRow = b + (p &* n &+ j0)
                            for j in 0..<width {
                                cRow[j] += scaled * bRow[j]
                            }
                        }
                    }
                    i0 = i1
                }
                p0 = p1
            }
            j0 = j1
        }
    }
}
