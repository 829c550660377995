/// `markdown` with the timings taken out of its pipe tables: each table's columns whose header
/// mentions seconds or time are dropped, and the other cells are trimmed (a column's padding
/// follows its widest cell). What is left of two runs' `results.md` is equal when they computed
/// the same things, however long each took.
public func removingTimedColumns(_ markdown: String) -> String {
    func cells(_ line: Substring) -> [String] {
        var parts = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
        if parts.first == "" { parts.removeFirst() }
        if parts.last == "" { parts.removeLast() }
        return parts
    }
    var lines: [String] = []
    var timedColumns: Set<Int>?
    for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
        guard line.hasPrefix("|") else {
            timedColumns = nil
            lines.append(String(line))
            continue
        }
        let row = cells(line)
        if timedColumns == nil {
            timedColumns = Set(row.indices.filter { row[$0].lowercased().contains("second") || row[$0].lowercased().contains("time") })
        }
        let kept = row.indices.filter { !(timedColumns?.contains($0) ?? false) }.map { row[$0] }
        lines.append("| " + kept.joined(separator: " | ") + " |")
    }
    return lines.joined(separator: "\n")
}

private extension Substring {
    func trimmingWhitespace() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
