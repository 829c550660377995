@testable import MLPCore
import Testing

@Suite("Input scaling")
struct InputScalingTests {
    @Test("every form older model files contain reads to the map it names")
    func olderForms() throws {
        #expect(try InputScaling(parsing: "pixel / 255") == .unitInterval)
        #expect(try InputScaling(parsing: "none") == .none)
        #expect(try InputScaling(parsing: "identity") == .none)
        #expect(try InputScaling(parsing: "pixel") == .none)
        #expect(try InputScaling(parsing: "(pixel - 33.3) / 78.5") == .standardized(mean: 33.3, standardDeviation: 78.5))
        #expect(try InputScaling(parsing: "pixel * 0.5 + -1e-3") == InputScaling(scale: 0.5, offset: -1e-3))
        #expect(try InputScaling(parsing: "pixel * 2.5e-3 - 1") == InputScaling(scale: 2.5e-3, offset: -1))
        #expect(try InputScaling(parsing: "PIXEL*1e-05+3") == InputScaling(scale: 1e-5, offset: 3))
    }

    @Test("the text form is one of three shapes and reads back to the same floats")
    func textForm() throws {
        #expect(InputScaling.none.description == "none")
        #expect(InputScaling.unitInterval.description == "x / 255")
        #expect(InputScaling(scale: 0.5).description == "x / 2")
        #expect(InputScaling(scale: 0.25, offset: -3).description == "x * 0.25 - 3.0")
        #expect(InputScaling(scale: -2, offset: 1).description == "x * -2.0 + 1.0")
        #expect(InputScaling(scale: 1e-7).description == "x / 10000000")
        #expect(InputScaling(scale: 3e-7).description == "x * 3e-07")
        let standardized = InputScaling.standardized(mean: 33.3, standardDeviation: 78.5)
        for scaling in [InputScaling.unitInterval, .none, .init(scale: 0.25, offset: -3), .init(scale: 1e-7),
                        .init(scale: 1 / 3), .init(scale: -2, offset: 1), standardized,
                        .init(scale: .leastNonzeroMagnitude, offset: .greatestFiniteMagnitude)] {
            let read = try InputScaling(parsing: scaling.description)
            #expect(read.scale.bitPattern == scaling.scale.bitPattern && read.offset.bitPattern == scaling.offset.bitPattern,
                    "\(scaling.description)")
        }
    }

    @Test("it maps bytes and floats as raw × scale + offset, with the dataset readers' arithmetic")
    func mapping() {
        let scaling = InputScaling(scale: 0.5, offset: -3)
        #expect(scaling.feature(UInt8(10)) == 2)
        #expect(scaling.feature(Float(-4)) == -5)
        #expect(InputScaling.unitInterval.feature(UInt8(255)) == 1)
        #expect(InputScaling.unitInterval.scale == 1 / 255 && InputScaling.none.isIdentity)
    }

    @Test("JSON holds the text form")
    func codable() throws {
        let scaling = InputScaling(scale: 0.25, offset: 1)
        let encoded = try JSONEncoderShim.encode(scaling)
        #expect(encoded == "\"x * 0.25 + 1.0\"")
        #expect(try JSONEncoderShim.decode(encoded) == scaling)
        #expect(throws: DecodingError.self) { try JSONEncoderShim.decode("\"log(x)\"") }
    }

    @Test("anything else is one error naming the text and the valid forms")
    func refusals() {
        for text in ["log(pixel)", "pixel / 0", "x / nan", "x * 0", "x * inf", "(x - 1) / 0", "(x - 1) / -2", "x * 2 + nan", "x / "] {
            #expect(throws: InputScalingError(text: text), "\(text)") { try InputScaling(parsing: text) }
        }
        let message = InputScalingError(text: "log(x)").description
        #expect(message.contains("'log(x)'") && message.contains("x * SCALE + OFFSET"))
    }
}

/// Regressions found by the fuzzers (Fuzz/Regressions).
@Suite struct InputScalingFuzzRegressions {
    @Test(arguments: ["x / 1e50", "(x - 1e30) / 1e-30", "(x - 0) / 1e300", "x * 1e-46"])
    func scalesWithoutAFloatAreRefused(text: String) {
        #expect(throws: InputScalingError.self) { try InputScaling(parsing: text) }
    }

    /// The fuzzer's input: `x / 1e39` made `1 / Float(1e39)`, zero, and trapped; its scale is the
    /// subnormal `Float(1e-39)`.
    @Test func aDivisorBeyondFloatGivesItsSubnormalScale() throws {
        let scaling = try InputScaling(parsing: "x / 1e39")
        #expect(scaling.scale == Float(1e-39) && scaling.scale > 0)
    }

    @Test("per-feature standardisation matches StandardScaler's formula and its text reads back exactly")
    func perFeature() throws {
        let rows: [[Double]] = [[1, 10, 5], [2, 30, 5], [4, 20, 5], [9, 60, 5]]
        let columns = (0..<3).map { column in rows.map { $0[column] } }
        let means = columns.map { $0.reduce(0, +) / Double($0.count) }
        // Population deviation (ddof = 0), as StandardScaler.
        let deviations = zip(columns, means).map { column, mean in
            (column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(column.count)).squareRoot()
        }
        let scaling = InputScaling.standardized(means: means, standardDeviations: deviations)
        #expect(!scaling.isUniform && scaling.featureCount == 3 && !scaling.isIdentity)
        #expect(scaling.fits(featureCount: 3) && !scaling.fits(featureCount: 4) && InputScaling.none.fits(featureCount: 4))
        for row in rows {
            for column in 0..<3 {
                let expected = deviations[column] > 0 ? (row[column] - means[column]) / deviations[column] : row[column] - means[column]
                #expect(abs(Double(scaling.feature(Float(row[column]), column: column)) - expected) < 1e-5)
            }
        }
        // A constant column is centred, not divided by 0.
        #expect(scaling.featureScales?[2] == 1 && scaling.featureOffsets?[2] == -5)
        var row: [Float] = [4, 20, 5]
        row.withUnsafeMutableBufferPointer { scaling.apply(to: $0.baseAddress!, count: 3) }
        #expect(row == (0..<3).map { scaling.feature([Float(4), 20, 5][$0], column: $0) })

        let read = try InputScaling(parsing: scaling.description)
        #expect(read == scaling)
        #expect(read.featureScales!.map(\.bitPattern) == scaling.featureScales!.map(\.bitPattern))
        let affine = scaling.affine(featureCount: 3)
        #expect(affine.scales == scaling.featureScales! && affine.offsets == scaling.featureOffsets!)
        #expect(InputScaling.unitInterval.affine(featureCount: 2).scales == [1 / 255, 1 / 255])
    }

    @Test("per-feature texts that are malformed, mismatched or not finite are refused")
    func perFeatureRefusals() {
        for text in ["x * [1, 2] + [0]", "x * [] + []", "x * [1, 0] + [0, 0]", "x * [1, nan] + [0, 0]",
                     "x * [1, 2] + [0, inf]", "x * [1, 2", "x * [1, 2] - [0, 0]", "x * [1, 2] + [0, 0] junk",
                     "x * [1e39] + [0]", "x * [1,,2] + [0, 0, 0]"] {
            #expect(throws: InputScalingError.self, "\(text)") { try InputScaling(parsing: text) }
        }
        #expect(InputScaling.perFeatureProblem(scales: [1, 2], offsets: [0]) != nil)
    }
}
