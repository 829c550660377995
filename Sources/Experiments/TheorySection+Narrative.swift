import Foundation
import Reporting

extension TheorySection {
    /// Section A's text: the title, the paragraphs and the goals, as functions of the results.
    enum Narrative {
        static let title = "A. Theory: hard-margin SVM and a backpropagation step"
        static let svmHeading = "Hard-margin SVM"
        static let backpropagationHeading = "Backpropagation: one gradient step of a 1-1-1 network"

        static func hyperplane(_ results: Results) -> String {
            "w = \(vector(results.configuration.weights)), b = \(number(results.configuration.bias)), "
                + "‖w‖ = \(number(results.weightNorm)). Functional margin γ̂ᵢ = yᵢ(w·xᵢ + b); geometric margin γᵢ = γ̂ᵢ / ‖w‖."
        }

        static func setMargin(_ results: Results) -> String {
            "Margin of the set: min γᵢ = \(number(results.margin))"
                + (results.separates ? " (every sample on its side)." : " (some sample is misclassified).")
        }

        static func supportVectors(_ results: Results) -> String {
            "Support vectors: sample\(results.supportVectors.count == 1 ? "" : "s") \(supportVectorNames(results)) "
                + "(the samples at the margin)."
        }

        static func query(_ results: Results) -> String {
            let queryClass = results.queryClass
            return "The point \(vector(results.configuration.query)): w·x + b = \(number(results.queryDecision)) → class "
                + (queryClass > 0 ? "+1" : queryClass < 0 ? "−1" : "0 (on the hyperplane)") + "."
        }

        static let workedSetup = "ReLU hidden unit, identity output, L = (1/n) Σ (ŷ − y)², η = \(number(workedLearningRate)); "
            + "x = [1, 2, 3], y = [3, 4, 5]; w₁ = 0.5, b₁ = 0, w₂ = 0.3, b₂ = 0."

        static func losses(_ example: WorkedExample) -> String {
            "Loss before the step: \(NumberFormat.fixed(example.loss, decimals: 4)); after: "
                + "\(NumberFormat.fixed(example.updatedLoss, decimals: 4))."
        }

        static func handSolutionSlip(_ example: WorkedExample) -> String {
            "Where the hand solution slipped: (2.85² + 3.7² + 4.55²) / 3 = (8.1225 + 13.69 + 20.7025) / 3 = 14.1717, "
                + "not 4.1717 as written; the engine's loss is \(NumberFormat.fixed(example.loss, decimals: 4))."
        }

        static let marginsGoal = "functional margins 3, 1, 1, 3 and geometric 3/2, 1/2, 1/2, 3/2"
        static let supportVectorsGoal = "support vectors are samples 2 and 3"
        static let lossGoal = "worked example loss 14.1717"

        /// "2 and 3": the support vectors, 1-based.
        static func supportVectorNames(_ results: Results) -> String {
            results.supportVectors.map { String($0 + 1) }.joined(separator: " and ")
        }
    }

    /// A number with up to 4 significant decimals, without trailing zeros.
    static func number(_ value: Double) -> String {
        var text = NumberFormat.fixed(value, decimals: 4)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text == "-0" ? "0" : text.replacingOccurrences(of: "-", with: "−")
    }

    static func vector(_ values: [Double]) -> String { "(" + values.map(number).joined(separator: ", ") + ")" }
}
