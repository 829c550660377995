import Reporting

extension GridSearchSection {
    /// Section C3 as text, the ranked table, the goal, configuration and the numbers of `results.json`.
    public static func render(_ results: Results, context: ExperimentContext) -> SectionResult {
        .drawn(key: key, title: Narrative.title, runSeconds: results.seconds) { result in
            result.paragraph(Narrative.setup(results))
            result.table(rankedTable(results))
            result.paragraph(Narrative.best(results))
            result.paragraph(Narrative.parallelism(results, threads: context.resolvedThreads))
            result.paragraph(Narrative.searchDuration(results))
            result.numbers = numbers(results)
            result.goals = [GoalCheck(goal: Narrative.scoredGoal(results), met: results.ranked.count == results.candidateCount,
                                      measured: "\(results.ranked.count) rows")]
            let configuration = results.configuration
            result.configuration = context.commonConfiguration + [
                ("Grid", "solver \(configuration.optimizers.map(\.rawValue)) × learning rate "
                    + "\(configuration.learningRates.map(Cell.learningRate)) × batch size \(configuration.batchSizes)"),
                ("Folds", "\(configuration.foldCount), stratified, seed \(context.seed)"),
                ("Max epochs", String(configuration.maxEpochs)), ("Patience", String(configuration.patience)),
                ("Fold workers", String(results.workers)),
            ]
        }
    }

    static func rankedTable(_ results: Results) -> Table {
        var table = Table(title: "All \(results.candidateCount) combinations, best first",
                          headers: ["Rank", "Solver", "Learning rate", "Batch size", "Validation accuracy (mean ± std)",
                                    "Fit time (s)", "Note"],
                          alignments: [.right, .left, .right, .right, .right, .right, .left])
        for (rank, entry) in results.ranked.enumerated() {
            table.addRow([String(rank + 1), entry.candidate.optimizer.rawValue, Cell.learningRate(entry.candidate.learningRate),
                          String(entry.candidate.batchSize),
                          NumberFormat.meanAndDeviation(entry.meanScore, entry.scoreDeviation, decimals: 4),
                          NumberFormat.meanAndDeviation(entry.meanFitSeconds, entry.fitDeviation, decimals: 1),
                          entry.divergedFolds > 0 ? "diverged in \(entry.divergedFolds) of \(results.foldCount) folds" : ""])
        }
        return table
    }

    static func numbers(_ results: Results) -> [String: Double] {
        var numbers = [
            "gridSearch.best.meanScore": results.best.meanScore,
            "gridSearch.best.learningRate": results.best.candidate.learningRate,
            "gridSearch.best.batchSize": Double(results.best.candidate.batchSize),
            "gridSearch.testAccuracy": results.refit.testAccuracy,
            "gridSearch.searchSeconds": results.searchSeconds,
            "gridSearch.workers": Double(results.workers),
        ]
        if let probe = results.probe {
            numbers["gridSearch.probe.sequentialSeconds"] = probe.sequentialSeconds
            numbers["gridSearch.probe.parallelSeconds"] = probe.parallelSeconds
        }
        return numbers
    }
}
