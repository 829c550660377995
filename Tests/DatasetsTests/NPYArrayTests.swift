import Foundation
import Testing
@testable import Datasets
import MLPCore
import TestSupport

/// `.npy` files written by NumPy itself, every element checked, and hand-built files that lie
/// about themselves, each refused with one line naming the file.
@Suite("NPY arrays")
struct NPYArrayTests {
    /// Writes, with NumPy 2.2.6, an array of every supported dtype, 1-D (7) and 2-D (5 × 3), in
    /// format versions 1 and 2, with each integer type's minimum and maximum; prints one line per
    /// file: name, rows, columns, dimensions, then every element in row order (floats as the
    /// shortest `repr` that reads back to the same double).
    static let writeArrays = """
        import sys
        import numpy as np
        assert np.__version__ == "2.2.6", np.__version__
        directory = sys.argv[1]
        rng = np.random.default_rng(20261206)
        for code in ["f4", "f8", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "b1"]:
            dtype = np.dtype(code).newbyteorder("<") if np.dtype(code).itemsize > 1 else np.dtype(code)
            for shape in [(7,), (5, 3)]:
                for version in [(1, 0), (2, 0)]:
                    n = int(np.prod(shape))
                    if dtype.kind == "f":
                        a = (rng.standard_normal(n) * 10.0 ** rng.integers(-30, 30, n)).astype(dtype)
                    elif dtype.kind == "b":
                        a = rng.integers(0, 2, n).astype(bool)
                    else:
                        info = np.iinfo(dtype)
                        a = rng.integers(info.min, info.max, n, dtype=dtype, endpoint=True)
                        a[0], a[-1] = info.min, info.max
                    a = a.reshape(shape)
                    name = f"{code}-{'x'.join(map(str, shape))}-v{version[0]}.npy"
                    with open(f"{directory}/{name}", "wb") as f:
                        np.lib.format.write_array(f, a, version=version, allow_pickle=False)
                    text = [repr(float(x)) if dtype.kind == "f" else str(int(x)) for x in a.ravel()]
                    columns = a.shape[1] if a.ndim == 2 else 1
                    print(name, a.shape[0], columns, a.ndim, " ".join(text))
        """

    @Test("every element of every dtype, 1-D and 2-D, versions 1 and 2, reads as NumPy wrote it")
    func numpyArraysOfEveryType() throws {
        let python = try PythonEnvironment.python("numpy", packages: ["numpy==2.2.6"])
        try withTemporaryDirectory("npy") { directory in
            let output = try PythonEnvironment.run(python, script: Self.writeArrays, [directory])
            let lines = output.split(separator: "\n")
            #expect(lines.count == 11 * 2 * 2)
            var typesSeen = Set<NPYArray.ElementType>()
            for line in lines {
                let fields = line.split(separator: " ").map(String.init)
                let name = fields[0]
                let (rows, columns, dimensions) = (Int(fields[1])!, Int(fields[2])!, Int(fields[3])!)
                let expected = Array(fields[4...])
                let path = directory + "/" + name
                let array = try NPYArray(path: path)
                let fromBytes = try NPYArray(bytes: Array(try Data(contentsOf: URL(fileURLWithPath: path))), path: path)
                #expect(array.elementType.rawValue == String(name.prefix(2)), "\(name)")
                typesSeen.insert(array.elementType)
                #expect(array.rowCount == rows && array.columnCount == columns && array.dimensionCount == dimensions, "\(name)")
                #expect(expected.count == rows * columns, "\(name)")
                var row = [Float](repeating: .nan, count: columns)
                var rowFromBytes = [Float](repeating: .nan, count: columns)
                for r in 0..<rows {
                    row.withUnsafeMutableBufferPointer { array.copyRow(r, into: $0.baseAddress!) }
                    rowFromBytes.withUnsafeMutableBufferPointer { fromBytes.copyRow(r, into: $0.baseAddress!) }
                    #expect(bits(row) == bits(rowFromBytes), "\(name) row \(r)")
                    for c in 0..<columns {
                        let text = expected[r * columns + c]
                        let value = array.value(row: r, column: c)
                        let (exact, asFloat) = Self.expectedValues(text, array.elementType)
                        #expect(isClose(value, exact, absolute: 0, relative: 1e-15), "\(name)[\(r), \(c)]: \(value), NumPy \(text)")
                        #expect(row[c].bitPattern == asFloat.bitPattern, "\(name)[\(r), \(c)] as Float: \(row[c]), NumPy \(text)")
                    }
                }
                #expect(array.firstNonFinite() == nil, "\(name)")
            }
            #expect(typesSeen == Set(NPYArray.ElementType.allCases))
        }
    }

