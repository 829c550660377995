import Reporting

/// A section as JSON, losslessly: its key, title, blocks (see `Report.Block`'s coding), goals,
/// configuration (a list of `{"key", "value"}` objects, in order), numbers, why it was skipped
/// (absent when it ran) and its duration. A decoded section renders the same terminal text,
/// Markdown and HTML as the original; `mlp reproduce` saves each finished section this way, so an
/// interrupted run can resume (see ``Reproduction``).
///
/// This is the complete form; ``SectionRecord`` (in `results.json`) is the summary for readers.
extension SectionResult: Codable {
    private enum CodingKeys: String, CodingKey {
        case key, title, blocks, goals, configuration, numbers, skipped, duration
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(key: try container.decode(String.self, forKey: .key), title: try container.decode(String.self, forKey: .title))
        blocks = try container.decode([Report.Block].self, forKey: .blocks)
        goals = try container.decode([GoalCheck].self, forKey: .goals)
        configuration = try container.decode([Setting].self, forKey: .configuration).map { ($0.key, $0.value) }
        numbers = try container.decode([String: Double].self, forKey: .numbers)
        skipped = try container.decodeIfPresent(String.self, forKey: .skipped)
        duration = try container.decode(Double.self, forKey: .duration)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(key, forKey: .key)
        try container.encode(title, forKey: .title)
        try container.encode(blocks, forKey: .blocks)
        try container.encode(goals, forKey: .goals)
        try container.encode(configuration.map { Setting(key: $0.key, value: $0.value) }, forKey: .configuration)
        try container.encode(numbers, forKey: .numbers)
        try container.encodeIfPresent(skipped, forKey: .skipped)
        try container.encode(duration, forKey: .duration)
    }
}

/// One configuration setting as a JSON object, so that a list of them keeps its order.
struct Setting: Codable, Equatable {
    var key: String
    var value: String
}
