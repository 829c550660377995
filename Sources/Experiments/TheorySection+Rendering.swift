import Reporting

extension TheorySection {
    /// Section A as text, tables, goals, configuration and the numbers of `results.json`.
    public static func render(_ results: Results) -> SectionResult {
        .drawn(key: key, title: Narrative.title, runSeconds: results.seconds) { result in
            result.add(.heading(Narrative.svmHeading))
            result.paragraph(Narrative.hyperplane(results))
            result.table(marginTable(results))
            result.paragraph(Narrative.setMargin(results))
            result.paragraph(Narrative.supportVectors(results))
            result.paragraph(Narrative.query(results))
            result.add(.heading(Narrative.backpropagationHeading))
            result.paragraph(Narrative.workedSetup)
            result.table(forwardTable(results.example))
            result.table(stepTable(results.example))
            result.paragraph(Narrative.losses(results.example))
            result.paragraph(Narrative.handSolutionSlip(results.example))
            result.numbers = numbers(results)
            result.goals = goals(results)
            result.configuration = configurationRows(results.configuration)
        }
    }

    static func marginTable(_ results: Results) -> Table {
        let configuration = results.configuration
        var table = Table(title: "Margins of each sample",
                          headers: ["Sample", "x", "y", "w·x + b", "Functional margin", "Geometric margin", "Support vector"],
                          alignments: [.right, .left, .right, .right, .right, .right, .left])
        for index in configuration.points.indices {
            table.addRow([String(index + 1), vector(configuration.points[index]), configuration.labels[index] > 0 ? "+1" : "−1",
                          number(results.decisions[index]), number(results.functionalMargins[index]),
                          number(results.geometricMargins[index]), results.supportVectors.contains(index) ? "yes" : ""])
        }
        return table
    }

    static func forwardTable(_ example: WorkedExample) -> Table {
        var table = Table(title: "Forward pass", headers: ["x", "y", "z₁ = w₁x + b₁", "h = relu(z₁)", "ŷ = w₂h + b₂", "ŷ − y"],
                          alignments: Array(repeating: .right, count: 6))
        for index in example.inputs.indices {
            table.addRow([number(example.inputs[index]), number(example.targets[index]), number(example.hiddenPreactivations[index]),
                          number(example.hiddenOutputs[index]), number(example.outputs[index]),
                          number(example.outputs[index] - example.targets[index])])
        }
        return table
    }

    static func stepTable(_ example: WorkedExample) -> Table {
        var table = Table(title: "Gradients and the updated parameters",
                          headers: ["Parameter", "Before", "∂L/∂θ", "After (θ − η ∂L/∂θ)"], alignments: [.left, .right, .right, .right])
        for (index, name) in ["w₁", "b₁", "w₂", "b₂"].enumerated() {
            table.addRow([name, number(example.initialParameters[index]), number(example.gradients[index]),
                          number(example.updatedParameters[index])])
        }
        return table
    }

    static func numbers(_ results: Results) -> [String: Double] {
        var numbers: [String: Double] = ["svm.margin": results.margin, "svm.queryClass": Double(results.queryClass),
                                         "backprop.loss": results.example.loss, "backprop.updatedLoss": results.example.updatedLoss]
        for (index, value) in results.functionalMargins.enumerated() { numbers["svm.functionalMargin.\(index + 1)"] = value }
        for (index, value) in results.geometricMargins.enumerated() { numbers["svm.geometricMargin.\(index + 1)"] = value }
        for (name, value) in zip(["dw1", "db1", "dw2", "db2"], results.example.gradients) { numbers["backprop.\(name)"] = value }
        for (name, value) in zip(["w1", "b1", "w2", "b2"], results.example.updatedParameters) {
            numbers["backprop.updated.\(name)"] = value
        }
        return numbers
    }

    /// The margins and support vectors are checked only for the assignment's samples and hyperplane.
    static func goals(_ results: Results) -> [GoalCheck] {
        var goals: [GoalCheck] = []
        if results.configuration.isAssignment {
            let expected = [3.0, 1, 1, 3]
            let functional = results.functionalMargins, geometric = results.geometricMargins
            goals.append(GoalCheck(
                goal: Narrative.marginsGoal,
                met: zip(functional, expected).allSatisfy { abs($0 - $1) < 1e-9 }
                    && zip(geometric, expected).allSatisfy { abs($0 - $1 / 2) < 1e-9 },
                measured: functional.map(number).joined(separator: ", ") + " / " + geometric.map(number).joined(separator: ", ")))
            goals.append(GoalCheck(goal: Narrative.supportVectorsGoal, met: results.supportVectors == [1, 2],
                                   measured: Narrative.supportVectorNames(results)))
        }
        let loss = results.example.loss
        goals.append(GoalCheck(goal: Narrative.lossGoal, met: abs(loss - 14.171_666_7) < 1e-3,
                               measured: NumberFormat.fixed(loss, decimals: 4)))
        return goals
    }

    static func configurationRows(_ configuration: Configuration) -> [(key: String, value: String)] {
        [("Points", configuration.points.map(vector).joined(separator: " ")),
         ("Labels", configuration.labels.map(String.init).joined(separator: " ")),
         ("w", vector(configuration.weights)), ("b", number(configuration.bias)),
         ("Query point", vector(configuration.query))]
    }
}
