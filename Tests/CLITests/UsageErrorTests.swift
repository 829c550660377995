import Foundation
import Testing

/// A command line that is a usage error, and what its one error line must mention.
struct UsageCase: Sendable, CustomTestStringConvertible {
    var arguments: [String]
    var fragments: [String]

    init(_ arguments: [String], _ fragments: String...) {
        self.init(arguments, fragments)
    }

    init(_ arguments: [String], _ fragments: [String]) {
        self.arguments = arguments
        self.fragments = fragments
    }

    var testDescription: String { "mlp " + arguments.joined(separator: " ") }
}

/// Every bad option value, and every missing or conflicting option, is a usage error: exit 64 and
/// one line that names the option's valid choices or range. None of these reaches the data.
@Suite("mlp: usage errors exit 64 with one line naming what is valid")
struct UsageErrorTests {
    static let activations = ["sigmoid", "logistic", "tanh", "relu", "leaky-relu", "identity"]
    static let initializations = ["zero", "uniform", "normal", "xavier-uniform", "xavier-normal", "he-uniform", "he-normal", "sklearn"]
    static let datasets = ["'mnist'", "'fashion-mnist'"]
    static let seed = "non-negative integer"

    static func expectUsageError(_ usage: UsageCase, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let outcome = try CommandLine.run(usage.arguments)
        for fragment in usage.fragments {
            BadInputTests.expectOneLineError(outcome, mentioning: fragment, status: BadInputTests.usageErrorStatus,
                                             sourceLocation: sourceLocation)
        }
    }

    @Test("a bad enumerated value lists every valid choice", arguments: [
        UsageCase(["train", "--activation", "relux"], activations),
        UsageCase(["train", "--init", "kaiming-fancy"], initializations),
        UsageCase(["train", "--initialization", "ones"], initializations),
        UsageCase(["train", "--optimizer", "foo"], "--optimizer", "'sgd'", "'adam'"),
        UsageCase(["train", "--schedule", "cyclic"], "--schedule", "'constant'", "'invscaling'", "'adaptive'", "'cosine'", "'step'"),
        UsageCase(["train", "--parallelism", "gpu"], "--parallelism", "'data-parallel'", "'blas'"),
        UsageCase(["train", "--input-kernel", "both"], "--input-kernel", "'auto'", "'dense'", "'sparse'"),
        UsageCase(["train", "--dataset", "cifar"], datasets),
        UsageCase(["evaluate", "--model", "m.safetensors", "--dataset", "cifar"], datasets),
        UsageCase(["bench", "train", "--input-kernel", "fancy"], "--input-kernel", "'auto'", "'dense'", "'sparse'", "'both'"),
        UsageCase(["bench", "autoencoder", "--input-kernel", "both"], "--input-kernel", "'auto'", "'dense'", "'sparse'"),
        UsageCase(["data", "info", "--dataset", "cifar"], datasets),
        UsageCase(["data", "fetch", "cifar"], datasets),
        UsageCase(["visualize", "--dataset", "cifar"], datasets),
        UsageCase(["scratch", "--activations", "relu,softsign"], ["--activations", "softsign"] + activations),
    ])
    func badEnumeratedValue(_ usage: UsageCase) throws {
        try Self.expectUsageError(usage)
    }

