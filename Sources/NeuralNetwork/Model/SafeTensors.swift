import Foundation

/// What is wrong with a safetensors byte stream or model file.
public enum SafeTensorsProblem: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes end before the header or a tensor's data does.
    case truncated(String)
    /// The header is not the expected JSON.
    case corruptHeader(String)
    /// A tensor whose dtype is not `F32`.
    case unsupportedDtype(tensor: String, dtype: String)
    /// A tensor the model needs is absent.
    case missingTensor(String)
    /// A tensor whose shape does not fit the model described by the metadata.
    case shapeMismatch(tensor: String, expected: [Int], found: [Int])
    /// The `__metadata__` map lacks a key or holds a value that cannot be used.
    case badMetadata(String)

    /// `text` as a message may quote it: control characters (and invalid bytes) escaped as
    /// `\u{…}`, cut to `limit` characters with an ellipsis.
    public static func excerpt(_ text: String, limit: Int = 80) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if result.count >= limit {
                result += "…"
                break
            }
            switch scalar.value {
            case 0..<0x20, 0x7f..<0xa0, 0xfffd, 0x2028, 0x2029, 0x200e, 0x200f, 0x202a...0x202e, 0x2066...0x2069:
                result += "\\u{\(String(scalar.value, radix: 16))}"
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    public var description: String {
        switch self {
        case .truncated(let detail): return "the file is truncated: \(detail)"
        case .corruptHeader(let detail): return "the safetensors header is corrupt: \(detail)"
        case .unsupportedDtype(let tensor, let dtype):
            return "tensor '\(tensor)' has dtype \(dtype); only F32 is supported"
        case .missingTensor(let name): return "tensor '\(name)' is missing"
        case .shapeMismatch(let tensor, let expected, let found):
            return "tensor '\(tensor)' has shape \(found), the model needs \(expected)"
        case .badMetadata(let detail): return "bad metadata: \(detail)"
        }
    }
}

/// A set of named `float32` tensors in the safetensors format (as written by Hugging Face's
/// `safetensors` package):
///
/// ```text
/// [8 bytes: N, the header length, unsigned little-endian]
/// [N bytes: JSON header, padded with spaces to a multiple of 8]
///     { "__metadata__": { "key": "string value", … },
///       "layers.0.weight": { "dtype": "F32", "shape": [784, 256], "data_offsets": [begin, end] }, … }
/// [the data: each tensor's little-endian float32 values, row-major, at data_offsets]
/// ```
///
/// Offsets are relative to the first byte after the header; tensors are stored back to back.
public struct SafeTensors: Sendable, Equatable {
    /// One named tensor.
    public struct Tensor: Sendable, Equatable {
        public var name: String
        public var shape: [Int]
        public var values: [Float]

        public init(name: String, shape: [Int], values: [Float]) {
            precondition(shape.reduce(1, *) == values.count,
                         "tensor \(name): shape \(shape) does not hold \(values.count) values")
            self.name = name
            self.shape = shape
            self.values = values
        }
    }

    /// The tensors, in file order.
    public var tensors: [Tensor]
    /// The string-to-string `__metadata__` map.
    public var metadata: [String: String]

