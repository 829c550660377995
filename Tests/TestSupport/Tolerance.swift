/// Whether `actual` is within `absolute + relative · |expected|` of `expected`: the one
/// comparison of floating-point results the tests use (never `==` on computed values).
public func isClose(_ actual: Double, _ expected: Double, absolute: Double = 1e-6, relative: Double = 1e-6) -> Bool {
    abs(actual - expected) <= absolute + relative * abs(expected)
}

/// The bit patterns of `Float` values, for bit-identity checks.
public func bits(_ values: some Sequence<Float>) -> [UInt32] { values.map(\.bitPattern) }
