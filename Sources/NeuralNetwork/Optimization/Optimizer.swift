import Foundation

/// The update rule applied to the flat parameter vector θ with gradient g after each batch.
public enum Optimizer: String, Sendable, Hashable, Codable, CaseIterable, NamedChoice {
    /// Stochastic gradient descent with momentum μ (scikit-learn's `SGDOptimizer`):
    /// `v ← μ v − η g`, then `θ ← θ + v`, or with Nesterov momentum `θ ← θ + μ v − η g`.
    case sgd
    /// Adam (Kingma & Ba; scikit-learn's `AdamOptimizer`), at step t:
    /// `m ← β₁ m + (1 − β₁) g`, `v ← β₂ v + (1 − β₂) g²`,
    /// `η_t = η · √(1 − β₂ᵗ) / (1 − β₁ᵗ)`, `θ ← θ − η_t · m / (√v + ε)`.
    case adam

    public static let choiceKind = "optimizer"
}
