import CMLP
import LinearAlgebra
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// The library-wide functions of mlp.h. The Swift names are internal details: C code calls the
// @_cdecl names, and Swift code should use the LinearAlgebra and NeuralNetwork modules.

/// "MAJOR.MINOR.PATCH", made once from mlp.h's `MLP_API_VERSION_*` macros so that the header and
/// the library cannot disagree; never freed.
private nonisolated(unsafe) let versionString: UnsafePointer<CChar> =
    UnsafePointer(strdup("\(MLP_API_VERSION_MAJOR).\(MLP_API_VERSION_MINOR).\(MLP_API_VERSION_PATCH)")!)

/// `const char *mlp_version(void)`.
@_cdecl("mlp_version")
public func mlpVersion() -> UnsafePointer<CChar> {
    versionString
}

/// `const char *mlp_kernel_path(void)`.
@_cdecl("mlp_kernel_path")
public func mlpKernelPath() -> UnsafePointer<CChar> {
    switch Kernels.activePath {
    case .baseline: return StaticCString.pointer("baseline")
    case .avx2: return StaticCString.pointer("avx2")
    case .avx512: return StaticCString.pointer("avx512")
    }
}

/// `const char *mlp_status_name(mlp_status status)`.
@_cdecl("mlp_status_name")
public func mlpStatusName(_ status: mlp_status) -> UnsafePointer<CChar> {
    switch status {
    case MLP_OK: return StaticCString.pointer("MLP_OK")
    case MLP_ERROR_NULL_ARGUMENT: return StaticCString.pointer("MLP_ERROR_NULL_ARGUMENT")
    case MLP_ERROR_INVALID_HANDLE: return StaticCString.pointer("MLP_ERROR_INVALID_HANDLE")
    case MLP_ERROR_SHAPE: return StaticCString.pointer("MLP_ERROR_SHAPE")
    case MLP_ERROR_IO: return StaticCString.pointer("MLP_ERROR_IO")
    case MLP_ERROR_FORMAT: return StaticCString.pointer("MLP_ERROR_FORMAT")
    case MLP_ERROR_INVALID_ARGUMENT: return StaticCString.pointer("MLP_ERROR_INVALID_ARGUMENT")
    case MLP_ERROR_TRAINING: return StaticCString.pointer("MLP_ERROR_TRAINING")
    case MLP_ERROR_OUT_OF_MEMORY: return StaticCString.pointer("MLP_ERROR_OUT_OF_MEMORY")
    default: return StaticCString.pointer("MLP_UNKNOWN_STATUS")
    }
}

/// `const char *mlp_last_error(void)`.
@_cdecl("mlp_last_error")
public func mlpLastError() -> UnsafePointer<CChar> {
    LastError.current
}
