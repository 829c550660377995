import Foundation
import Testing
@testable import Reporting

/// Blocks, figures and tables as JSON: lossless, and strict about what they accept.
@Suite("Report coding")
struct ReportCodingTests {
    func decode<Value: Decodable>(_ type: Value.Type, _ json: String) throws -> Value {
        try JSONDecoder().decode(type, from: Data(json.utf8))
    }

    @Test("every block of the sample report survives JSON and renders the same HTML and Markdown")
    func roundTrip() throws {
        let report = ReportTests.sample()
        var decoded = report
        for index in report.sections.indices {
            let bytes = try RunDirectory.json(report.sections[index].blocks)
            decoded.sections[index].blocks = try JSONDecoder().decode([Report.Block].self, from: Data(bytes))
            #expect(decoded.sections[index].blocks == report.sections[index].blocks)
            #expect(try RunDirectory.json(decoded.sections[index].blocks) == bytes, "encoding the decoded blocks changes them")
        }
        #expect(decoded.html() == report.html())
        #expect(decoded.markdown() == report.markdown())
        // The PNG's bytes come back exactly.
        guard case .figure(let figure) = decoded.sections[1].blocks[1], case .png(let bytes) = figure.content else {
            Issue.record("the second section's second block is not a PNG figure")
            return
        }
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        #expect(decoded.sections[1].blocks[1] == report.sections[1].blocks[1])
    }

    @Test("a table keeps its title, alignments and cells; key-value pairs keep their order")
    func tableAndPairs() throws {
        let table = Table(title: "Centred", headers: ["a", "b", "c"], alignments: [.left, .center, .right], rows: [["1", "", "3"]])
        let decoded = try JSONDecoder().decode(Table.self, from: Data(try RunDirectory.json(table)))
        #expect(decoded == table)
        #expect(decoded.columns.map(\.alignment) == [.left, .center, .right])
        let pairs = Report.Block.keyValues([("z", "1"), ("a", "2"), ("m", "3")])
        let decodedPairs = try JSONDecoder().decode(Report.Block.self, from: Data(try RunDirectory.json(pairs)))
        guard case .keyValues(let values) = decodedPairs else {
            Issue.record("decoded \(decodedPairs), not key-value pairs")
            return
        }
        #expect(values.map(\.key) == ["z", "a", "m"] && values.map(\.value) == ["1", "2", "3"])
    }

    @Test("a row of the wrong width, a figure without content or with bad Base64 and an unknown kind are decoding errors")
    func rejectsMalformedInput() throws {
        let columns = #"[{"header": "a", "alignment": "left"}, {"header": "b", "alignment": "right"}]"#
        #expect(throws: DecodingError.self) {
            try decode(Table.self, #"{"title": "", "columns": \#(columns), "rows": [["1", "2"], ["3"]]}"#)
        }
        #expect(throws: DecodingError.self) {
            try decode(Table.self, #"{"title": "", "columns": [{"header": "a", "alignment": "diagonal"}], "rows": []}"#)
        }
        #expect(throws: DecodingError.self) {
            try decode(Report.Figure.self, #"{"fileName": "a.svg", "caption": "", "alternativeText": ""}"#)
        }
        #expect(throws: DecodingError.self) {
            try decode(Report.Figure.self, #"{"fileName": "a.svg", "caption": "", "alternativeText": "", "svg": "<svg/>", "png": ""}"#)
        }
        #expect(throws: DecodingError.self) {
            try decode(Report.Figure.self, #"{"fileName": "a.png", "caption": "", "alternativeText": "", "png": "not base64!"}"#)
        }
        #expect(throws: DecodingError.self) { try decode(Report.Block.self, #"{"kind": "video", "text": "x"}"#) }
        #expect(throws: DecodingError.self) { try decode(Report.Block.self, #"{"kind": "list", "text": "x"}"#) }
        let valid = try decode(Table.self, #"{"title": "t", "columns": \#(columns), "rows": [["1", "2"]]}"#)
        #expect(valid.rows == [["1", "2"]] && valid.headers == ["a", "b"])
    }
}
