import Foundation
import Testing
@testable import Reporting
import TestSupport

@Suite("Run directory")
struct RunDirectoryTests {
    /// A fresh directory under the system's temporary directory.

    struct History: Codable, Equatable {
        let lossCurve: [Double]
        let bestValidationScore: Double
        let activation: String
    }

    @Test("writes text, bytes, PNG and JSON, and records them in order")
    func writes() throws {
        let root = try temporaryFilePath("run")
        defer { try? FileManager.default.removeItem(atPath: root) }
        var directory = try RunDirectory(path: root + "/run")
        try directory.write("hello\n", to: "notes.txt")
        try directory.write([1, 2, 3], to: "data/raw.bin")
        try directory.write(PNGImage(width: 1, height: 1, colorType: .greyscale, pixels: [7]), to: "figures/pixel.png")
        try directory.writeJSON(History(lossCurve: [0.5, 0.25], bestValidationScore: 0.97, activation: "relu"),
                                to: "history.json")
        #expect(directory.writtenFiles.map(\.name) == ["notes.txt", "data/raw.bin", "figures/pixel.png", "history.json"])
        #expect(directory.writtenFiles[1].byteCount == 3)
        #expect(try String(contentsOfFile: directory.path(for: "notes.txt"), encoding: .utf8) == "hello\n")
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: directory.path(for: "data/raw.bin")))) == [1, 2, 3])
        let png = try Data(contentsOf: URL(fileURLWithPath: directory.path(for: "figures/pixel.png")))
        #expect(Array(png.prefix(8)) == PNGImage.signature)

        let json = try String(contentsOfFile: directory.path(for: "history.json"), encoding: .utf8)
        #expect(json == """
            {
              "activation" : "relu",
              "bestValidationScore" : 0.97,
              "lossCurve" : [
                0.5,
                0.25
              ]
            }

            """)
        let decoded = try JSONDecoder().decode(History.self, from: Data(json.utf8))
        #expect(decoded.activation == "relu")
        // No temporary files are left behind.
        let names = try FileManager.default.contentsOfDirectory(atPath: root + "/run").sorted()
        #expect(names == ["data", "figures", "history.json", "notes.txt"])
    }

    @Test("writing a name again replaces the file and its record")
    func overwrite() throws {
        let root = try temporaryFilePath("run")
        defer { try? FileManager.default.removeItem(atPath: root) }
        var directory = try RunDirectory(path: root)
        try directory.write("first", to: "a.txt")
        try directory.write("b", to: "b.txt")
        try directory.write("second!", to: "a.txt")
        #expect(directory.writtenFiles == [.init(name: "a.txt", byteCount: 7), .init(name: "b.txt", byteCount: 1)])
        #expect(try String(contentsOfFile: root + "/a.txt", encoding: .utf8) == "second!")
    }

    @Test("names that leave the directory are rejected")
    func invalidNames() throws {
        let root = try temporaryFilePath("run")
        defer { try? FileManager.default.removeItem(atPath: root) }
        var directory = try RunDirectory(path: root)
        for name in ["", "/etc/passwd", "../escape.txt", "a/../b", "a//b", "./a", "a/"] {
            #expect(throws: ReportingError.self, "\(name)") { try directory.write("x", to: name) }
        }
        #expect(directory.writtenFiles.isEmpty)
    }

    @Test("JSON: non-finite numbers become strings; errors are typed")
    func json() throws {
        let bytes = try RunDirectory.json(["values": [1.5, .nan, .infinity]])
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("\"NaN\"") && text.contains("\"Infinity\""))
        #expect(text.hasSuffix("\n"))

        let blocked = try temporaryFilePath("run")
        defer { try? FileManager.default.removeItem(atPath: blocked) }
        try Data("file".utf8).write(to: URL(fileURLWithPath: blocked))
        #expect(throws: ReportingError.self) { _ = try RunDirectory(path: blocked + "/inside") }
        #expect(throws: ReportingError.self) { _ = try RunDirectory(path: "") }
    }
}
