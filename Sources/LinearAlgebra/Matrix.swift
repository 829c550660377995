import MLPCore
/// A dense, row-major matrix of `Float`: `rows × columns` elements stored contiguously, row after row.
///
/// `Matrix` is a value type with copy-on-write storage. Methods whose names end in `into:` or that are
/// `mutating` write into existing storage and allocate nothing when the matrix is uniquely referenced.
/// A shape mismatch is a programmer's error and stops with a precondition naming both shapes.
public struct Matrix: Sendable, Equatable {
    /// The number of rows.
    public private(set) var rows: Int
    /// The number of columns.
    public private(set) var columns: Int
    /// The elements, row-major: element (i, j) is at `i * columns + j`.
    public internal(set) var elements: [Float]

    /// A matrix with every element set to `value`.
    public init(rows: Int, columns: Int, repeating value: Float = 0) {
        precondition(rows >= 0 && columns >= 0, "a matrix cannot have negative shape \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self.elements = [Float](repeating: value, count: rows * columns)
    }

    /// A matrix over the given row-major elements.
    public init(rows: Int, columns: Int, elements: [Float]) {
        precondition(rows >= 0 && columns >= 0, "a matrix cannot have negative shape \(rows)×\(columns)")
        precondition(
            elements.count == rows * columns,
            "\(elements.count) elements cannot fill a \(rows)×\(columns) matrix")
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    /// A matrix from nested rows, all of the same length.
    public init(_ nestedRows: [[Float]]) {
        let columns = nestedRows.first?.count ?? 0
        for (index, row) in nestedRows.enumerated() {
            precondition(row.count == columns, "row \(index) has \(row.count) elements, expected \(columns)")
        }
        self.init(rows: nestedRows.count, columns: columns, elements: nestedRows.flatMap { $0 })
    }

    /// A matrix whose element (i, j) is `value(i, j)`.
    public init(rows: Int, columns: Int, value: (Int, Int) -> Float) {
        var elements = [Float]()
        elements.reserveCapacity(rows * columns)
        for row in 0..<rows {
            for column in 0..<columns { elements.append(value(row, column)) }
        }
        self.init(rows: rows, columns: columns, elements: elements)
    }

    /// The identity matrix of size `size × size`.
    public static func identity(_ size: Int) -> Matrix {
        Matrix(rows: size, columns: size) { $0 == $1 ? 1 : 0 }
    }

    /// A matrix of independent draws, uniform in `range`, from `generator`.
    public static func random(
        rows: Int, columns: Int, in range: ClosedRange<Float> = -1...1,
        using generator: inout some RandomNumberGenerator
    ) -> Matrix {
        var matrix = Matrix(rows: rows, columns: columns)
        let width = range.upperBound - range.lowerBound
        for index in 0..<matrix.elements.count {
            matrix.elements[index] = range.lowerBound + width * generator.nextUnitFloat()
        }
        return matrix
    }

    /// The number of elements, `rows * columns`.
    @inlinable public var count: Int { rows &* columns }

    /// The shape written as `rows×columns`, as used in error messages.
    public var shapeDescription: String { "\(rows)×\(columns)" }

    /// Element (row, column).
    public subscript(row: Int, column: Int) -> Float {
        get {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns,
                         "index (\(row), \(column)) is outside a \(shapeDescription) matrix")
            return elements[row * columns + column]
        }
        set {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns,
                         "index (\(row), \(column)) is outside a \(shapeDescription) matrix")
            elements[row * columns + column] = newValue
        }
    }

    /// Row `index` as an array.
    public func row(_ index: Int) -> [Float] {
        precondition(index >= 0 && index < rows, "row \(index) is outside a \(shapeDescription) matrix")
        return Array(elements[(index * columns)..<((index + 1) * columns)])
    }

    /// Calls `body` with a pointer to the row-major elements.
    @inlinable
    public func withUnsafeBufferPointer<Result>(
        _ body: (UnsafeBufferPointer<Float>) throws -> Result
    ) rethrows -> Result {
        try elements.withUnsafeBufferPointer(body)
    }

    /// Calls `body` with a mutable pointer to the row-major elements.
    public mutating func withUnsafeMutableBufferPointer<Result>(
        _ body: (inout UnsafeMutableBufferPointer<Float>) throws -> Result
    ) rethrows -> Result {
        try elements.withUnsafeMutableBufferPointer(body)
    }

    /// Changes the shape without touching the elements; the element count must stay the same.
    public mutating func reshape(rows newRows: Int, columns newColumns: Int) {
        precondition(newRows * newColumns == count,
                     "cannot reshape a \(shapeDescription) matrix to \(newRows)×\(newColumns)")
        rows = newRows
        columns = newColumns
    }

    /// Sets every element to `value`.
    public mutating func fill(_ value: Float) {
        elements.withUnsafeMutableBufferPointer { buffer in
            for index in 0..<buffer.count { buffer[index] = value }
        }
    }

    /// The largest absolute difference between corresponding elements of two matrices of the same shape.
    public func maximumAbsoluteDifference(_ other: Matrix) -> Float {
        precondition(rows == other.rows && columns == other.columns,
                     "shape mismatch: \(shapeDescription) vs \(other.shapeDescription)")
        var largest: Float = 0
        for index in 0..<elements.count {
            largest = Swift.max(largest, abs(elements[index] - other.elements[index]))
        }
        return largest
    }
}

extension Matrix: CustomStringConvertible {
    public var description: String {
        var lines = ["Matrix \(shapeDescription)"]
        for row in 0..<Swift.min(rows, 8) {
            let shown = (0..<Swift.min(columns, 8)).map { String(self[row, $0]) }
            lines.append("  [" + shown.joined(separator: ", ") + (columns > 8 ? ", …]" : "]"))
        }
        if rows > 8 { lines.append("  …") }
        return lines.joined(separator: "\n")
    }
}
