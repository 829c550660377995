import Testing
@testable import Reporting

@Suite("Nice tick values")
struct NiceScaleTests {
    /// Checks `actual` against `expected` element by element within a relative tolerance.
    func expectClose(_ actual: [Double], _ expected: [Double], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, "ticks \(actual) vs \(expected)", sourceLocation: sourceLocation)
        for (a, e) in zip(actual, expected) {
            #expect(abs(a - e) <= 1e-12 * max(1, abs(e)), "ticks \(actual) vs \(expected)", sourceLocation: sourceLocation)
        }
    }

    @Test("nice numbers: rounding to nearest and to ceiling")
    func niceNumbers() {
        let cases: [(Double, Bool, Double)] = [
            (1.0, false, 1), (1.2, false, 2), (2.0, false, 2), (2.5, false, 5), (7.1, false, 10),
            (1.4, true, 1), (1.5, true, 2), (2.5, true, 2), (3.4, true, 5), (6.9, true, 5), (7.1, true, 10),
            (0.034, true, 0.05), (0.034, false, 0.05), (438, true, 500), (438, false, 500), (0.00012, true, 0.0001),
        ]
        for (value, rounding, expected) in cases {
            let nice = NiceScale.niceNumber(value, rounding: rounding)
            #expect(abs(nice - expected) <= 1e-12 * expected, "niceNumber(\(value), rounding: \(rounding)) = \(nice)")
        }
    }

    @Test("known scales")
    func knownScales() {
        let unit = NiceScale(lower: 0, upper: 1, targetTickCount: 6)
        expectClose(unit.ticks, [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(unit.fractionDigits == 1)
        #expect(unit.ticks.map { unit.label(for: $0) } == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])

        let percent = NiceScale(lower: 0, upper: 100, targetTickCount: 5)
        expectClose(percent.ticks, [0, 20, 40, 60, 80, 100])
        #expect(percent.fractionDigits == 0)

        let mixed = NiceScale(lower: -3.7, upper: 12.2, targetTickCount: 6)
        expectClose(mixed.ticks, [-5, 0, 5, 10, 15])
        #expect(mixed.lowerBound == -5 && mixed.upperBound == 15)

        let epochs = NiceScale(lower: 1, upper: 60, targetTickCount: 7)
        expectClose(epochs.ticks, [0, 10, 20, 30, 40, 50, 60])

        let loss = NiceScale(lower: 0.0612, upper: 2.63, targetTickCount: 7)
        expectClose(loss.ticks, [0, 0.5, 1, 1.5, 2, 2.5, 3])

        // Heckbert's example range.
        let heckbert = NiceScale(lower: 105, upper: 543, targetTickCount: 5)
        expectClose(heckbert.ticks, [100, 200, 300, 400, 500, 600])
    }

    @Test("ticks print without floating-point noise")
    func exactTicks() {
        let scale = NiceScale(lower: 0.1, upper: 0.7, targetTickCount: 7)
        #expect(scale.ticks.map { scale.label(for: $0) } == ["0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7"])
        #expect(scale.ticks.contains(0.3))
    }

    @Test("degenerate ranges still give an axis")
    func degenerate() {
        let constant = NiceScale(lower: 0.9, upper: 0.9, targetTickCount: 6)
        #expect(constant.lowerBound < 0.9 && constant.upperBound > 0.9)
        expectClose(constant.ticks, [0.8, 0.85, 0.9, 0.95, 1.0])

        // 0.18 / 6 is 0.029999999999999995 in binary: still rounds up to a step of 0.05.
        let rounded = NiceScale(lower: 0.81, upper: 0.99, targetTickCount: 7)
        expectClose(rounded.ticks, [0.8, 0.85, 0.9, 0.95, 1.0])

        let zero = NiceScale(lower: 0, upper: 0)
        #expect(zero.lowerBound <= -1 && zero.upperBound >= 1)

        let swapped = NiceScale(lower: 10, upper: 0, targetTickCount: 6)
        expectClose(swapped.ticks, [0, 2, 4, 6, 8, 10])

        let invalid = NiceScale(lower: .nan, upper: .infinity)
        #expect(invalid.lowerBound == 0 && invalid.upperBound == 1)

        let tiny = NiceScale(lower: 0, upper: 3e-9, targetTickCount: 4)
        #expect(tiny.ticks.count >= 3)
        #expect(tiny.label(for: 2e-9) == "2e-9")
        let huge = NiceScale(lower: 0, upper: 5e7, targetTickCount: 6)
        #expect(huge.label(for: 2e7) == "2e7")
    }

    @Test("integer steps for epochs")
    func integerSteps() {
        let fractional = NiceScale(lower: 1, upper: 3, targetTickCount: 8)
        #expect(fractional.step < 1)
        let whole = NiceScale(lower: 1, upper: 3, targetTickCount: 8, integerSteps: true)
        expectClose(whole.ticks, [1, 2, 3])
        #expect(whole.ticks.map { whole.label(for: $0) } == ["1", "2", "3"])
        let large = NiceScale(lower: 1, upper: 200, targetTickCount: 6, integerSteps: true)
        expectClose(large.ticks, [0, 50, 100, 150, 200])
    }

    @Test("fraction maps bounds to 0 and 1")
    func fraction() {
        let scale = NiceScale(lower: -3.7, upper: 12.2)
        #expect(abs(scale.fraction(of: scale.lowerBound)) < 1e-12)
        #expect(abs(scale.fraction(of: scale.upperBound) - 1) < 1e-12)
    }

    @Test("logarithmic ticks")
    func logarithmic() {
        let decades = LogarithmicScale(lower: 0.001, upper: 10)
        expectClose(decades.ticks, [0.001, 0.01, 0.1, 1, 10])
        #expect(decades.ticks.map { decades.label(for: $0) } == ["0.001", "0.01", "0.1", "1", "10"])
        #expect(!decades.minorTicks.isEmpty)

        let loss = LogarithmicScale(lower: 0.06, upper: 2.6)
        expectClose(loss.ticks, [0.05, 0.1, 0.2, 0.5, 1, 2])

        let narrow = LogarithmicScale(lower: 0.3, upper: 0.45)
        #expect(narrow.ticks.count >= 2)
        #expect(narrow.ticks.allSatisfy { $0 >= narrow.lowerBound && $0 <= narrow.upperBound })

        let wide = LogarithmicScale(lower: 1e-10, upper: 1e10)
        #expect(wide.ticks.count <= 11)
        #expect(wide.label(for: 1e-6) == "10⁻⁶")
        #expect(wide.label(for: 2e-5) == "2×10⁻⁵")
        #expect(wide.label(for: 1e8) == "10⁸")

        let invalid = LogarithmicScale(lower: -1, upper: 0)
        #expect(invalid.lowerBound > 0 && invalid.upperBound > invalid.lowerBound)
    }
}
