import Foundation

// A report's blocks and figures as JSON, losslessly: a decoded block renders exactly as the
// original (`mlp reproduce` saves each finished section this way, to resume an interrupted run).
//
//     {"kind": "paragraph", "text": "ReLU converges fastest."}
//     {"kind": "list", "items": ["first", "second"]}
//     {"kind": "table", "table": {"title": "…", "columns": [{"header": "Model", "alignment": "left"}], "rows": [["relu"]]}}
//     {"kind": "figure", "figure": {"fileName": "loss.svg", "caption": "…", "alternativeText": "", "svg": "<svg …"}}
//     {"kind": "figure", "figure": {"fileName": "samples.png", "caption": "…", "alternativeText": "", "png": "iVBORw0KGgo…"}}
//     {"kind": "keyValues", "pairs": [{"key": "Epochs", "value": "50"}]}
//
// Headings and preformatted text have a `text` like paragraphs. Key–value pairs keep their order.

extension Report.Block: Codable {
    private enum CodingKeys: String, CodingKey {
        case kind, text, items, table, figure, pairs
    }

    private enum Kind: String, Codable {
        case paragraph, heading, list, preformatted, table, figure, keyValues
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(Kind.self, forKey: .kind) {
        case .paragraph: self = .paragraph(try container.decode(String.self, forKey: .text))
        case .heading: self = .heading(try container.decode(String.self, forKey: .text))
        case .list: self = .list(try container.decode([String].self, forKey: .items))
        case .preformatted: self = .preformatted(try container.decode(String.self, forKey: .text))
        case .table: self = .table(try container.decode(Table.self, forKey: .table))
        case .figure: self = .figure(try container.decode(Report.Figure.self, forKey: .figure))
        case .keyValues:
            self = .keyValues(try container.decode([KeyValuePair].self, forKey: .pairs).map { ($0.key, $0.value) })
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .paragraph(let text):
            try container.encode(Kind.paragraph, forKey: .kind)
            try container.encode(text, forKey: .text)
        case .heading(let text):
            try container.encode(Kind.heading, forKey: .kind)
            try container.encode(text, forKey: .text)
        case .list(let items):
            try container.encode(Kind.list, forKey: .kind)
            try container.encode(items, forKey: .items)
        case .preformatted(let text):
            try container.encode(Kind.preformatted, forKey: .kind)
            try container.encode(text, forKey: .text)
        case .table(let table):
            try container.encode(Kind.table, forKey: .kind)
            try container.encode(table, forKey: .table)
        case .figure(let figure):
            try container.encode(Kind.figure, forKey: .kind)
            try container.encode(figure, forKey: .figure)
        case .keyValues(let pairs):
            try container.encode(Kind.keyValues, forKey: .kind)
            try container.encode(pairs.map { KeyValuePair(key: $0.key, value: $0.value) }, forKey: .pairs)
        }
    }

    /// One key–value pair as a JSON object, so that the list keeps its order.
    private struct KeyValuePair: Codable {
        var key: String
        var value: String
    }
}

/// A figure is its file name, caption and alternative text, and either `svg` (the document's
/// text) or `png` (the file's bytes in Base64), never both.
extension Report.Figure: Codable {
    private enum CodingKeys: String, CodingKey {
        case fileName, caption, alternativeText, svg, png
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let svg = try container.decodeIfPresent(String.self, forKey: .svg)
        let png = try container.decodeIfPresent(String.self, forKey: .png)
        let content: Content
        switch (svg, png) {
        case (let svg?, nil):
            content = .svg(svg)
        case (nil, let png?):
            guard let bytes = Data(base64Encoded: png) else {
                throw DecodingError.dataCorruptedError(forKey: .png, in: container, debugDescription: "the PNG is not valid Base64")
            }
            content = .png(Array(bytes))
        default:
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: container.codingPath, debugDescription: "a figure needs either \"svg\" or \"png\""))
        }
        self.init(content: content, fileName: try container.decode(String.self, forKey: .fileName),
                  caption: try container.decode(String.self, forKey: .caption),
                  alternativeText: try container.decode(String.self, forKey: .alternativeText))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(fileName, forKey: .fileName)
        try container.encode(caption, forKey: .caption)
        try container.encode(alternativeText, forKey: .alternativeText)
        switch content {
        case .svg(let text): try container.encode(text, forKey: .svg)
        case .png(let bytes): try container.encode(Data(bytes).base64EncodedString(), forKey: .png)
        }
    }
}
