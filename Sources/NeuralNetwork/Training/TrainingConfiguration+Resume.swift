import Foundation

extension TrainingConfiguration {
    /// The fields a resumed run may change: the number of epochs, and how the work is split
    /// (threads, parallelism, the ranks' reduction), which changes rounding, not the run.
    public static let fieldsAResumeMayChange: Set<String> = ["maxEpochs", "threads", "parallelism", "gradientReduction", "warmStart"]

    /// The fields (by their `Codable` names, such as `batchSize`) in which this configuration
    /// differs from `saved` and that a resumed run may not change, sorted. `maxEpochs` is among
    /// them when it sets the length of a cosine schedule (``scheduleEpochs`` unset).
    public func fieldsThatChangeTheRun(comparedTo saved: TrainingConfiguration) -> [String] {
        let now = fieldValues, before = saved.fieldValues
        var fields = Self.fieldsAResumeMayChange
        if saved.cosineLengthIsMaxEpochs || cosineLengthIsMaxEpochs { fields.remove("maxEpochs") }
        return Set(now.keys).union(before.keys).subtracting(fields).sorted().filter { now[$0] != before[$0] }
    }

    /// Whether ``maxEpochs`` sets the cosine schedule's length.
    private var cosineLengthIsMaxEpochs: Bool { learningRateSchedule == .cosine && scheduleEpochs == nil }

    /// A field's value as JSON text (`32`, `"adam"`, `[256,128]`), or `none`.
    public func value(of field: String) -> String { fieldValues[field] ?? "none" }

    /// Every field's value as JSON text.
    private var fieldValues: [String: String] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(ModelFile.json(self).utf8)) as? [String: Any] else {
            return [:]
        }
        return object.mapValues { value in
            (try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys]))
                .map { String(decoding: $0, as: UTF8.self) } ?? "\(value)"
        }
    }
}
