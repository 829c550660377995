#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CMLP
import Foundation
import NeuralNetwork

/// The check made before the C layer allocates anything sized from a caller's counts (a matrix,
/// a scaled copy of the inputs, the labels, a result buffer): what will not fit in the memory this
/// process may use (``MemoryBudget/availableBytes()``: `MemAvailable` and `ulimit -v`) is
/// refused with `MLP_ERROR_OUT_OF_MEMORY` and a message naming its size, instead of aborting the
/// host process in the allocator.
enum Allocation {
    /// Allocations below this size are not checked: reading the limits costs more than they do.
    static let uncheckedBytes = 16 << 20

    /// Throws `MLP_ERROR_OUT_OF_MEMORY` when `bytes` (nil: more than can be counted) will not fit.
    static func check(_ bytes: Int?, for what: String) throws(CAPIError) {
        if let bytes, bytes < uncheckedBytes { return }
        do throws(NeuralNetworkError) {
            try MemoryBudget.check(bytes, for: what)
        } catch {
            throw CAPIError(error)
        }
    }

    /// Throws `MLP_ERROR_OUT_OF_MEMORY` when `bytes` of address space (nil: more than can be
    /// counted) will not fit under the address-space limit (`ulimit -v`) beside what is already
    /// mapped. Only that limit is checked: reserved address space (thread stacks, malloc arenas)
    /// is not memory in use, but a limited process cannot map it, and a thread that cannot be
    /// created stalls the training run that waits for it.
    static func checkAddressSpace(_ bytes: Int?, for what: String) throws(CAPIError) {
        var limit = rlimit()
        #if canImport(Glibc)
        let status = getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit)
        #else
        let status = getrlimit(RLIMIT_AS, &limit)
        #endif
        guard status == 0, limit.rlim_cur < rlim_t(Int.max) else { return }
        var mapped = 0
        if let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmSize:") }),
           let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) {
            mapped = kilobytes * 1024
        }
        let available = Swift.max(0, Int(limit.rlim_cur) - mapped)
        guard let bytes else {
            throw CAPIError(status: MLP_ERROR_OUT_OF_MEMORY, message: "not enough memory: \(what) needs more address space than can be counted")
        }
        guard bytes > available else { return }
        throw CAPIError(status: MLP_ERROR_OUT_OF_MEMORY, message:
            "not enough memory: \(what) needs about \(MemoryBudget.describe(bytes)) of address space, and the address-space limit (ulimit -v) leaves about \(MemoryBudget.describe(available))")
    }

    /// The address space `threads` new threads reserve (glibc): each its stack (`ulimit -s`,
    /// 8 MiB when unlimited) and about 4 MiB more (measured: guard pages, thread-local and BLAS
    /// buffers), and the first 8 per core a malloc arena of 64 MiB.
    static func threadReservation(threads: Int) -> Int? {
        var limit = rlimit()
        #if canImport(Glibc)
        let status = getrlimit(__rlimit_resource_t(RLIMIT_STACK.rawValue), &limit)
        #else
        let status = getrlimit(RLIMIT_STACK, &limit)
        #endif
        let stack = status == 0 && limit.rlim_cur < rlim_t(Int.max) ? Int(limit.rlim_cur) : 8 << 20
        let arenas = Swift.min(threads, 8 * ProcessInfo.processInfo.activeProcessorCount)
        return sum(bytes(UInt8.self, count: threads, stack + (4 << 20)), bytes(UInt8.self, count: arenas, 64 << 20))
    }

    /// The bytes of `factors[0] × factors[1] × …` values of `type`; nil when the product overflows.
    static func bytes<T>(_ type: T.Type, count factors: Int...) -> Int? {
        var product = MemoryLayout<T>.stride
        for factor in factors {
            let (next, overflow) = product.multipliedReportingOverflow(by: factor)
            if overflow { return nil }
            product = next
        }
        return product
    }

    /// The sum of `parts`; nil when one is nil or the sum overflows.
    static func sum(_ parts: Int?...) -> Int? {
        var total = 0
        for part in parts {
            guard let part else { return nil }
            let (sum, overflow) = total.addingReportingOverflow(part)
            if overflow { return nil }
            total = sum
        }
        return total
    }
}
