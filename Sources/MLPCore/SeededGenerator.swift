/// A small, fast, seedable random number generator (xoshiro256**, seeded through SplitMix64).
///
/// The same seed gives the same sequence on every platform and toolchain, which the standard
/// library's `SystemRandomNumberGenerator` does not. Every random choice in this package takes one.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// A generator whose whole sequence is determined by `seed`.
    public init(seed: UInt64) {
        var mixer = seed
        func splitMix() -> UInt64 {
            defer { mixer &+= SeededGenerator.golden }
            return SeededGenerator.splitMix64(mixer)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    /// SplitMix64's increment, 2⁶⁴ / φ.
    static let golden: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// One SplitMix64 output for the state `value` (the state advanced by its increment, then
    /// finalised): a bijection of 64-bit words that mixes every bit into every bit. Seeds the
    /// generator, and keys counter-based draws (dropout masks) by hashing counters in turn.
    @inlinable
    public static func splitMix64(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inlinable
    static func rotate(_ value: UInt64, _ amount: UInt64) -> UInt64 {
        (value << amount) | (value >> (64 &- amount))
    }

    public mutating func next() -> UInt64 {
        let result = SeededGenerator.rotate(state.1 &* 5, 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = SeededGenerator.rotate(state.3, 45)
        return result
    }

    /// The generator's whole state, four words: what a checkpoint saves so that a resumed run
    /// draws the same numbers as one that never stopped.
    public var stateWords: [UInt64] { [state.0, state.1, state.2, state.3] }

    /// The generator whose state ``stateWords`` gave, or nil unless there are four words, not all
    /// zero (xoshiro's one forbidden state).
    public init?(stateWords words: [UInt64]) {
        guard words.count == 4, words.contains(where: { $0 != 0 }) else { return nil }
        state = (words[0], words[1], words[2], words[3])
    }

    /// An independent generator derived from this one's seed stream (for per-worker streams).
    public mutating func split() -> SeededGenerator {
        SeededGenerator(seed: next())
    }
}

extension RandomNumberGenerator {
    /// A uniform draw in [0, 1) with 24 random bits.
    @inlinable
    public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// A uniform draw in [0, 1) with 53 random bits.
    @inlinable
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A standard normal draw, N(0, 1), by the Box–Muller transform:
    /// `sqrt(-2 ln u₁) · cos(2π u₂)` with `u₁` in (0, 1].
    public mutating func nextStandardNormal() -> Float {
        let u1 = 1 - nextUnitDouble()
        let u2 = nextUnitDouble()
        return Float((-2 * _logarithm(u1)).squareRoot() * _cosine(2 * Double.pi * u2))
    }

    /// A uniform integer in `0..<upperBound`, without modulo bias (Lemire's method).
    @inlinable
    public mutating func nextIndex(below upperBound: Int) -> Int {
        precondition(upperBound > 0, "upper bound must be positive, got \(upperBound)")
        let bound = UInt64(upperBound)
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
        }
        return Int(product.high)
    }
}

/// Fisher–Yates shuffle with an explicit generator. Unlike `Array.shuffle(using:)`, its sequence
/// is fixed by this package, so a seed reproduces the same order on any toolchain.
@inlinable
public func seededShuffle<Element>(_ array: inout [Element], using generator: inout some RandomNumberGenerator) {
    // Inlinable so that callers get a specialised loop over the buffer: no allocation per swap.
    array.withUnsafeMutableBufferPointer { buffer in
        var index = buffer.count &- 1
        while index > 0 {
            let other = generator.nextIndex(below: index &+ 1)
            buffer.swapAt(index, other)
            index &-= 1
        }
    }
}

#if canImport(Glibc)
import Glibc
@usableFromInline func _logarithm(_ x: Double) -> Double { Glibc.log(x) }
@usableFromInline func _cosine(_ x: Double) -> Double { Glibc.cos(x) }
#else
import Foundation
@usableFromInline func _logarithm(_ x: Double) -> Double { Foundation.log(x) }
@usableFromInline func _cosine(_ x: Double) -> Double { Foundation.cos(x) }
#endif
