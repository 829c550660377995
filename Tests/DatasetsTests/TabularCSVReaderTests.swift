import Foundation
import Testing
@testable import Datasets
import MLPCore
import TestSupport

/// CSV tables with a header row: quoting, line ends, column choices, and every malformed input a
/// `DatasetError` whose one line names the file, the line and the column.
@Suite("tabular CSV reader")
struct TabularCSVReaderTests {
    func parse(_ text: String, _ reader: TabularCSVReader = TabularCSVReader(targetColumns: ["y"])) throws -> TabularData {
        try reader.parse(Array(text.utf8), source: "t.csv")
    }

    func features(_ table: TabularData) -> [Float] { table.featureMatrix().elements }

    func error(_ text: String, _ reader: TabularCSVReader = TabularCSVReader(targetColumns: ["y"])) -> DatasetError? {
        let error = datasetError { _ = try parse(text, reader) }
        if let line = error?.description { #expect(!line.contains("\n") && !line.contains("\r"), "\(line)") }
        return error
    }

    @Test("labels are kept as text, features are every other column in header order")
    func labelsAndFeatures() throws {
        let table = try parse("a,y,b\n1,cat,2\n-3.5,dog,4e1\n0,cat,0.25\n")
        #expect(table.featureNames == ["a", "b"] && table.targetNames == ["y"])
        #expect(table.labels == ["cat", "dog", "cat"])
        #expect(bits(features(table)) == bits([1, 2, -3.5, 40, 0, 0.25]))
        #expect(table.sampleWeights == nil && table.targetValues == nil)
    }

    @Test("quoted cells hold commas, doubled quotes and newlines; lines after them are counted")
    func quotedCells() throws {
        let text = "\"a\",\"y, the label\",b\n\"1\",\"say \"\"hi\"\", then go\",2\n3,\"two\nlines\",4\n5,x,\"7\"\n"
        let reader = TabularCSVReader(targetColumns: ["y, the label"])
        let table = try parse(text, reader)
        #expect(table.labels == ["say \"hi\", then go", "two\nlines", "x"])
        #expect(bits(features(table)) == bits([1, 2, 3, 4, 5, 7]))
        // The quoted newline counts: the next row is line 6.
        #expect(error(text + "6,z,\"seven\"\n", reader) == .csvInvalidCell(path: "t.csv", line: 6, column: 3, name: "b", text: "seven"))
    }

    @Test("a byte-order mark, CRLF line ends, blank lines and spaces around cells are accepted")
    func bomCRLFBlankLines() throws {
        let text = "\u{FEFF}a , y,b\r\n\r\n 1 , x ,2\r\n   \r\n\r\n3,y,4\r\n"
        let table = try parse(text)
        #expect(table.featureNames == ["a", "b"] && table.labels == ["x", "y"])
        #expect(bits(features(table)) == bits([1, 2, 3, 4]))
        // Line numbers count the blank lines: the bad cell is on line 8.
        #expect(error(text + "\r\n5,z,six\r\n") == .csvInvalidCell(path: "t.csv", line: 8, column: 3, name: "b", text: "six"))
    }

    @Test("an unterminated quote is refused with the line it opens on, in the header too")
    func unterminatedQuote() {
        let data = error("a,y\n1,x\n2,\"open\n3,z\n")
        #expect(data?.description == "t.csv:3: a quoted cell is never closed", "\(String(describing: data))")
        let header = error("a,\"y\n1,x\n")
        #expect(header?.description == "t.csv:1: a quoted cell is never closed", "\(String(describing: header))")
    }

    @Test("an empty cell names its line and column")
    func missingCell() {
        let missing = error("a,b,y\n1,2,x\n3,,x\n")
        #expect(missing == .csvInvalidCell(path: "t.csv", line: 3, column: 2, name: "b", text: ""))
        #expect(missing?.description == "t.csv:3: column 2 (b): the cell is empty")
        #expect(error("a,y\n1,\n") == .csvInvalidCell(path: "t.csv", line: 2, column: 2, name: "y", text: ""))
        #expect(error("a,y\n1,\"  \"\n") == .csvInvalidCell(path: "t.csv", line: 2, column: 2, name: "y", text: ""))
    }

    @Test("non-numeric, NaN, infinite and beyond-Float cells are refused", arguments: [
        "abc", "nan", "NaN", "inf", "-inf", "infinity", "1e39", "-3.5e38", "1e400", "1,5", "0x", "1 2",
    ])
    func nonNumericCell(cell: String) {
        let text = "a,b,y\n1,2,x\n3,\"\(cell)\",x\n"
        let found = error(text)
        #expect(found == .csvInvalidCell(path: "t.csv", line: 3, column: 2, name: "b", text: cell), "\(String(describing: found))")
        #expect(found?.description.hasPrefix("t.csv:3: column 2 (b): \"\(cell)\" is not a finite number") == true)
    }

    @Test("numbers at Float's edges are read")
    func floatEdges() throws {
        let table = try parse("a,y\n3.4028235e38,x\n-1e-50,x\n1e-40,x\n")
        #expect(bits(features(table)) == bits([Float.greatestFiniteMagnitude, -0.0, Float(1e-40 as Double)]))
    }

    @Test("a header with a duplicate or empty name, or no data rows, is refused")
    func badHeaders() {
        #expect(error("a,b,a,y\n1,2,3,x\n") == .invalidHeader(path: "t.csv", problem: "the header names \"a\" twice"))
        #expect(error("a, a ,y\n1,2,x\n")?.description == "t.csv:1: the header names \"a\" twice")
        #expect(error("a,,y\n1,2,x\n") == .invalidHeader(path: "t.csv", problem: "column 2 of the header has no name"))
        #expect(error("a,y,\"\"\n1,x,2\n")?.description == "t.csv:1: column 3 of the header has no name")
        #expect(error("") == .csvEmpty(path: "t.csv"))
        #expect(error("\n\n  \n") == .csvEmpty(path: "t.csv"))
        #expect(error("a,y\n\n") == .csvEmpty(path: "t.csv"))
    }

    @Test("an unknown target, feature or weight column lists the columns the header has")
    func unknownColumns() {
        let text = "a,b,y\n1,2,x\n"
        let available = ["a", "b", "y"]
        #expect(error(text, TabularCSVReader(targetColumns: ["label"]))
                == .unknownColumn(path: "t.csv", name: "label", available: available))
        #expect(error(text, TabularCSVReader(targetColumns: ["label"]))?.description
                == "t.csv: no column named \"label\" (the header has: a, b, y)")
        #expect(error(text, TabularCSVReader(targetColumns: ["y"], featureColumns: ["a", "c"]))
                == .unknownColumn(path: "t.csv", name: "c", available: available))
        #expect(error(text, TabularCSVReader(targetColumns: ["y"], weightColumn: "w"))
                == .unknownColumn(path: "t.csv", name: "w", available: available))
        // Many columns: twelve are listed, then an ellipsis.
        let wide = (0..<20).map { "c\($0)" }.joined(separator: ",") + "\n" + (0..<20).map(String.init).joined(separator: ",") + "\n"
        let line = error(wide, TabularCSVReader(targetColumns: ["y"]))?.description ?? ""
        #expect(line.hasSuffix("c9, c10, c11, …)"), "\(line)")
    }

    @Test("a row with too few or too many cells names its line and the column")
    func raggedRows() {
        #expect(error("a,b,y\n1,2,x\n3,4\n")?.description
                == "t.csv:3: the row has 2 cells, the header 3: no cell for column 3 (y)")
        #expect(error("a,b,y\n1,2,x,9\n")?.description
                == "t.csv:2: the row has 4 cells, the header 3: a cell past the last column (y)")
    }

    @Test("numeric targets, a weight column, named features in their own order")
    func valuesWeightsAndNamedFeatures() throws {
        let text = "w,a,t1,b,t2,note\n1,1,10,2,20,x\n0.5,3,30,4,40,y\n2,5,50,6,60,z\n"
        let reader = TabularCSVReader(targetColumns: ["t2", "t1"], targetKind: .values, featureColumns: ["b", "a"], weightColumn: "w")
        let table = try parse(text, reader)
        #expect(table.featureNames == ["b", "a"] && table.targetNames == ["t2", "t1"])
        #expect(bits(features(table)) == bits([2, 1, 4, 3, 6, 5]))
        let targets = try #require(table.targetValues)
        #expect(targets.rows == 3 && targets.columns == 2 && bits(targets.elements) == bits([20, 10, 40, 30, 60, 50]))
        #expect(table.sampleWeights.map(bits) == bits([1, 0.5, 2]))
        #expect(table.labels == nil)
        // A text cell in an unused column is never read; in a numeric target it is refused.
        #expect(error(text + "1,7,ten,8,80,w\n", reader) == .csvInvalidCell(path: "t.csv", line: 5, column: 3, name: "t1", text: "ten"))
        #expect(error(text + "nan,7,70,8,80,w\n", reader) == .csvInvalidCell(path: "t.csv", line: 5, column: 1, name: "w", text: "nan"))
    }

    @Test("conflicting column choices are refused")
    func conflictingColumns() {
        let text = "a,b,y,z\n1,2,3,4\n"
        #expect(error(text, TabularCSVReader(targetColumns: ["y", "z"]))?.description
                == "t.csv: a classifier takes one label column, got 2")
        #expect(error(text, TabularCSVReader(targetColumns: ["y"], featureColumns: ["a", "y"]))?.description
                == "t.csv: column \"y\" cannot be both a feature and a target or the weight")
        #expect(error(text, TabularCSVReader(targetColumns: ["y"], featureColumns: ["a", "a"]))?.description
                == "t.csv: the feature column \"a\" is named twice")
        #expect(error(text, TabularCSVReader(targetColumns: ["y", "y"], targetKind: .values))?.description
                == "t.csv: the target column \"y\" is named twice")
        #expect(error(text, TabularCSVReader(targetColumns: ["y"], weightColumn: "y"))?.description
                == "t.csv: column \"y\" cannot be both a target and the weight")
        #expect(error("y\nx\n")?.description == "t.csv: no feature columns are left")
    }

    @Test("ignored columns are left out of the features when the header has them")
    func ignoredColumns() throws {
        var reader = TabularCSVReader()
        reader.ignoredColumns = ["y", "not there"]
        let table = try parse("a,y,b\n1,cat,2\n", reader)
        #expect(table.featureNames == ["a", "b"] && table.targetNames.isEmpty && table.labels == nil)
        let without = try parse("a,b\n1,2\n", reader)
        #expect(without.featureNames == ["a", "b"])
        // Named features take precedence: an ignored column named as a feature is read.
        reader.featureColumns = ["y"]
        #expect(try parse("a,y\n1,5\n", reader).featureNames == ["y"])
    }

    @Test("control characters in names and cells stay escaped on one line")
    func oneLineMessages() {
        let line = error("a,\"b\nc\",y\n1,\"\u{1B}[2J\",x\n")?.description
        #expect(line == "t.csv:3: column 2 (b\\nc): \"\\u{1B}[2J\" is not a finite number", "\(String(describing: line))")
        let unknown = error("a,y\n1,x\n", TabularCSVReader(targetColumns: ["y\r\n"]))?.description
        #expect(unknown == "t.csv: no column named \"y\\r\\n\" (the header has: a, y)", "\(String(describing: unknown))")
    }

    @Test("a file is read whole, raw or gzip-compressed, and errors name it")
    func readsFiles() throws {
        try withTemporaryDirectory("table") { directory in
            let path = directory + "/table.csv"
            try writeBytes(Array("a,y\n1,x\n2,y\n".utf8), to: path)
            let table = try TabularCSVReader(targetColumns: ["y"]).read(at: path)
            #expect(table.name == path && table.sampleCount == 2)
            #expect(throws: DatasetError.fileNotFound(path: directory + "/missing.csv")) {
                try TabularCSVReader().read(at: directory + "/missing.csv")
            }
            #expect(throws: DatasetError.self) { try TabularCSVReader().read(at: directory) }
        }
    }
}
