/// A section's settings: the full run's by default, and a quick form for smoke tests.
public protocol SectionConfiguration: Sendable {
    /// The full run's settings.
    init()
    /// Cuts the settings down to a run of seconds (`--quick`).
    mutating func makeQuick()
}

extension SectionConfiguration {
    /// The full run's settings, or the quick form when `quick`.
    public static func defaults(quick: Bool) -> Self {
        var configuration = Self()
        if quick { configuration.makeQuick() }
        return configuration
    }
}
