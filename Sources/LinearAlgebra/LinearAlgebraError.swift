/// Errors thrown by the linear-algebra module's C boundary (LAPACK).
public enum LinearAlgebraError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A LAPACK routine returned a non-zero `info`: negative means argument `-info` was illegal,
    /// positive means the algorithm failed to converge.
    case lapackFailure(routine: String, info: Int)

    public var description: String {
        switch self {
        case .lapackFailure(let routine, let info) where info < 0:
            return "LAPACK \(routine) rejected argument \(-info) (info = \(info))"
        case .lapackFailure(let routine, let info):
            return "LAPACK \(routine) did not converge (info = \(info))"
        }
    }
}
