#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The per-thread message behind `mlp_last_error()`: a `malloc`ed C string kept in a pthread
/// key, freed when it is replaced or when its thread exits.
///
/// A message is made safe to print as it is set (``ErrorText/sanitized(_:quoting:)``): the string
/// arguments of the call (recorded by ``Arguments/string(_:_:)`` in ``quotedInputs``) appear as
/// escaped, shortened excerpts, and no control character reaches the caller's terminal.
enum LastError {
    /// The string arguments of the running call that need an excerpt, bound by ``exported(_:_:)``.
    @TaskLocal static var quotedInputs: QuotedInputs?

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { pointer in free(pointer) }
        precondition(status == 0, "pthread_key_create failed with \(status)")
        return key
    }()

    /// Replaces the calling thread's message, sanitized.
    static func set(_ message: String) {
        replace(with: strdup(ErrorText.sanitized(message, quoting: quotedInputs?.strings ?? [])))
    }

    /// Clears the calling thread's message (it reads as "").
    static func clear() {
        if pthread_getspecific(key) != nil { replace(with: nil) }
    }

    /// The calling thread's message; "" when there is none. Valid until the next call on this thread.
    static var current: UnsafePointer<CChar> {
        guard let pointer = pthread_getspecific(key) else { return StaticCString.empty }
        return UnsafePointer(pointer.assumingMemoryBound(to: CChar.self))
    }

    private static func replace(with newValue: UnsafeMutablePointer<CChar>?) {
        let old = pthread_getspecific(key)
        pthread_setspecific(key, newValue)
        free(old)
    }
}

/// The string arguments of one call that a message must not show as they are (see
/// ``ErrorText/needsExcerpt(_:)``). Used by the one thread that runs the call.
final class QuotedInputs: @unchecked Sendable {
    private(set) var strings: [String] = []

    func record(_ string: String) {
        if ErrorText.needsExcerpt(string) { strings.append(string) }
    }
}

/// Static, NUL-terminated C strings (string literals live for the whole program).
enum StaticCString {
    static func pointer(_ string: StaticString) -> UnsafePointer<CChar> {
        UnsafeRawPointer(string.utf8Start).assumingMemoryBound(to: CChar.self)
    }

    static var empty: UnsafePointer<CChar> { pointer("") }
}
