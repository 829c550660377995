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
    /// AdamW (Loshchilov & Hutter; PyTorch's `torch.optim.AdamW`), at step t with the current
    /// rate η and ``TrainingConfiguration/weightDecay`` λ: first the decoupled decay
    /// `θ ← θ · (1 − η λ)` on the weights (not the biases, as the L2 penalty ``TrainingConfiguration/alpha``
    /// spares them: a decayed bias only shifts units, it does not limit their capacity), then
    /// PyTorch's Adam step `m ← β₁ m + (1 − β₁) g`, `v ← β₂ v + (1 − β₂) g²`,
    /// `θ ← θ − η / (1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)`. Unlike ``adam`` (scikit-learn's form,
    /// `ε` added to `√v`), ε is added to the bias-corrected `√v̂`, as PyTorch does. The L2
    /// penalty α still applies to the gradient: set α = 0 for PyTorch's AdamW exactly.
    case adamw

    /// Whether the rule keeps a second moment (Adam and AdamW).
    var usesSecondMoment: Bool { self != .sgd }

    public static let choiceKind = "optimizer"
}
