import Reporting

extension SwiftVersusC {
    /// The rows as a table: microseconds per call from each caller, then each Swift caller's
    /// median ratio to C.
    public func table(_ rows: [Row]) -> Table {
        let callers = GemmOperands.Caller.allCases
        let swiftCallers = callers.filter { $0 != .c }
        var table = Table(
            title: "sgemm from C and from Swift, 1 thread (medians over \(rounds) rounds of \(callsPerBlock) calls)",
            headers: ["m×n×k"] + callers.map { "\($0.rawValue), µs" } + swiftCallers.map { "\($0.rawValue) / C" },
            alignments: [.left] + Array(repeating: .right, count: callers.count + swiftCallers.count))
        for row in rows {
            let times = callers.map { NumberFormat.significant(row.microsecondsPerCall[$0] ?? .nan, digits: 4) }
            let ratios = swiftCallers.map { NumberFormat.fixed(row.ratioToC[$0] ?? .nan, decimals: 3) }
            table.addRow([row.shape.label] + times + ratios)
        }
        return table
    }
}