    /// The element NumPy printed as `text`, as a `Double` and as the `Float` a row copy should
    /// give (one rounding from the stored value).
    static func expectedValues(_ text: String, _ type: NPYArray.ElementType) -> (Double, Float) {
        switch type {
        case .float32: let value = Double(text)!; return (value, Float(value))
        case .float64: let value = Double(text)!; return (value, Float(value))
        case .uint64: let value = UInt64(text)!; return (Double(value), Float(value))
        default: let value = Int64(text)!; return (Double(value), Float(value))
        }
    }

    @Test("NaN, infinities and float64 beyond Float's range are found by firstNonFinite")
    func nonFiniteElements() throws {
        let float32 = try NPYArray(bytes: npy("'<f4'", shape: "(2, 3)", data: floats32([1, 2, 3, 4, .nan, 6])), path: "nan.npy")
        #expect(float32.firstNonFinite().map { [$0.row, $0.column] } == [1, 1])
        let infinite = try NPYArray(bytes: npy("'<f4'", shape: "(3,)", data: floats32([1, 2, -.infinity])), path: "inf.npy")
        #expect(infinite.firstNonFinite().map { [$0.row, $0.column] } == [2, 0])
        let large = try NPYArray(bytes: npy("'<f8'", shape: "(1, 2)", data: floats64([1, 1e300])), path: "large.npy")
        #expect(large.firstNonFinite().map { [$0.row, $0.column] } == [0, 1])
        #expect(isClose(large.value(row: 0, column: 1), 1e300))
        let integers = try NPYArray(bytes: npy("'<i4'", shape: "(2,)", data: [1, 0, 0, 0, 2, 0, 0, 0]), path: "i.npy")
        #expect(integers.firstNonFinite() == nil)
    }

    @Test("a bool byte other than 0 or 1 reads as 1 (NumPy's True)")
    func boolBytes() throws {
        let array = try NPYArray(bytes: npy("'|b1'", shape: "(4,)", data: [0, 1, 2, 255]), path: "b.npy")
        #expect((0..<4).map { array.value(row: $0, column: 0) } == [0, 1, 1, 1])
        var row = [Float](repeating: 0, count: 1)
        row.withUnsafeMutableBufferPointer { array.copyRow(3, into: $0.baseAddress!) }
        #expect(row == [1])
    }

