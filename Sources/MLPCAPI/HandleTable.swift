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

/// The live handles given out to C, so that a NULL, freed, stale, foreign or wrong-kind handle
/// is reported as an error instead of being dereferenced.
///
/// The table is an array of slots; each slot holds an object and a generation that goes up when
/// the object is freed. A handle is not an address but a number that names a slot and a
/// generation:
///
/// ```
/// bits 63…48  0x6D6C ("ml"), so a handle is never NULL and never an address: on x86-64 the
///             value is non-canonical, on AArch64 bits 48…55 are not zero
/// bits 47…24  the slot index (at most 2²⁴ slots)
/// bits 23…0   the slot's generation, 1…2²⁴ − 1
/// ```
///
/// A freed handle keeps its old generation, so it stays invalid when its slot holds a newer
/// object. A slot whose generation would wrap is retired, never used again: the table never
/// returns the same value twice. C never dereferences a handle; only this table decodes it.
///
/// Every operation holds one lock. A lookup returns the object retained (a Swift reference), so a
/// concurrent free cannot pull it away mid-call; the object dies when the last call using it ends.
final class HandleTable: @unchecked Sendable {
    enum Kind: String { case matrix, model }

    static let shared = HandleTable()

    static let marker: UInt64 = 0x6D6C
    static let slotBits = 24
    static let generationBits = 24

    /// The largest number of slots (at most 2²⁴); `register` fails once all are live or retired.
    let slotLimit: Int
    /// The last generation of a slot (at most 2²⁴ − 1), after which it is retired.
    let lastGeneration: UInt32

    /// A table; the limits are lowered only by tests (to reach them quickly).
    init(slotLimit: Int = 1 << HandleTable.slotBits, lastGeneration: UInt32 = (1 << HandleTable.generationBits) - 1) {
        precondition(slotLimit > 0 && slotLimit <= 1 << HandleTable.slotBits, "at most 2^24 slots")
        precondition(lastGeneration > 0 && lastGeneration < 1 << HandleTable.generationBits, "at most 2^24 - 1 generations")
        self.slotLimit = slotLimit
        self.lastGeneration = lastGeneration
    }

    private struct Slot {
        var generation: UInt32
        var kind: Kind?
        var object: AnyObject?
    }

    /// What a handle value turned out to be.
    enum Lookup {
        case live(AnyObject, Kind)
        case freed
        case foreign
    }

    private let lock = NSLock()
    private var slots: [Slot] = []
    /// Indices of free slots, the most recently freed last.
    private var free: [Int] = []

    /// Retains `object` and returns its handle.
    /// - Throws: `MLP_ERROR_OUT_OF_MEMORY` when every slot is live or retired.
    func register(_ object: AnyObject, as kind: Kind) throws(CAPIError) -> OpaquePointer {
        let value: UInt64? = lock.withLock {
            let index: Int
            if let reused = free.popLast() {
                index = reused
            } else {
                guard slots.count < slotLimit else { return nil }
                slots.append(Slot(generation: 1))
                index = slots.count - 1
            }
            slots[index].kind = kind
            slots[index].object = object
            return HandleTable.encode(index: index, generation: slots[index].generation)
        }
        guard let value, let handle = OpaquePointer(bitPattern: UInt(value)) else {
            throw CAPIError(status: MLP_ERROR_OUT_OF_MEMORY,
                            message: "no handle left: all \(slotLimit) handles are live or retired; free some first")
        }
        return handle
    }

    /// The object behind `handle`, which must be a live handle of `kind`.
    func object<T: AnyObject>(_ handle: OpaquePointer?, as kind: Kind, type: T.Type, name: String) throws(CAPIError) -> T {
        guard let handle else { throw .nullArgument(name) }
        let found = lock.withLock { lookup(handle) }
        guard case .live(let object, let foundKind) = found, foundKind == kind, let typed = object as? T else {
            throw CAPIError.invalidHandle(name, kind: kind, found: found)
        }
        return typed
    }

    /// Forgets and releases `handle`; NULL is a no-op.
    func release(_ handle: OpaquePointer?, as kind: Kind, name: String) throws(CAPIError) {
        guard let handle else { return }
        // The object is released after the lock: a large matrix is not freed while others wait.
        var removed: AnyObject?
        let found: Lookup = lock.withLock {
            let found = lookup(handle)
            guard case .live(_, let foundKind) = found, foundKind == kind,
                  let (index, _) = HandleTable.decode(handle) else { return found }
            removed = slots[index].object
            slots[index].object = nil
            slots[index].kind = nil
            if slots[index].generation < lastGeneration {
                slots[index].generation += 1
                free.append(index)
            }
            return found
        }
        guard removed != nil else { throw CAPIError.invalidHandle(name, kind: kind, found: found) }
        removed = nil
    }

    /// The number of live handles of `kind` (for tests).
    func count(of kind: Kind) -> Int {
        lock.withLock { slots.lazy.filter { $0.kind == kind }.count }
    }

    /// What `handle` names; the lock must be held.
    private func lookup(_ handle: OpaquePointer) -> Lookup {
        guard let (index, generation) = HandleTable.decode(handle), index < slots.count else { return .foreign }
        let slot = slots[index]
        if slot.generation == generation, let object = slot.object, let kind = slot.kind { return .live(object, kind) }
        // A generation this slot has had: the handle was freed. A later one was never given out.
        return generation < slot.generation || (generation == slot.generation && slot.object == nil) ? .freed : .foreign
    }

    static func encode(index: Int, generation: UInt32) -> UInt64 {
        marker << 48 | UInt64(index) << generationBits | UInt64(generation)
    }

    /// The slot index and generation of a handle value, or nil when it is not one of ours.
    static func decode(_ handle: OpaquePointer) -> (index: Int, generation: UInt32)? {
        let value = UInt64(UInt(bitPattern: handle))
        guard value >> 48 == marker else { return nil }
        let generation = UInt32(value & (1 << generationBits - 1))
        guard generation > 0 else { return nil }
        return (Int((value >> generationBits) & (1 << slotBits - 1)), generation)
    }
}

extension CAPIError {
    static func invalidHandle(_ name: String, kind: HandleTable.Kind, found: HandleTable.Lookup) -> CAPIError {
        let what: String
        switch found {
        case .live(_, let other): what = "a \(other.rawValue) handle"
        case .freed: what = "not a live handle (already freed)"
        case .foreign: what = "not a live handle (not made by this library)"
        }
        return CAPIError(status: MLP_ERROR_INVALID_HANDLE, message: "\(name) is \(what), expected an mlp_\(kind.rawValue)")
    }
}