    @Test("a bad number says what is valid", arguments: [
        // mlp train
        UsageCase(["train", "--seed", "-1"], "--seed", seed),
        UsageCase(["train", "--seed=-1"], "--seed", seed),
        UsageCase(["train", "--seed", "1.5"], "--seed", seed),
        UsageCase(["train", "--epochs", "0"], "--epochs must be at least 1"),
        UsageCase(["train", "--epochs", "-2"], "--epochs must be at least 1"),
        UsageCase(["train", "--batch-size", "0"], "--batch-size must be at least 1"),
        UsageCase(["train", "--learning-rate=-1"], "--learning-rate must be positive"),
        UsageCase(["train", "--learning-rate", "-1"], "--learning-rate must be positive"),
        UsageCase(["train", "--learning-rate", "inf"], "--learning-rate must be positive and finite"),
        UsageCase(["train", "--threads", "-1"], "--threads must lie in 0...1024"),
        UsageCase(["train", "--threads", "5000"], "--threads must lie in 0...1024"),
        UsageCase(["train", "--limit", "1"], "--limit must be at least 2"),
        UsageCase(["train", "--validation-fraction", "1.5"], "--validation-fraction must lie in (0, 1)"),
        UsageCase(["train", "--patience", "0"], "--patience must be at least 1"),
        UsageCase(["train", "--tolerance", "-1"], "--tolerance must be at least 0"),
        UsageCase(["train", "--tolerance", "nan"], "--tolerance must be at least 0"),
        UsageCase(["train", "--momentum", "1"], "--momentum must lie in [0, 1)"),
        UsageCase(["train", "--l2", "-0.5"], "--l2 must be at least 0"),
        UsageCase(["train", "--clip-norm", "0"], "--clip-norm must be positive"),
        UsageCase(["train", "--init-scale", "-1"], "--init-scale must be positive"),
        UsageCase(["train", "--hidden", "-3"], "--hidden must be positive integers"),
        UsageCase(["train", "--hidden", "64,0"], "--hidden must be positive integers"),
        UsageCase(["train", "--activation", "leaky-relu", "--leaky-slope", "-0.1"], "--leaky-slope must be finite and at least 0"),
        UsageCase(["train", "--epochs", "ten"], "--epochs", "ten"),
        // mlp bench
        UsageCase(["bench", "train", "--threads", "-1"], "--threads must lie in 0...1024"),
        UsageCase(["bench", "train", "--epochs", "0"], "--epochs must be at least 1"),
        UsageCase(["bench", "train", "--batch-size", "0"], "--batch-size must be at least 1"),
        UsageCase(["bench", "train", "--samples", "1"], "--samples must be at least 2"),
        UsageCase(["bench", "autoencoder", "--threads", "2000"], "--threads must lie in 0...1024"),
        UsageCase(["bench", "autoencoder", "--epochs", "-1"], "--epochs must be at least 1"),
        UsageCase(["bench", "autoencoder", "--batch-size", "0"], "--batch-size must be at least 1"),
        UsageCase(["bench", "autoencoder", "--samples", "0"], "--samples must be at least 2"),
        UsageCase(["bench", "gemm", "--seconds", "0"], "--seconds must be a positive number"),
        UsageCase(["bench", "gemm", "--seconds", "-1"], "--seconds must be a positive number"),
        // mlp data fetch
        UsageCase(["data", "fetch", "mnist", "--timeout", "0"], "--timeout must be a positive number"),
        UsageCase(["data", "fetch", "mnist", "--timeout", "-5"], "--timeout must be a positive number"),
        // The experiments
        UsageCase(["activations", "--epochs", "0"], "--epochs must be at least 1"),
        UsageCase(["autoencoder", "--epochs", "-1"], "--epochs must be at least 1"),
        UsageCase(["autoencoder", "--learning-rate", "-1"], "--learning-rate must be positive"),
        UsageCase(["autoencoder", "--batch-size", "0"], "--batch-size must be at least 1"),
        UsageCase(["autoencoder", "--patience", "-1"], "--patience must be at least 0"),
        UsageCase(["grid-search", "--workers", "0"], "--workers must be at least 1"),
        UsageCase(["grid-search", "--folds", "1"], "--folds must be at least 2"),
        UsageCase(["grid-search", "--epochs", "0"], "--epochs must be at least 1"),
        UsageCase(["scratch", "--init-scale", "0"], "--init-scale must be positive"),
        UsageCase(["scratch", "--epochs", "-4"], "--epochs must be at least 1"),
        UsageCase(["theory", "--bias", "nan"], "--bias must be a finite number"),
        UsageCase(["theory", "--weights", "0,0"], "--weights must not be all zero"),
        UsageCase(["theory", "--weights", "1,x"], "--weights", "comma-separated numbers"),
        UsageCase(["theory", "--point", "1,0:2"], "--point", "+1 or -1"),
        UsageCase(["theory", "--query", "1,2,3"], "same number of coordinates"),
    ])
    func badNumber(_ usage: UsageCase) throws {
        try Self.expectUsageError(usage)
    }

