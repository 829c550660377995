import ArgumentParser
import NeuralNetwork

/// `mlp bench train --input-kernel`: one of the library's input kernels, or `both` (auto, then dense).
enum BenchInputKernel: Hashable, ExpressibleByArgument {
    case kernel(InputKernel)
    case both

    init?(argument: String) {
        if argument.lowercased() == "both" {
            self = .both
        } else if let kernel = InputKernel(argument: argument) {
            self = .kernel(kernel)
        } else {
            return nil
        }
    }

    static var allValueStrings: [String] { InputKernel.allValueStrings + ["both"] }

    var defaultValueDescription: String {
        switch self {
        case .kernel(let kernel): return kernel.rawValue
        case .both: return "both"
        }
    }

    /// The kernels to time, in order.
    var kernels: [InputKernel] {
        switch self {
        case .kernel(let kernel): return [kernel]
        case .both: return [.automatic, .dense]
        }
    }
}
