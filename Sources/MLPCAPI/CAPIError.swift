import CMLP

/// A failed C call: the status it returns and the one-line message `mlp_last_error()` shows.
struct CAPIError: Error {
    /// The code returned to C.
    let status: mlp_status
    /// The message, without a trailing newline.
    let message: String

    static func nullArgument(_ name: String) -> CAPIError {
        CAPIError(status: MLP_ERROR_NULL_ARGUMENT, message: "\(name) is NULL")
    }

    static func shape(_ message: String) -> CAPIError {
        CAPIError(status: MLP_ERROR_SHAPE, message: message)
    }

    static func invalidArgument(_ message: String) -> CAPIError {
        CAPIError(status: MLP_ERROR_INVALID_ARGUMENT, message: message)
    }
}

/// Runs the body of one exported function: a thrown ``CAPIError`` becomes its status and the
/// thread's last-error message (quoting the call's string arguments as excerpts); success clears
/// the message.
func exported(_ function: String, _ body: () throws(CAPIError) -> Void) -> mlp_status {
    LastError.$quotedInputs.withValue(QuotedInputs()) {
        do throws(CAPIError) {
            try body()
            LastError.clear()
            return MLP_OK
        } catch {
            LastError.set("\(function): \(error.message)")
            return error.status
        }
    }
}