    @Test("every experiment command rejects a negative seed and a thread count out of range",
          arguments: ["theory", "scratch", "visualize", "activations", "grid-search", "autoencoder", "features", "reproduce"])
    func experimentOptions(_ command: String) throws {
        try Self.expectUsageError(UsageCase([command, "--seed", "-1"], "--seed", Self.seed))
        try Self.expectUsageError(UsageCase([command, "--threads", "-1"], "--threads must lie in 0...1024"))
        try Self.expectUsageError(UsageCase([command, "--threads", "1025"], "--threads must lie in 0...1024"))
    }

    @Test("options that need or exclude each other", arguments: [
        UsageCase(["train", "--csv", "train.csv"], "--test-csv"),
        UsageCase(["evaluate", "--model", "m.safetensors", "--targets", "y.npy"], "--targets needs --features"),
        UsageCase(["train", "--csv", "a.csv", "--test-csv", "b.csv", "--data-dir", "d"], "--csv and --data-dir"),
        UsageCase(["data", "info", "--test-csv", "b.csv"], "--test-csv needs --csv"),
        UsageCase(["train", "--leaky-slope", "0.2"], "--leaky-slope needs --activation leaky-relu"),
        UsageCase(["train", "--activation", "leaky-relu(0.2)", "--leaky-slope", "0.3"], "--leaky-slope", "give the slope once"),
        UsageCase(["predict", "--model", "m.safetensors"], "--idx", "--csv"),
        UsageCase(["predict", "--model", "m.safetensors", "--idx", "a", "--csv", "b"], "exactly one input"),
        UsageCase(["train", "--bogus"], "--bogus"),
    ])
    func conflictingOptions(_ usage: UsageCase) throws {
        try Self.expectUsageError(usage)
    }

    @Test("--help lists the choices and defaults of every enumerated option")
    func helpListsChoices() throws {
        func help(_ arguments: [String]) throws -> String {
            let outcome = try CommandLine.run(arguments + ["--help"])
            #expect(outcome.status == 0, "\(outcome.standardError)")
            // Unwrapped: ArgumentParser breaks long help lines at spaces.
            return outcome.standardOutput.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        // `mlp train`'s run-changing options have no parser default (a resumed run takes the
        // checkpoint's), so each help text states its default before the parser's list of values.
        let train = try help(["train"]).replacingOccurrences(of: "\n", with: " ")
            .replacingOccurrences(of: " +", with: " ", options: .regularExpression)
        for expected in [
            "(default: relu) (values: sigmoid, logistic, tanh, relu, leaky-relu, identity)",
            "(default: he-normal) (values: zero, uniform, normal, xavier-uniform, xavier-normal, he-uniform, he-normal, sklearn)",
            "(default: adam) (values: sgd, adam, adamw)",
            "(default: constant) (values: constant, invscaling, adaptive, cosine, step)",
            "(default: data-parallel) (values: data-parallel, blas)",
            "(default: auto) (values: auto, dense, sparse)",
            "(values: mnist, fashion-mnist)",
            "--tolerance", "(default: 0.0001)",
        ] {
            #expect(train.contains(expected), "mlp train --help lacks \(expected)")
        }
        #expect(try help(["bench", "train"]).contains("(values: auto, dense, sparse, both; default: both)"))
        #expect(try help(["bench", "autoencoder"]).contains("(values: auto, dense, sparse; default: auto)"))
        #expect(try help(["data", "fetch"]).contains("(values: mnist, fashion-mnist)"))
        #expect(try help(["visualize"]).contains("(values: mnist, fashion-mnist; default: fashion-mnist)"))
    }
}