    public init(tensors: [Tensor], metadata: [String: String]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// The tensor called `name`.
    public subscript(name: String) -> Tensor? { tensors.first { $0.name == name } }

    /// The file's bytes.
    public func serialized() -> [UInt8] {
        var header = [String: Any]()
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        for tensor in tensors {
            let end = offset + tensor.values.count * 4
            header[tensor.name] = ["dtype": "F32", "shape": tensor.shape, "data_offsets": [offset, end]] as [String: Any]
            offset = end
        }
        // Only strings and integers: serialisation cannot fail.
        let json = (try? JSONSerialization.data(withJSONObject: header, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        var headerBytes = [UInt8](json)
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }
        var bytes = [UInt8]()
        bytes.reserveCapacity(8 + headerBytes.count + offset)
        var length = UInt64(headerBytes.count).littleEndian
        withUnsafeBytes(of: &length) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: headerBytes)
        for tensor in tensors {
            for value in tensor.values {
                var word = value.bitPattern.littleEndian
                withUnsafeBytes(of: &word) { bytes.append(contentsOf: $0) }
            }
        }
        return bytes
    }

    /// Parses the bytes of a safetensors file holding `F32` tensors.
    /// - Throws: ``SafeTensorsProblem`` for a truncated stream, a corrupt header or another dtype.
    public static func parse(_ bytes: [UInt8]) throws(SafeTensorsProblem) -> SafeTensors {
        guard bytes.count >= 8 else {
            throw .truncated("\(bytes.count) bytes, fewer than the 8-byte header length")
        }
        var headerLength: UInt64 = 0
        for index in (0..<8).reversed() { headerLength = headerLength << 8 | UInt64(bytes[index]) }
        guard headerLength <= UInt64(bytes.count - 8) else {
            throw .truncated("the header claims \(headerLength) bytes but only \(bytes.count - 8) follow")
        }
        guard headerLength <= 100_000_000 else { throw .corruptHeader("a header of \(headerLength) bytes is implausible") }
        let dataStart = 8 + Int(headerLength)
        let dataLength = bytes.count - dataStart
        // The header nests two levels (metadata map, tensor entries with their arrays): deeper
        // nesting is refused before the recursive JSON parser could exhaust the stack on it.
        guard nestingDepth(bytes[8..<dataStart]) <= 8 else { throw .corruptHeader("the header nests too deeply") }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes[8..<dataStart]))
        } catch {
            throw .corruptHeader("not valid JSON")
        }
        guard let header = object as? [String: Any] else { throw .corruptHeader("the header is not a JSON object") }
        guard bytes[8] == UInt8(ascii: "{") else { throw .corruptHeader("the header does not start with '{'") }

        var metadata = [String: String]()
        if let raw = header["__metadata__"] {
            guard let map = raw as? [String: Any] else { throw .corruptHeader("__metadata__ is not an object") }
            for (key, value) in map {
                guard let text = value as? String else { throw .corruptHeader("metadata value '\(escaped(key))' is not a string") }
                metadata[key] = text
            }
        }
        var entries = [(name: String, shape: [Int], begin: Int, end: Int)]()
        for (name, raw) in header where name != "__metadata__" {
            guard let entry = raw as? [String: Any] else { throw .corruptHeader("entry '\(escaped(name))' is not an object") }
            guard let dtype = entry["dtype"] as? String else { throw .corruptHeader("tensor '\(escaped(name))' has no dtype") }
            guard dtype == "F32" else { throw .unsupportedDtype(tensor: escaped(name), dtype: escaped(dtype)) }
            guard let shape = integers(entry["shape"]), shape.allSatisfy({ $0 >= 0 }) else {
                throw .corruptHeader("tensor '\(escaped(name))' has no valid shape")
            }
            guard let offsets = integers(entry["data_offsets"]), offsets.count == 2,
                  offsets[0] >= 0, offsets[0] <= offsets[1] else {
                throw .corruptHeader("tensor '\(escaped(name))' has no valid data_offsets")
            }
            var count = 1
            for dimension in shape {
                let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
                guard !overflow, product <= Int.max / 8 else { throw .corruptHeader("tensor '\(escaped(name))' has an impossible shape \(shape.prefix(8))") }
                count = product
            }
            guard offsets[1] - offsets[0] == count * 4 else {
                throw .corruptHeader("tensor '\(escaped(name))' of shape \(shape.prefix(8)) needs \(count * 4) bytes, its offsets span \(offsets[1] - offsets[0])")
            }
            guard offsets[1] <= dataLength else {
                throw .truncated("tensor '\(escaped(name))' ends at byte \(offsets[1]) of the data, which has \(dataLength)")
            }
            entries.append((name, shape, offsets[0], offsets[1]))
        }
        // As Python's safetensors: the tensors' data, in offset order, tile the data exactly,
        // from byte 0 to the end, with no gap, overlap or trailing bytes.
        entries.sort { $0.begin < $1.begin || ($0.begin == $1.begin && $0.end < $1.end) || ($0.begin == $1.begin && $0.end == $1.end && $0.name < $1.name) }
        var expected = 0
        for entry in entries {
            guard entry.begin == expected else {
                throw .corruptHeader("tensor '\(escaped(entry.name))' starts at byte \(entry.begin) of the data, not \(expected): "
                                     + (entry.begin < expected ? "its data_offsets overlap another tensor's" : "its data_offsets leave a gap before it"))
            }
            expected = entry.end
        }
        guard expected == dataLength else {
            throw .corruptHeader("the tensors cover \(expected) bytes of data, but \(dataLength) follow the header")
        }
        var tensors = [Tensor]()
        tensors.reserveCapacity(entries.count)
        for entry in entries {
            var values = [Float](repeating: 0, count: (entry.end - entry.begin) / 4)
            var position = dataStart + entry.begin
            for index in values.indices {
                let word = UInt32(bytes[position]) | UInt32(bytes[position + 1]) << 8
                    | UInt32(bytes[position + 2]) << 16 | UInt32(bytes[position + 3]) << 24
                values[index] = Float(bitPattern: word)
                position += 4
            }
            tensors.append(Tensor(name: entry.name, shape: entry.shape, values: values))
        }
        return SafeTensors(tensors: tensors, metadata: metadata)
    }

    /// `text` with control characters escaped and cut to 80 characters, for a message.
    private static func escaped(_ text: String) -> String { SafeTensorsProblem.excerpt(text) }

    /// The deepest nesting of `[` and `{` outside strings in JSON text.
    private static func nestingDepth(_ text: ArraySlice<UInt8>) -> Int {
        var depth = 0, deepest = 0, inString = false, escaped = false
        for byte in text {
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                deepest = Swift.max(deepest, depth)
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return deepest
    }

    /// A JSON array of integers (JSON numbers that are whole), or nil.
    private static func integers(_ value: Any?) -> [Int]? {
        guard let array = value as? [Any] else { return nil }
        var result = [Int]()
        for element in array {
            if let integer = element as? Int {
                result.append(integer)
            } else if let number = element as? Double, number.rounded() == number, abs(number) < 1e15 {
                result.append(Int(number))
            } else {
                return nil
            }
        }
        return result
    }
}
