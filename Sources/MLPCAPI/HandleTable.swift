import CMLP
import Foundation
import LinearAlgebra

/// The object behind an `mlp_matrix *`: a ``Matrix`` that the C calls read and overwrite.
///
/// Not thread-safe for writes, as the header says: a matrix must not be written while another
/// thread uses it.
final class MatrixHandle: @unchecked Sendable {
    var matrix: Matrix
    init(_ matrix: Matrix) { self.matrix = matrix }
}

/// The live handles given out to C, so that a NULL, freed or foreign pointer is reported as an
/// error instead of being dereferenced.
///
/// A handle is the address of a retained Swift object (`Unmanaged.passRetained`). The table maps
/// each live address to its kind; lookups retain the object while the lock is held, so a
/// concurrent free cannot pull it away mid-call.
final class HandleTable: @unchecked Sendable {
    enum Kind: String { case matrix, model }

    static let shared = HandleTable()

    private let lock = NSLock()
    private var live: [UInt: Kind] = [:]

    /// Retains `object` and returns its handle.
    func register(_ object: AnyObject, as kind: Kind) -> OpaquePointer {
        let address = Unmanaged.passRetained(object).toOpaque()
        lock.withLock { live[UInt(bitPattern: address)] = kind }
        return OpaquePointer(address)
    }

    /// The object behind `handle`, which must be a live handle of `kind`.
    func object<T: AnyObject>(_ handle: OpaquePointer?, as kind: Kind, type: T.Type, name: String) throws(CAPIError) -> T {
        guard let handle else { throw .nullArgument(name) }
        let address = UInt(bitPattern: UnsafeRawPointer(handle))
        let object: T? = lock.withLock {
            guard live[address] == kind else { return nil }
            return Unmanaged<T>.fromOpaque(UnsafeRawPointer(handle)).takeUnretainedValue()
        }
        guard let object else { throw CAPIError.invalidHandle(name, kind: kind, found: kindOf(address)) }
        return object
    }

    /// Forgets and releases `handle`; NULL is a no-op.
    func release<T: AnyObject>(_ handle: OpaquePointer?, as kind: Kind, type: T.Type, name: String) throws(CAPIError) {
        guard let handle else { return }
        let address = UInt(bitPattern: UnsafeRawPointer(handle))
        let removed: Bool = lock.withLock {
            guard live[address] == kind else { return false }
            live[address] = nil
            return true
        }
        guard removed else { throw CAPIError.invalidHandle(name, kind: kind, found: kindOf(address)) }
        Unmanaged<T>.fromOpaque(UnsafeRawPointer(handle)).release()
    }

    /// The number of live handles of `kind` (for tests).
    func count(of kind: Kind) -> Int {
        lock.withLock { live.values.filter { $0 == kind }.count }
    }

    private func kindOf(_ address: UInt) -> Kind? {
        lock.withLock { live[address] }
    }
}

extension CAPIError {
    static func invalidHandle(_ name: String, kind: HandleTable.Kind, found: HandleTable.Kind?) -> CAPIError {
        let what = found.map { "a \($0.rawValue) handle" } ?? "not a live handle (already freed, or not made by this library)"
        return CAPIError(status: MLP_ERROR_INVALID_HANDLE, message: "\(name) is \(what), expected an mlp_\(kind.rawValue)")
    }
}
