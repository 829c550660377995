#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The per-thread message behind `mlp_last_error()`: a `malloc`ed C string kept in a pthread
/// key, freed when it is replaced or when its thread exits.
enum LastError {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { pointer in free(pointer) }
        precondition(status == 0, "pthread_key_create failed with \(status)")
        return key
    }()

    /// Replaces the calling thread's message.
    static func set(_ message: String) {
        replace(with: strdup(message))
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

/// Static, NUL-terminated C strings (string literals live for the whole program).
enum StaticCString {
    static func pointer(_ string: StaticString) -> UnsafePointer<CChar> {
        UnsafeRawPointer(string.utf8Start).assumingMemoryBound(to: CChar.self)
    }

    static var empty: UnsafePointer<CChar> { pointer("") }
}
