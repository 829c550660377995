import Foundation

/// The update rule applied to the flat parameter vector θ with gradient g after each batch.
public enum Optimizer: String, Sendable, Hashable, Codable, CaseIterable {
    /// Stochastic gradient descent with momentum μ (scikit-learn's `SGDOptimizer`):
    /// `v ← μ v − η g`, then `θ ← θ + v`, or with Nesterov momentum `θ ← θ + μ v − η g`.
    case sgd
    /// Adam (Kingma & Ba; scikit-learn's `AdamOptimizer`), at step t:
    /// `m ← β₁ m + (1 − β₁) g`, `v ← β₂ v + (1 − β₂) g²`,
    /// `η_t = η · √(1 − β₂ᵗ) / (1 − β₁ᵗ)`, `θ ← θ − η_t · m / (√v + ε)`.
    case adam

    /// Parses `sgd` or `adam`.
    /// - Throws: ``NeuralNetworkError/unknownName(kind:name:validNames:)`` listing the choices.
    public init(name: String) throws(NeuralNetworkError) {
        switch normalizedName(name) {
        case "sgd": self = .sgd
        case "adam": self = .adam
        default: throw .unknownName(kind: "optimizer", name: name, validNames: Optimizer.allCases.map(\.rawValue))
        }
    }
}
