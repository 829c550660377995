import Foundation
@testable import NeuralNetwork
import Testing

/// The safetensors layout rules of Python's `safetensors`, which the reader must not be looser
/// than: data_offsets that tile the data exactly, a header that starts with `{`, bounded nesting.
@Suite struct SafeTensorsValidationTests {
    /// A file with the given header text and `dataLength` bytes of data.
    static func file(header: String, dataLength: Int) -> [UInt8] {
        var json = Array(header.utf8)
        while json.count % 8 != 0 { json.append(0x20) }
        return (0..<8).map { UInt8(truncatingIfNeeded: json.count >> (8 * $0)) } + json + [UInt8](repeating: 0, count: dataLength)
    }

    static func entry(_ name: String, _ begin: Int, _ end: Int) -> String {
        "\"\(name)\":{\"dtype\":\"F32\",\"shape\":[\((end - begin) / 4)],\"data_offsets\":[\(begin),\(end)]}"
    }

    @Test func aValidLayoutParses() throws {
        let parsed = try SafeTensors.parse(Self.file(header: "{\(Self.entry("a", 0, 8)),\(Self.entry("b", 8, 16))}", dataLength: 16))
        #expect(parsed.tensors.map(\.name) == ["a", "b"])
    }

    @Test(arguments: [
        ("overlap", "{\(entry("a", 0, 8)),\(entry("b", 4, 12))}", 12, "overlap"),
        ("gap", "{\(entry("a", 0, 8)),\(entry("b", 12, 20))}", 20, "gap"),
        ("not from zero", "{\(entry("a", 4, 12))}", 12, "gap"),
        ("trailing bytes", "{\(entry("a", 0, 8))}", 12, "cover 8 bytes"),
        ("leading space", " {\(entry("a", 0, 8))}", 8, "start with"),
        ("deep nesting", "{\"__metadata__\":{\"k\":\"v\"},\"a\":" + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}", 0,
         "nests too deeply"),
    ])
    func looseLayoutsAreRefused(name: String, header: String, dataLength: Int, fragment: String) {
        let error = #expect(throws: SafeTensorsProblem.self, "\(name)") { try SafeTensors.parse(Self.file(header: header, dataLength: dataLength)) }
        #expect(error?.description.contains(fragment) == true, "\(name): \(String(describing: error))")
    }

    @Test func namesInMessagesAreEscaped() {
        let error = #expect(throws: SafeTensorsProblem.self) {
            try SafeTensors.parse(Self.file(header: "{\"bad\\u001b[31m\":{\"dtype\":\"F16\",\"shape\":[1],\"data_offsets\":[0,2]}}", dataLength: 2))
        }
        #expect(error?.description.contains("\u{1b}") == false, "\(String(describing: error))")
        #expect(error?.description.contains("\\u{1b}") == true)
    }
}
