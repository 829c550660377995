import Foundation
import MLPCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A one-line progress bar on stderr for training loops:
///
///     relu/he  [██████████░░░░░░░░░░]  epoch 12/30  loss 0.0712  acc 97.85%  ETA 0:41
///
/// The line is redrawn in place with a carriage return. When stderr is not a terminal
/// (`isatty(2) == 0`: a pipe, a file, CI) the bar is quiet and writes nothing, so logs stay clean.
///
///     let bar = ProgressBar(label: "relu", total: epochs)
///     for epoch in 1...epochs {
///         ...
///         bar.update(step: epoch, loss: loss, accuracy: accuracy)
///     }
///     bar.finish()
///
/// The bar is safe to update from any thread (training callbacks may run off the main thread).
public final class ProgressBar: @unchecked Sendable {
    /// The text before the bar, e.g. the model's name.
    public let label: String
    /// The number of steps (epochs) at which the bar is full.
    public let total: Int
    /// The name of a step, printed before `k/n`.
    public let unit: String
    /// Whether the bar draws anything: stderr is a terminal, or `forceEnabled` was given.
    public let isEnabled: Bool
    /// The width of the bar itself, in characters.
    public let width: Int

    private let lock = NSLock()
    private let startTime: Double
    private var lastLength = 0
    private var finished = false

    /// A bar for `total` steps.
    /// - Parameters:
    ///   - enabled: `nil` (the default) draws only when stderr is a terminal; `true` or `false` forces it.
    public init(label: String, total: Int, unit: String = "epoch", width: Int = 20, enabled: Bool? = nil) {
        self.label = label
        self.total = max(total, 1)
        self.unit = unit
        self.width = max(width, 4)
        self.isEnabled = enabled ?? ProgressBar.standardErrorIsTerminal
        self.startTime = MonotonicClock.seconds()
    }

    /// Whether stderr is a terminal.
    public static var standardErrorIsTerminal: Bool { isatty(2) != 0 }

    /// Redraws the bar after `step` of ``total`` steps, with the latest loss and accuracy (either
    /// may be omitted). The ETA assumes the remaining steps take as long as the ones so far.
    public func update(step: Int, loss: Double? = nil, accuracy: Double? = nil) {
        guard isEnabled else { return }
        let line = render(step: step, loss: loss, accuracy: accuracy, elapsed: MonotonicClock.seconds() - startTime)
        lock.lock()
        defer { lock.unlock() }
        guard !finished else { return }
        let padding = String(repeating: " ", count: max(0, lastLength - line.count))
        lastLength = line.count
        Self.writeToStandardError("\r" + line + padding)
    }

    /// Ends the bar's line, so that what is printed next starts on a fresh line.
    /// With `clear`, erases the line instead. Calling it again does nothing.
    public func finish(clear: Bool = false) {
        guard isEnabled else { return }
        lock.lock()
        defer { lock.unlock() }
        guard !finished else { return }
        finished = true
        if clear {
            Self.writeToStandardError("\r" + String(repeating: " ", count: lastLength) + "\r")
        } else if lastLength > 0 {
            Self.writeToStandardError("\n")
        }
    }

    /// The text of the bar after `step` steps and `elapsed` seconds, without control characters.
    public func render(step: Int, loss: Double?, accuracy: Double?, elapsed: Double) -> String {
        let done = min(max(step, 0), total)
        let filled = Int((Double(done) / Double(total) * Double(width)).rounded(.down))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        var parts = [label.isEmpty ? "[\(bar)]" : "\(label)  [\(bar)]", "\(unit) \(done)/\(total)"]
        if let loss { parts.append("loss " + (loss.isFinite ? NumberFormat.fixed(loss, decimals: 4) : "NaN")) }
        if let accuracy { parts.append("acc " + NumberFormat.percent(accuracy, decimals: 2)) }
        if done > 0 && done < total && elapsed > 0 {
            let remaining = elapsed / Double(done) * Double(total - done)
            parts.append("ETA " + Self.clock(remaining))
        } else if done >= total {
            parts.append(Self.clock(elapsed))
        }
        return parts.joined(separator: "  ")
    }

    /// `m:ss` or `h:mm:ss`.
    static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let total = Int(seconds.rounded())
        let hours = total / 3600, minutes = (total % 3600) / 60, secs = total % 60
        let twoDigits = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
        return hours > 0 ? "\(hours):\(twoDigits(minutes)):\(twoDigits(secs))" : "\(minutes):\(twoDigits(secs))"
    }

    private static func writeToStandardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

}
