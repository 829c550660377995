import Foundation

/// An element-wise activation of a hidden layer, `a = f(z)`.
///
/// Each derivative is computed from the layer's output `a` (no copy of `z` is kept):
///
/// | activation | f(z) | f′ written with a = f(z) |
/// | --- | --- | --- |
/// | `sigmoid` (logistic) | 1 / (1 + e^(−z)) | a (1 − a) |
/// | `tanh` | tanh z | 1 − a² |
/// | `relu` | max(0, z) | 1 if a > 0, else 0 |
/// | `leakyReLU(slope)` | z if z > 0, else slope · z | 1 if a > 0, else slope |
/// | `identity` | z | 1 |
///
/// The output layer's function (softmax or identity) belongs to the ``LossFunction``.
public enum Activation: Sendable, Hashable {
    /// The logistic function σ(z) = 1 / (1 + e^(−z)); σ′ = σ(1 − σ).
    case sigmoid
    /// The hyperbolic tangent; tanh′ = 1 − tanh².
    case tanh
    /// The rectifier max(0, z); its derivative is the step 1[z > 0].
    case relu
    /// z for z > 0, `slope · z` otherwise (slope ≥ 0, 0.01 by default).
    case leakyReLU(slope: Float)
    /// f(z) = z.
    case identity

    /// The slope of ``leakyReLU(slope:)`` when none is given.
    public static let defaultLeakySlope: Float = 0.01

    /// Leaky ReLU with the default slope 0.01.
    public static var leakyReLU: Activation { .leakyReLU(slope: defaultLeakySlope) }

    /// The canonical names, as accepted by ``init(name:)``.
    public static let validNames = ["sigmoid", "logistic", "tanh", "relu", "leaky-relu", "identity"]

    /// Parses a name: `sigmoid` or `logistic`, `tanh`, `relu`, `leaky-relu` (or `leaky-relu(0.2)`
    /// for another slope), `identity` (or `linear`). Case, `_` and `-` do not matter.
    /// - Throws: ``NeuralNetworkError/unknownName(kind:name:validNames:)`` listing the choices.
    public init(name: String) throws(NeuralNetworkError) {
        let key = normalizedName(name)
        switch key {
        case "sigmoid", "logistic": self = .sigmoid
        case "tanh": self = .tanh
        case "relu": self = .relu
        case "leakyrelu": self = .leakyReLU
        case "identity", "linear": self = .identity
        default:
            // `leaky-relu(0.2)`: the slope is read from the original text, so a sign survives.
            if key.hasPrefix("leakyrelu("), key.hasSuffix(")"), let open = name.firstIndex(of: "("),
               let slope = Float(name[name.index(after: open)...].dropLast().trimmingCharacters(in: .whitespaces)),
               slope >= 0, slope.isFinite {
                self = .leakyReLU(slope: slope)
                return
            }
            throw .unknownName(kind: "activation", name: name, validNames: Activation.validNames)
        }
    }

    /// The canonical name; a leaky ReLU with a non-default slope prints as `leaky-relu(0.2)`.
    public var name: String {
        switch self {
        case .sigmoid: return "sigmoid"
        case .tanh: return "tanh"
        case .relu: return "relu"
        case .leakyReLU(let slope):
            return slope == Activation.defaultLeakySlope ? "leaky-relu" : "leaky-relu(\(slope))"
        case .identity: return "identity"
        }
    }

    /// Whether this is ReLU or leaky ReLU, for which He initialisation preserves the variance.
    public var isRectifier: Bool {
        switch self {
        case .relu, .leakyReLU: return true
        default: return false
        }
    }

    /// f(z) for one value, computed in `Double` (a reference for tests and explanations).
    public func value(_ z: Double) -> Double {
        switch self {
        case .sigmoid: return 1 / (1 + Foundation.exp(-z))
        case .tanh: return Foundation.tanh(z)
        case .relu: return z > 0 ? z : 0
        case .leakyReLU(let slope): return z > 0 ? z : Double(slope) * z
        case .identity: return z
        }
    }

    /// f′ written in terms of the output `a = f(z)` (see the table above).
    public func derivative(output a: Double) -> Double {
        switch self {
        case .sigmoid: return a * (1 - a)
        case .tanh: return 1 - a * a
        case .relu: return a > 0 ? 1 : 0
        case .leakyReLU(let slope): return a > 0 ? 1 : Double(slope)
        case .identity: return 1
        }
    }
}

extension Activation: CustomStringConvertible {
    public var description: String { name }
}

extension Activation: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(name: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}
