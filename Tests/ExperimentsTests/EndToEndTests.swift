import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TestSupport

/// Runs the `mlp` binary: `MLP_BINARY` (the release build, in CI) or the debug build beside the
/// test bundle. `reproduce --quick` runs only with `MLP_BINARY`, since a debug build is slow.
@Suite(.serialized) struct EndToEndTests {
    static var releaseBinary: String? {
        guard let path = ProcessInfo.processInfo.environment["MLP_BINARY"], !path.isEmpty else { return nil }
        return path
    }

    static var binary: String {
        if let releaseBinary { return releaseBinary }
        let directory = Bundle.main.bundleURL.deletingLastPathComponent()
        for candidate in [directory.appendingPathComponent("mlp"),
                          Bundle.main.executableURL?.deletingLastPathComponent().appendingPathComponent("mlp")] {
            if let candidate, FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate.path }
        }
        return directory.appendingPathComponent("mlp").path
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    static var fashionAvailable: Bool {
        let environment = ProcessInfo.processInfo.environment["FASHION_MNIST_DIR"] ?? "/usr/share/datasets/fashion-mnist"
        return FileManager.default.fileExists(atPath: environment + "/train-images-idx3-ubyte.gz")
            || FileManager.default.fileExists(atPath: environment + "/train-images-idx3-ubyte")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: EndToEndTests.binary)))
    func theoryWritesItsResults() throws {
        let root = try makeTemporaryDirectory("theory")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let out = root + "/out"
        let (status, output) = try Self.run(["theory", "--out", out])
        #expect(status == 0)
        #expect(output.contains("Support vectors: samples 2 and 3"))
        #expect(output.contains("class +1"))
        #expect(output.contains("14.1717, not 4.1717"))
        let markdown = try String(contentsOfFile: out + "/results.md", encoding: .utf8)
        #expect(Self.tableRows(markdown, after: "Margins of each sample") == 4)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/results.json"))) as? [String: Any]
        #expect((json?["numbers"] as? [String: Any])?["svm.margin"] as? Double == 0.5)
    }

    @Test(.enabled(if: EndToEndTests.releaseBinary != nil && EndToEndTests.fashionAvailable))
    func quickReproduceWritesEveryOutput() throws {
        let root = try makeTemporaryDirectory("reproduce")
        defer { try? FileManager.default.removeItem(atPath: root) }
        let out = root + "/out"
        let (status, output) = try Self.run(["reproduce", "--quick", "--out", out])
        #expect(status == 0)
        #expect(output.contains("Goals:"))
        for name in ["report.html", "report.md", "results.json", "results.md"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + name), "\(name) missing")
        }
        let results = try String(contentsOfFile: out + "/results.md", encoding: .utf8)
        #expect(Self.tableRows(results, after: "Margins of each sample") == 4)
        #expect(Self.tableRows(results, after: "One classifier per activation") == 4)
        #expect(Self.tableRows(results, after: "Per-class precision and recall") == 10)
        #expect(Self.tableRows(results, after: "Reconstruction error (MSE per pixel)") == 5)   // 2 rates × 2 + PCA
        #expect(Self.tableRows(results, after: "All 4 combinations, best first") == 4)
        if results.contains("Twelve MNIST models") { #expect(Self.tableRows(results, after: "Twelve MNIST models") == 12) }

        let files = try FileManager.default.contentsOfDirectory(atPath: out)
        let svgs = files.filter { $0.hasSuffix(".svg") }
        #expect(svgs.count >= 5)
        for svg in svgs { #expect(Self.isWellFormedXML(out + "/" + svg), "\(svg) is not well-formed XML") }
        let expected: [String: (Int, Int)] = ["fashion-samples.png": (582, 582), "autoencoder-reconstructions.png": (582, 234)]
        for (name, size) in expected {
            let dimensions = try Self.pngDimensions(out + "/" + name)
            #expect(dimensions?.width == size.0 && dimensions?.height == size.1, "\(name): \(String(describing: dimensions))")
        }
        let html = try String(contentsOfFile: out + "/report.html", encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("data:image/png;base64,"))
        #expect(!html.contains("http://") || !html.contains("<script src=\"http"))
    }

    /// The number of body rows of the first Markdown table after the line containing `title`.
    static func tableRows(_ markdown: String, after title: String) -> Int {
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(where: { $0.contains(title) }) else { return -1 }
        guard let header = lines[start...].firstIndex(where: { $0.hasPrefix("|") }) else { return -1 }
        var count = 0
        for line in lines[(header + 2)...] {
            guard line.hasPrefix("|") else { break }
            count += 1
        }
        return count
    }

    static func isWellFormedXML(_ path: String) -> Bool {
        guard let parser = XMLParser(contentsOf: URL(fileURLWithPath: path)) else { return false }
        return parser.parse()
    }

    /// The width and height from a PNG's IHDR chunk, after checking the signature and chunk type.
    static func pngDimensions(_ path: String) throws -> (width: Int, height: Int)? {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        guard bytes.count > 33, Array(bytes[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
              Array(bytes[8..<12]) == [0, 0, 0, 13], Array(bytes[12..<16]) == Array("IHDR".utf8) else { return nil }
        func integer(_ offset: Int) -> Int { bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) } }
        return (integer(16), integer(20))
    }
}
