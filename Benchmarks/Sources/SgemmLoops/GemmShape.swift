/// The shape of one product `C = A·B`: `A` is m×k, `B` k×n, `C` m×n.
public struct GemmShape: Sendable, Hashable {
    public var m: Int
    public var n: Int
    public var k: Int

    public init(m: Int, n: Int, k: Int) {
        precondition(m > 0 && n > 0 && k > 0, "a product needs positive sizes, got m×n×k = \(m)×\(n)×\(k)")
        self.m = m
        self.n = n
        self.k = k
    }

    /// `m×n×k`, or `m³` for a cube.
    public var label: String { m == n && n == k ? "\(m)³" : "\(m)×\(n)×\(k)" }

    /// The forward products X·W of the section-B network 784-256-128-64-32-10 at batch 128, then 64³.
    public static let compared: [GemmShape] = [
        GemmShape(m: 128, n: 256, k: 784), GemmShape(m: 128, n: 128, k: 256), GemmShape(m: 128, n: 64, k: 128),
        GemmShape(m: 128, n: 32, k: 64), GemmShape(m: 128, n: 10, k: 32), GemmShape(m: 64, n: 64, k: 64),
    ]
}
