import ArgumentParser
import Experiments
import Foundation

/// `mlp theory`: the hard-margin SVM exercise and the backpropagation worked example.
struct TheoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "theory",
        abstract: "Hard-margin SVM margins and support vectors; one backpropagation step of a 1-1-1 network.")

    @OptionGroup var options: ExperimentOptions

    @Option(name: .customLong("point"), parsing: .unconditionalSingleValue, help: ArgumentHelp(
        "A sample as x1,x2:label with label +1 or -1 (repeat; default: the assignment's four).", valueName: "x1,x2:y"))
    var points: [String] = []

    @Option(parsing: .unconditional, help: ArgumentHelp("The weights w as w1,w2.", valueName: "w1,w2"))
    var weights: String?

    @Option(parsing: .unconditional, help: "The bias b.")
    var bias: Double?

    @Option(parsing: .unconditional, help: ArgumentHelp("The point to classify, as x1,x2.", valueName: "x1,x2"))
    var query: String?

    func validate() throws {
        _ = try theoryConfiguration()
    }

    /// The assignment's configuration with the given points, weights, bias and query.
    func theoryConfiguration() throws -> TheorySection.Configuration {
        var configuration = TheorySection.Configuration()
        if !points.isEmpty {
            var parsed: [[Double]] = [], labels: [Int] = []
            for text in points {
                let parts = text.split(separator: ":")
                guard parts.count == 2, let label = Int(parts[1].replacingOccurrences(of: "+", with: "")), label == 1 || label == -1 else {
                    throw ValidationError("--point '\(text)' must look like 1,0:+1 (coordinates, a colon, then +1 or -1)")
                }
                parsed.append(try Self.vector(String(parts[0]), option: "--point"))
                labels.append(label)
            }
            configuration.points = parsed
            configuration.labels = labels
        }
        if let weights { configuration.weights = try Self.vector(weights, option: "--weights") }
        if let bias {
            guard bias.isFinite, abs(bias) <= Self.largestMagnitude else {
                throw ValidationError("--bias must be a finite number of magnitude at most 1e12, got \(bias)")
            }
            configuration.bias = bias
        }
        if let query { configuration.query = try Self.vector(query, option: "--query") }
        let dimension = configuration.weights.count
        guard configuration.points.allSatisfy({ $0.count == dimension }), configuration.query.count == dimension else {
            throw ValidationError("every point, the query and w need the same number of coordinates (w has \(dimension))")
        }
        guard configuration.weights.contains(where: { $0 != 0 }) else { throw ValidationError("--weights must not be all zero") }
        return configuration
    }

    func run() async throws {
        let results = TheorySection.run(options.context(), configuration: try theoryConfiguration())
        try options.finish(TheorySection.render(results), command: "theory")
    }

    /// The largest magnitude of a coordinate, weight or bias: margins and norms of such values
    /// stay far from overflow.
    static let largestMagnitude = 1e12

    static func vector(_ text: String, option: String) throws -> [Double] {
        let values = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0.map { $0.isFinite && abs($0) <= largestMagnitude } == true }) else {
            throw ValidationError("\(option) '\(text)' must be comma-separated numbers (finite, of magnitude at most 1e12), such as 1,3")
        }
        return values.compactMap { $0 }
    }
}