    @Test("data at an offset that is no multiple of the element size reads correctly")
    func unalignedDataOffset() throws {
        // Header of 7 + 10 bytes: the data starts at byte 17, odd.
        for header in ["{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", "{'descr':'<f8','fortran_order':False,'shape':(2,2)}\n"] {
            let bytes = npy(header: header, data: floats64([1.5, -2.25, 3e-300, 7]), pad: false)
            let array = try NPYArray(bytes: bytes, path: "unaligned.npy")
            #expect((Self.headerStart(1) + header.utf8.count) % 8 != 0)
            #expect(isClose(array.value(row: 1, column: 0), 3e-300, absolute: 0))
            var row = [Float](repeating: 0, count: 2)
            row.withUnsafeMutableBufferPointer { array.copyRow(0, into: $0.baseAddress!) }
            #expect(bits(row) == bits([1.5, -2.25]))
        }
        let float32 = try NPYArray(bytes: npy(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (3,)}",
                                              data: floats32([0.5, -1, 2]), pad: false), path: "unaligned.npy")
        var values = [Float](repeating: 0, count: 1)
        values.withUnsafeMutableBufferPointer { float32.copyRow(1, into: $0.baseAddress!) }
        #expect(bits(values) == bits([-1]))
        #expect(float32.firstNonFinite() == nil)
    }

    static func headerStart(_ version: UInt8) -> Int { version == 1 ? 10 : 12 }

    /// Files that lie or are not arrays: each a `DatasetError` whose one-line description names
    /// the file and says what is wrong.
    @Test("hostile headers, shapes and sizes are refused with one line naming the file", arguments: [
        (npy(header: "{}", data: [], magic: Array("\u{93}NUMPZ".utf8)), "no \\x93NUMPY magic"),
        ([0x93, 0x4E, 0x55, 0x4D, 0x50], "no \\x93NUMPY magic"),
        (npy("'<f4'", shape: "(1,)", data: floats32([1]), version: 4), "format version 4.0 is not 1, 2 or 3"),
        (Array(npy("'<f4'", shape: "(1,)", data: []).prefix(40)), "the header claims"),
        ([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 2, 0, 0x70, 0x11, 0x01, 0x00] + [UInt8](repeating: 0x20, count: 100),
         "a header of 70000 bytes is longer than 65536"),
        ([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 2, 0, 0x10], "the file ends inside its header length"),
        ([0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0], "the file ends inside its header length"),
        (npy("'>f4'", shape: "(1,)", data: floats32([1])), "big-endian"),
        (npy(header: "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", data: floats32([1, 2, 3, 4])), "Fortran order"),
        (npy("'<f4'", shape: "(1, 1, 2)", data: floats32([1, 2])), "3 dimensions"),
        (npy("'<f4'", shape: "()", data: floats32([1])), "0 dimensions"),
        (npy("'<f4'", shape: "(4611686018427387904, 4)", data: floats32([1])), "more than Int.max"),
        (npy("'<i8'", shape: "(9223372036854775807, 9223372036854775807)", data: []), "more than Int.max"),
        (npy("'<f4'", shape: "(99999999999999999999,)", data: []), "is not a whole number"),
        (npy("'<f4'", shape: "(-1,)", data: []), "is not a whole number"),
        (npy("'<f4'", shape: "(3, 2)", data: [UInt8](repeating: 0, count: 20)), "needs 24 bytes of data, the file holds 20"),
        (npy("'<f4'", shape: "(3, 2)", data: [UInt8](repeating: 0, count: 28)), "needs 24 bytes of data, the file holds 28"),
        (npy("'<f4'", shape: "(0,)", data: []), "the array is empty"),
        (npy("'<f8'", shape: "(0, 3)", data: []), "the array is empty"),
        (npy("'<f8'", shape: "(3, 0)", data: []), "the array is empty"),
        (npy("'<c8'", shape: "(1,)", data: [UInt8](repeating: 0, count: 8)), "dtype '<c8' is not supported"),
        (npy("'<U3'", shape: "(1,)", data: [UInt8](repeating: 0, count: 12)), "dtype '<U3' is not supported"),
        (npy("'|O'", shape: "(1,)", data: [UInt8](repeating: 0, count: 8)), "dtype '|O' is not supported"),
        (npy(header: "{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", data: floats32([1])), "'descr'"),
        (npy(header: "{'fortran_order': False, 'shape': (1,), }", data: floats32([1])), "no 'descr'"),
        (npy(header: "{'descr': '<f4', 'shape': (1,), }", data: floats32([1])), "no 'fortran_order'"),
        (npy(header: "{'descr': '<f4', 'fortran_order': False, }", data: floats32([1])), "no 'shape'"),
        (npy(header: "'descr': '<f4'", data: floats32([1])), "not a Python dictionary"),
        (npy(headerBytes: [0x7B, 0xFF, 0xFE, 0x7D], data: []), "the header is not text"),
    ])
    func hostileFiles(bytes: [UInt8], problem: String) throws {
        try withTemporaryDirectory("npy-hostile") { directory in
            let path = directory + "/hostile.npy"
            try writeBytes(bytes, to: path)
            for error in [datasetError { _ = try NPYArray(path: path) }, datasetError { _ = try NPYArray(bytes: bytes, path: path) }] {
                guard case .invalidNPY(let errorPath, _)? = error else {
                    Issue.record("expected invalidNPY for \(problem), got \(String(describing: error))")
                    continue
                }
                let line = error?.description ?? ""
                #expect(errorPath == path)
                #expect(line.hasPrefix(path + ": ") && line.contains(problem), "\(line)")
                #expect(!line.contains("\n"), "\(line)")
            }
        }
    }

    @Test("a directory, a FIFO (without blocking), a missing file and an empty file are refused by name")
    func notRegularFiles() throws {
        try withTemporaryDirectory("npy-files") { directory in
            #expect(throws: DatasetError.notAFile(path: directory, kind: "a directory")) { try NPYArray(path: directory) }
            let fifo = directory + "/array.npy"
            #expect(mkfifo(fifo, 0o600) == 0)
            #expect(throws: DatasetError.notAFile(path: fifo, kind: "a FIFO")) { try NPYArray(path: fifo) }
            let missing = directory + "/missing.npy"
            #expect(throws: DatasetError.fileNotFound(path: missing)) { try NPYArray(path: missing) }
            #expect(DatasetError.fileNotFound(path: missing).description == missing + ": no such file")
            let empty = directory + "/empty.npy"
            try writeBytes([], to: empty)
            let error = datasetError { _ = try NPYArray(path: empty) }
            #expect(error?.description.hasPrefix(empty + ": ") == true && error?.description.contains("empty") == true,
                    "\(String(describing: error))")
            #expect(throws: DatasetError.self) { try NPYArray(path: "/dev/null") }
        }
    }

    @Test("a table over an array reads its rows, and subsets of it map back to the array's rows")
    func tableOverArray() throws {
        let array = try NPYArray(bytes: npy("'<i2'", shape: "(3, 2)", data: [1, 0, 2, 0, 3, 0, 4, 0, 0xFF, 0xFF, 6, 0]),
                                 path: "t.npy")
        let table = TabularData(name: "t", array: array, targetNames: ["y"], targets: .labels(["a", "b", "a"]))
        #expect(table.featureNames == ["x0", "x1"])
        let matrix = table.subset([2, 0]).featureMatrix()
        #expect(matrix.rows == 2 && bits(matrix.elements) == bits([-1, 6, 1, 2]))
        #expect(table.subset([2, 0]).labels == ["a", "a"])
    }
}

