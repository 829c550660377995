import Foundation
import Reporting

/// Formats shared by the sections' tables.
enum Cell {
    /// Four decimals, or three significant digits with an exponent from 10⁵ on (as after a bad initialisation).
    static func loss(_ value: Double) -> String {
        guard value.isFinite else { return "—" }
        return abs(value) < 1e5 ? NumberFormat.fixed(value, decimals: 4) : String(format: "%.3e", value)
    }
    static func accuracy(_ value: Double) -> String { value.isFinite ? NumberFormat.fixed(value, decimals: 4) : "—" }
    static func percent(_ value: Double) -> String { value.isFinite ? NumberFormat.percent(value, decimals: 2) : "—" }
    static func seconds(_ value: Double) -> String { NumberFormat.fixed(value, decimals: 1) }

    /// A learning rate as the tables print it: 0.2, 0.002, or 2e-5 below 0.001.
    static func learningRate(_ rate: Double) -> String {
        if rate >= 0.001 { return NumberFormat.fixed(rate, decimals: rate >= 0.1 ? 1 : 3) }
        let exponent = Int(log10(rate).rounded(.down))
        let mantissa = rate / pow(10, Double(exponent))
        return "\(Int(mantissa.rounded()))e\(exponent)"
    }
}
