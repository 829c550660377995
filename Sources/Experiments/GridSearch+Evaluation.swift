import Datasets

extension GridSearch {
    /// The validation accuracy of one fit and the seconds it took.
    public struct FoldScore: Sendable, Codable, Equatable {
        /// The fold's validation accuracy; NaN when training diverged.
        public var score: Double
        public var seconds: Double
    }

    /// The fits of a search as work items: every candidate on every fold, candidate by candidate.
    public struct Evaluation: IndependentFits {
        /// One fit: candidate `candidate` trained on fold `fold` (indices into the lists).
        public struct WorkItem: Sendable, Hashable, Codable {
            public var candidate: Int
            public var fold: Int
        }

        public typealias Failure = Never

        public var search: GridSearch
        public var candidates: [Candidate]
        public var features: Dataset
        public var labels: [Int]

        /// Candidate 0 on folds 0, 1, …, then candidate 1, and so on.
        public func workItems() -> [WorkItem] {
            candidates.indices.flatMap { candidate in search.folds.indices.map { WorkItem(candidate: candidate, fold: $0) } }
        }

        public func run(_ item: WorkItem) -> FoldScore {
            search.fit(candidates[item.candidate], fold: search.folds[item.fold], features: features, labels: labels)
        }

        /// Each candidate's fold scores, in the order of `candidates`.
        public func gather(_ scores: [FoldScore]) -> [CandidateResult] {
            let foldCount = search.folds.count
            return candidates.indices.map { candidate in
                let range = (candidate * foldCount)..<((candidate + 1) * foldCount)
                return CandidateResult(candidate: candidates[candidate], foldScores: range.map { scores[$0].score },
                                       fitSeconds: range.map { scores[$0].seconds })
            }
        }
    }
}