/// A `.npy` file: magic, version, header length, `header`, then `data`. With `pad`, the header
/// ends in spaces and a newline so that the data starts at a multiple of 64, as NumPy writes it.
func npy(header: String, data: [UInt8], version: UInt8 = 1, pad: Bool = true, magic: [UInt8]? = nil) -> [UInt8] {
    var text = Array(header.utf8)
    let start = NPYArrayTests.headerStart(version)
    if pad {
        let total = (start + text.count + 1 + 63) / 64 * 64
        text += [UInt8](repeating: 0x20, count: total - start - text.count - 1) + [0x0A]
    }
    return npy(headerBytes: text, data: data, version: version, magic: magic)
}

/// A `.npy` file with the header bytes as given.
func npy(headerBytes: [UInt8], data: [UInt8], version: UInt8 = 1, magic: [UInt8]? = nil) -> [UInt8] {
    var bytes = magic ?? [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
    bytes += [version, 0]
    let length = headerBytes.count
    bytes += version == 1 ? [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF)]
        : (0..<4).map { UInt8(length >> (8 * $0) & 0xFF) }
    return bytes + headerBytes + data
}

/// A `.npy` file of dtype `descr` (quoted) and `shape` (a Python tuple).
func npy(_ descr: String, shape: String, data: [UInt8], version: UInt8 = 1) -> [UInt8] {
    npy(header: "{'descr': \(descr), 'fortran_order': False, 'shape': \(shape), }", data: data, version: version)
}

/// Little-endian bytes of `values`.
func floats32(_ values: [Float]) -> [UInt8] { values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) } }
func floats64(_ values: [Double]) -> [UInt8] { values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) } }
