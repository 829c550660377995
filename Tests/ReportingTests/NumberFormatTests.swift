import Testing
@testable import Reporting

@Suite("Number formatting")
struct NumberFormatTests {
    @Test("fixed decimals")
    func fixed() {
        #expect(NumberFormat.fixed(0.98765, decimals: 3) == "0.988")
        #expect(NumberFormat.fixed(2, decimals: 2) == "2.00")
        #expect(NumberFormat.fixed(-1.5, decimals: 0) == "-2")
        #expect(NumberFormat.fixed(-0.0001, decimals: 2) == "0.00")
        #expect(NumberFormat.fixed(1234567.891, decimals: 1) == "1234567.9")
        #expect(NumberFormat.fixed(.nan, decimals: 2) == "NaN")
        #expect(NumberFormat.fixed(-.infinity, decimals: 2) == "−∞")
    }

    @Test("percentages and mean ± deviation")
    func percent() {
        #expect(NumberFormat.percent(0.9734, decimals: 1) == "97.3%")
        #expect(NumberFormat.percent(1) == "100.00%")
        #expect(NumberFormat.meanAndDeviation(0.9731, 0.0042) == "0.973 ± 0.004")
        #expect(NumberFormat.percentMeanAndDeviation(0.9731, 0.0042) == "97.31 ± 0.42%")
    }

    @Test("durations")
    func durations() {
        #expect(NumberFormat.duration(seconds: 0.4213) == "0.42 s")
        #expect(NumberFormat.duration(seconds: 9.999) == "10.0 s")
        #expect(NumberFormat.duration(seconds: 12.34) == "12.3 s")
        #expect(NumberFormat.duration(seconds: 59.96) == "1 min 00 s")
        #expect(NumberFormat.duration(seconds: 125) == "2 min 05 s")
        #expect(NumberFormat.duration(seconds: 3725) == "1 h 02 min")
        #expect(NumberFormat.duration(seconds: -3) == "0.00 s")
    }

    @Test("grouping and significant digits")
    func grouping() {
        #expect(NumberFormat.grouped(60000) == "60,000")
        #expect(NumberFormat.grouped(-1234567) == "-1,234,567")
        #expect(NumberFormat.grouped(999) == "999")
        #expect(NumberFormat.significant(0.012345) == "0.0123")
        #expect(NumberFormat.significant(1234.6) == "1235")
        #expect(NumberFormat.significant(2.5) == "2.5")
        #expect(NumberFormat.significant(0) == "0")
        #expect(NumberFormat.significant(0.000012345) == "1.23e-05")
    }

    @Test("value formats used by charts")
    func valueFormats() {
        #expect(ValueFormat.automatic.format(12) == "12")
        #expect(ValueFormat.automatic.format(0.97312) == "0.973")
        #expect(ValueFormat.fixed(decimals: 2).format(0.5) == "0.50")
        #expect(ValueFormat.percent(decimals: 1).format(0.5) == "50.0%")
    }
}
