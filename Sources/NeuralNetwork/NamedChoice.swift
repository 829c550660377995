/// An enumeration of choices named in configurations and on the command line. Its raw values are
/// its canonical names; ``aliases`` add other spellings (`he` for `he-normal`). Names are read
/// without regard to case, `-`, `_` or spaces.
public protocol NamedChoice: CaseIterable, RawRepresentable<String>, Sendable {
    /// What the choices are, in error messages: "optimizer".
    static var choiceKind: String { get }
    /// Other accepted spellings, already normalised (lowercase, without `-`, `_` and spaces).
    static var aliases: [String: Self] { get }
}

extension NamedChoice {
    public static var aliases: [String: Self] { [:] }

    /// The choice named `name`, canonically or by an alias.
    /// - Throws: ``NeuralNetworkError/unknownName(kind:name:validNames:)`` listing the choices.
    public init(name: String) throws(NeuralNetworkError) {
        let key = normalizedName(name)
        guard let match = Self.allCases.first(where: { normalizedName($0.rawValue) == key }) ?? Self.aliases[key] else {
            throw .unknownName(kind: Self.choiceKind, name: name, validNames: Self.allCases.map(\.rawValue))
        }
        self = match
    }
}

/// `name` in lowercase without `-`, `_` and spaces, as names are compared.
func normalizedName(_ name: String) -> String {
    String(name.lowercased().filter { $0 != "-" && $0 != "_" && $0 != " " })
}
