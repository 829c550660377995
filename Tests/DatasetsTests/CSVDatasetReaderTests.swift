import LinearAlgebra
import Testing
@testable import Datasets
import MLPCore
import Deflate
import TestSupport

@Suite("CSV reader")
struct CSVDatasetReaderTests {
    /// 2×2 images: a label and four pixels per row, three classes.
    let reader = CSVDatasetReader(imageHeight: 2, imageWidth: 2, classNames: ["a", "b", "c"])

    func parse(_ text: String, headerRow: CSVDatasetReader.HeaderRow = .automatic) throws -> Dataset {
        var reader = self.reader
        reader.headerRow = headerRow
        return try reader.parse(Array(text.utf8), source: "t.csv")
    }

    func error(_ text: String, headerRow: CSVDatasetReader.HeaderRow = .automatic) -> DatasetError? {
        datasetError { _ = try parse(text, headerRow: headerRow) }
    }

    @Test("rows with a header")
    func withHeader() throws {
        let dataset = try parse("label,pixel1,pixel2,pixel3,pixel4\n2,0,10,255,7\n0,1,2,3,4\n")
        #expect(dataset.sampleCount == 2)
        #expect(dataset.labels == [2, 0])
        #expect(dataset.pixels == [0, 10, 255, 7, 1, 2, 3, 4])
        #expect(dataset.imageHeight == 2 && dataset.imageWidth == 2)
        #expect(dataset.classNames == ["a", "b", "c"])
    }

    @Test("rows without labels: absent, or detected by the first row's width")
    func withoutLabels() throws {
        var reader = self.reader
        reader.labelColumn = .absent
        let unlabelled = try reader.parse(Array("pixel1,pixel2,pixel3,pixel4\n5,6,7,8\n9,10,11,12\n".utf8), source: "t.csv")
        #expect(unlabelled.pixels == [5, 6, 7, 8, 9, 10, 11, 12])
        #expect(unlabelled.labels == [0, 0])
        reader.labelColumn = .automatic
        let detected = try reader.parse(Array("\n5,6,7,8\n9,10,11,12".utf8), source: "t.csv")
        #expect(detected.pixels == [5, 6, 7, 8, 9, 10, 11, 12])
        let labelled = try reader.parse(Array("2,5,6,7,8\n1,9,10,11,12".utf8), source: "t.csv")
        #expect(labelled.labels == [2, 1])
        #expect(labelled.pixels == [5, 6, 7, 8, 9, 10, 11, 12])
        // Without labels, a 256 in the first cell is a pixel out of range (column 1), not a label.
        reader.labelColumn = .absent
        let error = datasetError { _ = try reader.parse(Array("256,1,2,3\n".utf8), source: "t.csv") }
        #expect(error == .csvPixelOutOfRange(path: "t.csv", line: 1, column: 1, value: 256))
        // A row one cell short of the first row's width is still a width error.
        reader.labelColumn = .automatic
        let short = datasetError { _ = try reader.parse(Array("5,6,7,8\n9,10,11\n".utf8), source: "t.csv") }
        #expect(short == .csvWrongWidth(path: "t.csv", line: 2, columnCount: 3, expected: 4, labelled: false))
    }

    @Test("rows without a header, and no final newline")
    func withoutHeader() throws {
        let dataset = try parse("1,5,6,7,8\n2,9,10,11,12")
        #expect(dataset.labels == [1, 2])
        #expect(dataset.pixels == [5, 6, 7, 8, 9, 10, 11, 12])
    }

    @Test("CRLF, a byte-order mark, blank lines, spaces, quotes and zero fractions")
    func tolerantInput() throws {
        let text = "\u{FEFF}\"label\",\"pixel1\",\"pixel2\",\"pixel3\",\"pixel4\"\r\n\r\n 1 ,\"2\",3.0, 4.00 ,5\r\n\r\n0,0,0,0,0\r\n\r\n"
        let dataset = try parse(text)
        #expect(dataset.labels == [1, 0])
        #expect(dataset.pixels == [2, 3, 4, 5, 0, 0, 0, 0])
    }

