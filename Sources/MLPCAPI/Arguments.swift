import CMLP
import MLPCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks on the arguments of the C calls, done before any value reaches a Swift precondition.
enum Arguments {
    /// The largest element count of one buffer or matrix: 2³¹ floats (8 GiB).
    static let maximumElementCount = 1 << 31
    /// The largest row or column count of a matrix: BLAS's `int`.
    static let maximumDimension = Int(Int32.max)

    /// A `size_t` argument (imported as `Int`) as a count; values above `Int.max` arrive negative.
    static func count(_ value: Int, _ name: String) throws(CAPIError) -> Int {
        guard value >= 0 else {
            throw .invalidArgument("\(name) = \(UInt(bitPattern: value)) is too large")
        }
        return value
    }

    /// `rows × cols`, failing when either exceeds ``maximumDimension`` or the product overflows or
    /// exceeds ``maximumElementCount``.
    static func elementCount(rows: Int, cols: Int, _ what: String) throws(CAPIError) -> Int {
        let rows = try count(rows, "rows")
        let cols = try count(cols, "cols")
        let (product, overflow) = rows.multipliedReportingOverflow(by: cols)
        guard !overflow, product <= maximumElementCount, rows <= maximumDimension, cols <= maximumDimension else {
            throw CAPIError(status: MLP_ERROR_OUT_OF_MEMORY,
                            message: "\(what) of \(rows) × \(cols) elements is too large (at most \(maximumElementCount) elements, \(maximumDimension) rows or columns)")
        }
        return product
    }

    /// A pointer that may be NULL only when the buffer is empty.
    static func buffer<T>(_ pointer: UnsafePointer<T>?, count: Int, _ name: String) throws(CAPIError) -> UnsafeBufferPointer<T> {
        guard let pointer else {
            if count == 0 { return UnsafeBufferPointer(start: nil, count: 0) }
            throw .nullArgument(name)
        }
        return UnsafeBufferPointer(start: pointer, count: count)
    }

    /// An output pointer that may be NULL only when the buffer is empty.
    static func outputBuffer<T>(_ pointer: UnsafeMutablePointer<T>?, count: Int, _ name: String) throws(CAPIError) -> UnsafeMutableBufferPointer<T> {
        guard let pointer else {
            if count == 0 { return UnsafeMutableBufferPointer(start: nil, count: 0) }
            throw .nullArgument(name)
        }
        return UnsafeMutableBufferPointer(start: pointer, count: count)
    }

    /// Checks that a caller's buffer length is exactly the one needed.
    static func length(_ given: Int, expected: Int, _ name: String, _ explanation: String) throws(CAPIError) {
        guard given == expected else {
            throw .shape("\(name) is \(UInt(bitPattern: given)), expected \(expected) (\(explanation))")
        }
    }

    /// Fails on the first NaN or infinite value of `values`.
    static func finite(_ values: UnsafeBufferPointer<Float>, columns: Int, _ name: String) throws(CAPIError) {
        if let index = values.firstIndex(where: { !$0.isFinite }) {
            throw .invalidArgument("\(element(name, index, columns)) is \(values[index]), not a finite number")
        }
    }

    /// Fails on the first raw value of `values` (rows of `columns`) that is NaN or infinite, or
    /// whose feature (`raw × scale + offset`, the column's own for a per-feature scaling)
    /// overflows to infinity.
    static func finiteFeatures(
        _ values: UnsafeBufferPointer<Float>, columns: Int, scaling: InputScaling, _ name: String
    ) throws(CAPIError) {
        precondition(scaling.fits(featureCount: columns), "a scaling of \(scaling.featureCount ?? 0) features for \(columns) columns")
        var index = 0
        var column = 0
        while index < values.count {
            if !scaling.feature(values[index], column: column).isFinite { break }
            index &+= 1
            column &+= 1
            if column == columns { column = 0 }
        }
        guard index < values.count else { return }
        let value = values[index]
        guard value.isFinite else { throw .invalidArgument("\(element(name, index, columns)) is \(value), not a finite number") }
        let map = scaling.isUniform ? scaling.description
            : "x * \(scaling.featureScales?[column] ?? 1) + \(scaling.featureOffsets?[column] ?? 0)"
        throw .invalidArgument(
            "\(element(name, index, columns)) is \(value), and its feature \(map) is \(scaling.feature(value, column: column)), not a finite number")
    }

    /// `count` floats of a buffer that must all be finite (targets, say), checked: fails naming
    /// the first NaN or infinity as row and column of `columns` per row.
    static func finiteBuffer(
        _ pointer: UnsafePointer<Float>?, rows: Int, columns: Int, _ name: String
    ) throws(CAPIError) -> UnsafeBufferPointer<Float> {
        let count = try elementCount(rows: rows, cols: columns, "the \(name) matrix")
        let buffer = try buffer(pointer, count: count, name)
        try finite(buffer, columns: columns, name)
        return buffer
    }

    /// "x[7] (row 1, column 2)".
    private static func element(_ name: String, _ index: Int, _ columns: Int) -> String {
        let (row, column) = columns > 0 ? index.quotientAndRemainder(dividingBy: columns) : (index, 0)
        return "\(name)[\(index)] (row \(row), column \(column))"
    }

    /// A C string argument as a Swift string. It must be valid UTF-8: a path with other bytes
    /// would name another file once decoded. An error message that quotes it shows an escaped,
    /// shortened excerpt (see ``LastError``).
    static func string(_ pointer: UnsafePointer<CChar>?, _ name: String) throws(CAPIError) -> String {
        guard let pointer else { throw .nullArgument(name) }
        guard let string = String(validatingCString: pointer) else {
            let bytes = UnsafeRawBufferPointer(start: pointer, count: strlen(pointer))
            throw .invalidArgument("\(name) is not valid UTF-8: '\(ErrorText.excerpt(Array(bytes)))'")
        }
        LastError.quotedInputs?.record(string)
        return string
    }
}
