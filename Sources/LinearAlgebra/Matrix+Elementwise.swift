extension Matrix {
    /// A new matrix with `transform` applied to every element.
    @inlinable
    public func map(_ transform: (Float) throws -> Float) rethrows -> Matrix {
        Matrix(rows: rows, columns: columns, elements: try elements.map(transform))
    }

    /// Applies `transform` to every element in place.
    public mutating func apply(_ transform: (Float) throws -> Float) rethrows {
        try withUnsafeMutableBufferPointer { buffer in
            for index in 0..<buffer.count { buffer[index] = try transform(buffer[index]) }
        }
    }

    /// Combines two matrices of the same shape element by element.
    public static func zip(_ lhs: Matrix, _ rhs: Matrix, _ combine: (Float, Float) throws -> Float) rethrows -> Matrix {
        precondition(lhs.rows == rhs.rows && lhs.columns == rhs.columns,
                     "zip shape mismatch: \(lhs.shapeDescription) vs \(rhs.shapeDescription)")
        var result = lhs
        try result.withUnsafeMutableBufferPointer { out in
            try rhs.withUnsafeBufferPointer { other in
                for index in 0..<out.count { out[index] = try combine(out[index], other[index]) }
            }
        }
        return result
    }

    /// Element-wise sum.
    public static func + (lhs: Matrix, rhs: Matrix) -> Matrix { zip(lhs, rhs, +) }
    /// Element-wise difference.
    public static func - (lhs: Matrix, rhs: Matrix) -> Matrix { zip(lhs, rhs, -) }
    /// Every element multiplied by `scalar`.
    public static func * (scalar: Float, matrix: Matrix) -> Matrix { matrix.map { scalar * $0 } }

    /// Adds `vector` to every row (the bias add): `self[i, j] += vector[j]`.
    public mutating func addRowVector(_ vector: [Float]) {
        precondition(vector.count == columns,
                     "row-broadcast shape mismatch: matrix \(shapeDescription), vector of \(vector.count)")
        let columns = self.columns, rows = self.rows
        vector.withUnsafeBufferPointer { bias in
            elements.withUnsafeMutableBufferPointer { buffer in
                for row in 0..<rows {
                    let base = row &* columns
                    for column in 0..<columns { buffer[base &+ column] += bias[column] }
                }
            }
        }
    }

    /// Writes the sum of each column into `sums` (length `columns`), accumulating in `Float`.
    public func columnSums(into sums: inout [Float]) {
        precondition(sums.count == columns,
                     "column-sum output mismatch: matrix \(shapeDescription), output of \(sums.count)")
        let columns = self.columns
        sums.withUnsafeMutableBufferPointer { out in
            for column in 0..<columns { out[column] = 0 }
            withUnsafeBufferPointer { buffer in
                for row in 0..<rows {
                    let base = row &* columns
                    for column in 0..<columns { out[column] += buffer[base &+ column] }
                }
            }
        }
    }

    /// The sum of each column.
    public func columnSums() -> [Float] {
        var sums = [Float](repeating: 0, count: columns)
        columnSums(into: &sums)
        return sums
    }

    /// The mean of each column.
    public func columnMeans() -> [Float] {
        guard rows > 0 else { return [Float](repeating: 0, count: columns) }
        let scale = 1 / Float(rows)
        return columnSums().map { $0 * scale }
    }

    /// The sum of each row.
    public func rowSums() -> [Float] {
        (0..<rows).map { row in
            var sum: Float = 0
            for column in 0..<columns { sum += elements[row &* columns &+ column] }
            return sum
        }
    }

    /// The column index of the largest element in each row (the first one on ties).
    public func rowArgmax() -> [Int] {
        precondition(columns > 0, "argmax of a matrix with no columns (\(shapeDescription))")
        var result = [Int](repeating: 0, count: rows)
        withUnsafeBufferPointer { buffer in
            for row in 0..<rows {
                let base = row &* columns
                var best = 0
                var bestValue = buffer[base]
                for column in 1..<columns where buffer[base &+ column] > bestValue {
                    best = column
                    bestValue = buffer[base &+ column]
                }
                result[row] = best
            }
        }
        return result
    }

    /// The sum of all elements, accumulated in `Double`.
    public func sum() -> Float {
        var total: Double = 0
        for value in elements { total += Double(value) }
        return Float(total)
    }

    /// The mean of all elements (0 for an empty matrix).
    public func mean() -> Float {
        count == 0 ? 0 : Float(Double(sum()) / Double(count))
    }

    /// The transpose as a new matrix (`columns × rows`).
    public func transposed() -> Matrix {
        var result = Matrix(rows: columns, columns: rows)
        let rows = self.rows, columns = self.columns
        withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { target in
                // Blocked so that both sides stay in cache.
                let block = 32
                var i0 = 0
                while i0 < rows {
                    let i1 = Swift.min(i0 &+ block, rows)
                    var j0 = 0
                    while j0 < columns {
                        let j1 = Swift.min(j0 &+ block, columns)
                        for i in i0..<i1 {
                            for j in j0..<j1 { target[j &* rows &+ i] = source[i &* columns &+ j] }
                        }
                        j0 = j1
                    }
                    i0 = i1
                }
            }
        }
        return result
    }

    /// Copies the rows named by `indices`, in that order, into `output` (`indices.count × columns`).
    public func gatherRows(_ indices: some Collection<Int>, into output: inout Matrix) {
        precondition(output.rows == indices.count && output.columns == columns,
                     "gather output mismatch: \(indices.count) rows of \(shapeDescription) into \(output.shapeDescription)")
        let columns = self.columns
        withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                guard let sourceBase = source.baseAddress, let targetBase = target.baseAddress else { return }
                for (position, index) in indices.enumerated() {
                    precondition(index >= 0 && index < rows, "row index \(index) is outside a \(shapeDescription) matrix")
                    (targetBase + position &* columns).update(from: sourceBase + index &* columns, count: columns)
                }
            }
        }
    }

    /// The rows named by `indices`, in that order, as a new matrix.
    public func gatherRows(_ indices: some Collection<Int>) -> Matrix {
        var output = Matrix(rows: indices.count, columns: columns)
        gatherRows(indices, into: &output)
        return output
    }
}
