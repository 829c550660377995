import CMLP
import Datasets

/// How a model turns raw inputs into the features its network saw in training:
/// `feature = x × scale + offset`, read from and written to the model file's `input_scaling`.
///
/// The forms understood are those the engine writes: `pixel / 255` (`mlp train`'s default,
/// ``PixelNormalization/unitInterval``), `none`, `(pixel - MEAN) / STD`
/// (``PixelNormalization/standardized(mean:standardDeviation:)``) and `pixel * SCALE + OFFSET`.
struct InputScaling: Equatable, Sendable {
    /// The affine map, with the same arithmetic as the dataset readers.
    var normalization: PixelNormalization

    init(scale: Float, offset: Float) {
        normalization = PixelNormalization(scale: scale, offset: offset)
    }

    init(_ normalization: PixelNormalization) {
        self.normalization = normalization
    }

    /// Parses a model's `input_scaling` text.
    init(parsing text: String) throws(CAPIError) {
        let compact = text.filter { !$0.isWhitespace }.lowercased()
        func number(_ text: Substring) throws(CAPIError) -> Double {
            guard let value = Double(text), value.isFinite else { throw InputScaling.unknown(text: text.base) }
            return value
        }
        if compact.isEmpty || compact == "none" || compact == "identity" || compact == "pixel" {
            self.init(.identity)
        } else if compact.hasPrefix("pixel/") {
            let divisor = try number(compact.dropFirst("pixel/".count))
            guard divisor != 0 else { throw InputScaling.unknown(text: text) }
            self.init(scale: 1 / Float(divisor), offset: 0)
        } else if compact.hasPrefix("(pixel-"), let close = compact.firstIndex(of: ")") {
            let mean = try number(compact[compact.index(compact.startIndex, offsetBy: "(pixel-".count)..<close])
            let rest = compact[compact.index(after: close)...]
            guard rest.hasPrefix("/") else { throw InputScaling.unknown(text: text) }
            let deviation = try number(rest.dropFirst())
            guard deviation > 0 else { throw InputScaling.unknown(text: text) }
            self.init(.standardized(mean: mean, standardDeviation: deviation))
        } else if compact.hasPrefix("pixel*") {
            let body = compact.dropFirst("pixel*".count)
            // The offset's sign is the first + or - after the scale's own digits and exponent.
            var split: Substring.Index?
            var index = body.index(after: body.startIndex)
            while index < body.endIndex {
                let character = body[index]
                let previous = body[body.index(before: index)]
                if (character == "+" || character == "-") && previous != "e" { split = index; break }
                index = body.index(after: index)
            }
            if let split {
                let scale = try number(body[..<split])
                let offsetText = body[split...]
                let offset = try number(offsetText.first == "+" ? offsetText.dropFirst() : offsetText)
                self.init(scale: Float(scale), offset: Float(offset))
            } else {
                self.init(scale: Float(try number(body)), offset: 0)
            }
        } else {
            throw InputScaling.unknown(text: text)
        }
    }

    /// The text recorded in a model file: `pixel / 255` and `none` for the common cases.
    var text: String {
        if self == InputScaling(.unitInterval) { return "pixel / 255" }
        if self == InputScaling(.identity) { return "none" }
        if normalization.offset == 0 { return "pixel * \(normalization.scale)" }
        return "pixel * \(normalization.scale) + \(normalization.offset)"
    }

    /// `x × scale + offset` for every element, into a new array.
    func features(of raw: UnsafeBufferPointer<Float>) -> [Float] {
        let scale = normalization.scale
        let offset = normalization.offset
        return [Float](unsafeUninitializedCapacity: raw.count) { destination, initialized in
            for index in 0..<raw.count { destination[index] = raw[index] * scale + offset }
            initialized = raw.count
        }
    }

    private static func unknown(text: String) -> CAPIError {
        CAPIError(status: MLP_ERROR_FORMAT, message:
            "the model's input scaling '\(text)' is not understood (expected 'pixel / 255', 'none', '(pixel - MEAN) / STD' or 'pixel * SCALE + OFFSET')")
    }
}
