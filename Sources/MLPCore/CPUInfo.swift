import Foundation

/// The processor as Linux describes it in `/proc/cpuinfo`.
public enum CPUInfo {
    /// The first processor's `model name` (or `unknown`) and `flags` from the text of `/proc/cpuinfo`.
    public static func parse(_ text: String) -> (model: String, flags: Set<String>) {
        var model: String?
        var flags: Set<String>?
        for line in text.split(separator: "\n") where model == nil || flags == nil {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if key == "model name", model == nil { model = value }
            if key == "flags", flags == nil { flags = Set(value.split(separator: " ").map(String.init)) }
        }
        return (model.flatMap { $0.isEmpty ? nil : $0 } ?? "unknown", flags ?? [])
    }

    /// This machine's model and flags, read once (empty flags when the file cannot be read). The
    /// kernel lists an AVX-512 flag only when the operating system saves those registers too.
    public static let current: (model: String, flags: Set<String>) =
        parse((try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? "")
}
