import MLPCore

/// The optimisers' update kernels: one pass over the flat vectors, vectorised.
extension KernelTable {
    func sgd(parameters: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>,
             velocity: UnsafeMutablePointer<Float>, count: Int,
             learningRate: Float, momentum: Float, nesterov: Bool, gradientScale: Float) {
        let eta = learningRate * gradientScale, mu = momentum
        if nesterov {
            for k in 0..<count {
                let g = gradient[k]
                let v = mu * velocity[k] - eta * g
                velocity[k] = v
                parameters[k] += mu * v - eta * g
            }
        } else {
            for k in 0..<count {
                let v = mu * velocity[k] - eta * gradient[k]
                velocity[k] = v
                parameters[k] += v
            }
        }
    }

    func adam(parameters: UnsafeMutablePointer<Float>, gradient: UnsafePointer<Float>,
              firstMoment: UnsafeMutablePointer<Float>, secondMoment: UnsafeMutablePointer<Float>, count: Int,
              rate: Float, beta1: Float, beta2: Float, epsilon: Float, decay: Float, gradientScale: Float) {
        let c1 = 1 - beta1, c2 = 1 - beta2
        for k in 0..<count {
            let g = gradientScale * gradient[k]
            let m = beta1 * firstMoment[k] + c1 * g
            let v = beta2 * secondMoment[k] + c2 * (g * g)
            firstMoment[k] = m
            secondMoment[k] = v
            parameters[k] = parameters[k] * decay - rate * m / (FastMath.squareRoot(v) + epsilon)
        }
    }
}