    @Test("header policies: present skips the first line, absent parses it")
    func headerPolicies() throws {
        #expect(try parse("9,9,9,9,9\n1,1,1,1,1\n", headerRow: .present).labels == [1])
        #expect(error("label,p1,p2,p3,p4\n1,1,1,1,1\n", headerRow: .absent)
                == .csvInvalidNumber(path: "t.csv", line: 1, column: 1, text: "label"))
    }

    @Test("a gzip-compressed CSV file")
    func gzipFile() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/train.csv.gz"
            try writeBytes(Zlib.gzip(Array("label,a,b,c,d\n1,2,3,4,5\n".utf8)), to: path)
            let dataset = try reader.read(at: path)
            #expect(dataset.labels == [1] && dataset.pixels == [2, 3, 4, 5])
        }
    }

    @Test("a cell that is not a number names its line, column and text")
    func invalidNumber() {
        let header = "label,pixel1,pixel2,pixel3,pixel4\n"
        #expect(error(header + "1,2,3,4,5\n1,2,x7,4,5\n") == .csvInvalidNumber(path: "t.csv", line: 3, column: 3, text: "x7"))
        #expect(error(header + "1,2,3,,5\n") == .csvInvalidNumber(path: "t.csv", line: 2, column: 4, text: ""))
        #expect(error(header + "1,2,3,4,5.5\n") == .csvInvalidNumber(path: "t.csv", line: 2, column: 5, text: "5.5"))
        #expect(error("1,2,3,4,5\n1,2 3,3,4,5\n") == .csvInvalidNumber(path: "t.csv", line: 2, column: 2, text: "2 3"))
        #expect(error("1,2,3,4,\"5\n") == .csvInvalidNumber(path: "t.csv", line: 1, column: 5, text: "\"5"))
        // Blank lines and CRLF ends still count as lines.
        #expect(error("\u{FEFF}" + header + "\r\n1,2,3,4,5\r\n\r\n1,2,3,?,5\r\n")
                == .csvInvalidNumber(path: "t.csv", line: 5, column: 4, text: "?"))
        let message = error(header + "1,2,x7,4,5\n")?.description
        #expect(message == "t.csv:2: column 3: \"x7\" is not a whole number")
    }

    @Test("a row of the wrong width names its line and counts")
    func wrongWidth() {
        #expect(error("1,2,3,4,5\n1,2,3,4\n") == .csvWrongWidth(path: "t.csv", line: 2, columnCount: 4, expected: 5))
        #expect(error("label,a,b,c,d\n1,2,3,4,5,6,7\n") == .csvWrongWidth(path: "t.csv", line: 2, columnCount: 7, expected: 5))
        #expect(error("1,2,3,4,5,\n") == .csvWrongWidth(path: "t.csv", line: 1, columnCount: 6, expected: 5))
        #expect(error("1,2,3,4,5,x,y\r\n") == .csvWrongWidth(path: "t.csv", line: 1, columnCount: 7, expected: 5))
        #expect(error("1,2,3,4,5\n1,2,3,4\n")?.description
                == "t.csv:2: the row has 4 columns, expected 5 (a label and 4 pixels)")
    }

    @Test("a label outside the classes and a pixel outside 0…255")
    func outOfRange() {
        #expect(error("1,2,3,4,5\n3,2,3,4,5\n")
                == .csvLabelOutOfRange(path: "t.csv", line: 2, column: 1, value: 3, classCount: 3))
        #expect(error("-1,2,3,4,5\n")
                == .csvLabelOutOfRange(path: "t.csv", line: 1, column: 1, value: -1, classCount: 3))
        #expect(error("1,2,3,256,5\n") == .csvPixelOutOfRange(path: "t.csv", line: 1, column: 4, value: 256))
        #expect(error("1,2,3,4,-5\n") == .csvPixelOutOfRange(path: "t.csv", line: 1, column: 5, value: -5))
        if case .csvPixelOutOfRange(_, 1, 2, let value) = error("1,99999999999999999999999,3,4,5\n") {
            #expect(value > 255)
        } else {
            Issue.record("an overlong number should be out of range")
        }
        #expect(error("1,2,3,256,5\n")?.description == "t.csv:1: column 4: pixel 256 is outside 0...255")
    }

    @Test("a file without data rows")
    func empty() {
        #expect(error("") == .csvEmpty(path: "t.csv"))
        #expect(error("label,a,b,c,d\n\n") == .csvEmpty(path: "t.csv"))
    }

    @Test("a missing CSV file")
    func missing() {
        #expect(datasetError { _ = try reader.read(at: "/nonexistent/train.csv") }
                == .fileNotFound(path: "/nonexistent/train.csv"))
    }

    @Test("Kaggle's 28×28 layout, generated from random images")
    func kaggleLayout() throws {
        var generator = SeededGenerator(seed: 3)
        var text = "label," + (1...784).map { "pixel\($0)" }.joined(separator: ",") + "\n"
        var pixels: [UInt8] = []
        var labels: [UInt8] = []
        for _ in 0..<20 {
            let label = UInt8(generator.nextIndex(below: 10))
            let row = (0..<784).map { _ in UInt8(generator.nextIndex(below: 256)) }
            labels.append(label)
            pixels += row
            text += "\(label)," + row.map(String.init).joined(separator: ",") + "\n"
        }
        let dataset = try CSVDatasetReader().parse(Array(text.utf8), source: "k.csv")
        #expect(dataset.labels == labels && dataset.pixels == pixels)
        #expect(dataset.featureCount == 784)
    }
}
