import LinearAlgebra
@testable import NeuralNetwork
import Testing
