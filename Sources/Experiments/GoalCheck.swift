/// One goal of the assignment and whether this run met it, as
/// "goal: relu ≥ 0.85 validation accuracy — met (0.861)".
public struct GoalCheck: Sendable, Codable, Equatable {
    /// What was asked, e.g. "relu ≥ 0.85 validation accuracy".
    public var goal: String
    /// Whether the run met it.
    public var met: Bool
    /// The measured value that decided it, e.g. "0.861".
    public var measured: String

    /// "goal: <goal> — met (<measured>)" or "… — NOT met (…)".
    public var line: String { "goal: \(goal) — \(met ? "met" : "NOT met") (\(measured))" }
}
