/// How raw input values become the features a network sees: `feature = raw × scale + offset`,
/// the same map for every feature, or one scale and offset per feature (``standardized(means:standardDeviations:)``,
/// for tabular data whose columns have different units).
///
/// A model records its scaling, so that it sees its inputs at prediction time as it saw them in
/// training; image datasets apply it while they convert their bytes. Its one text form, written
/// to model files and accepted wherever a scaling is named, is:
///
/// - `none`: the raw values;
/// - `x / D`: division by a whole number `D` (`x / 255`, ``unitInterval``, maps pixels to [0, 1]);
/// - `x * SCALE + OFFSET` (or `x * SCALE` or `x * SCALE - OFFSET`): any other affine map, with
///   the numbers written so that they read back to the same `Float`s;
/// - `x * [S1, S2, …] + [O1, O2, …]`: one scale and offset per feature, likewise exact.
///
/// Older files wrote `pixel` for `x`, `identity` for `none` and `(pixel - MEAN) / STD` for
/// ``standardized(mean:standardDeviation:)``; those forms are read too.
public struct InputScaling: Sendable, Hashable, CustomStringConvertible {
    /// The factor applied to every raw value (1 for a per-feature scaling).
    public let scale: Float
    /// The value added after scaling (0 for a per-feature scaling).
    public let offset: Float
    /// One factor per feature, for a per-feature scaling; `nil` when ``scale`` applies to all.
    public let featureScales: [Float]?
    /// One offset per feature, for a per-feature scaling; `nil` when ``offset`` applies to all.
    public let featureOffsets: [Float]?

    /// `feature = raw × scale + offset`.
    public init(scale: Float, offset: Float = 0) {
        precondition(scale.isFinite && offset.isFinite && scale != 0,
                     "an input scaling needs a finite, non-zero scale and a finite offset, got \(scale) and \(offset)")
        self.scale = scale
        self.offset = offset
        featureScales = nil
        featureOffsets = nil
    }

    /// `feature[j] = raw[j] × scales[j] + offsets[j]`.
    /// - Precondition: as many scales as offsets, at least one, every scale finite and non-zero
    ///   and every offset finite (``init(scales:offsets:)`` checks without trapping).
    public init(scales: [Float], offsets: [Float]) {
        precondition(InputScaling.perFeatureProblem(scales: scales, offsets: offsets) == nil,
                     InputScaling.perFeatureProblem(scales: scales, offsets: offsets) ?? "")
        scale = 1
        offset = 0
        featureScales = scales
        featureOffsets = offsets
    }

    /// What is wrong with per-feature `scales` and `offsets`, or `nil` when they make a scaling.
    public static func perFeatureProblem(scales: [Float], offsets: [Float]) -> String? {
        guard !scales.isEmpty, scales.count == offsets.count else {
            return "a per-feature input scaling needs as many scales as offsets, at least one; got \(scales.count) and \(offsets.count)"
        }
        if let bad = scales.firstIndex(where: { !$0.isFinite || $0 == 0 }) {
            return "the scale of feature \(bad + 1) is \(scales[bad]), not a finite non-zero number"
        }
        if let bad = offsets.firstIndex(where: { !$0.isFinite }) {
            return "the offset of feature \(bad + 1) is \(offsets[bad]), not a finite number"
        }
        return nil
    }

    /// Whether one scale and offset apply to every feature.
    public var isUniform: Bool { featureScales == nil }

    /// The number of features a per-feature scaling is for; `nil` for a uniform one, which fits any.
    public var featureCount: Int? { featureScales?.count }

    /// Whether the scaling can apply to inputs of `featureCount` features.
    public func fits(featureCount count: Int) -> Bool { featureCount.map { $0 == count } ?? true }

    /// Standardisation with each feature's own statistics, as scikit-learn's `StandardScaler`:
    /// `feature[j] = (raw[j] − means[j]) / standardDeviations[j]`, computed in `Double`; a feature
    /// whose standard deviation is 0 (constant in the training data) is only centred.
    /// - Precondition: as many finite means as finite, non-negative deviations, at least one.
    public static func standardized(means: [Double], standardDeviations: [Double]) -> InputScaling {
        precondition(!means.isEmpty && means.count == standardDeviations.count
                     && means.allSatisfy(\.isFinite) && standardDeviations.allSatisfy { $0.isFinite && $0 >= 0 },
                     "cannot standardize with \(means.count) means and \(standardDeviations.count) deviations")
        var scales = [Float](), offsets = [Float]()
        for (mean, deviation) in zip(means, standardDeviations) {
            // A deviation so small that 1/σ overflows a Float counts as constant too.
            let inverse = deviation > 0 ? 1 / deviation : 1
            let usable = Float(inverse).isFinite && Float(-mean * inverse).isFinite
            scales.append(usable ? Float(inverse) : 1)
            offsets.append(usable ? Float(-mean * inverse) : Float(-mean))
        }
        return InputScaling(scales: scales, offsets: offsets)
    }

    /// The raw values as they are.
    public static let none = InputScaling(scale: 1)

    /// `x / 255`: pixels 0…255 to features in [0, 1].
    public static let unitInterval = InputScaling(scale: 1 / 255)

    /// `(x − mean) / standardDeviation`, usually from the training set's statistics:
    /// `scale = 1 / standardDeviation`, `offset = −mean / standardDeviation` (computed in `Double`).
    public static func standardized(mean: Double, standardDeviation: Double) -> InputScaling {
        precondition(standardDeviation > 0 && standardDeviation.isFinite && mean.isFinite,
                     "cannot standardize with mean \(mean) and standard deviation \(standardDeviation)")
        return InputScaling(scale: Float(1 / standardDeviation), offset: Float(-mean / standardDeviation))
    }

    /// Whether features are the raw values.
    public var isIdentity: Bool { isUniform && scale == 1 && offset == 0 }

    /// The feature of one raw byte, for a uniform scaling.
    @inlinable
    public func feature(_ raw: UInt8) -> Float { Float(raw) * scale + offset }

    /// The feature of one raw value, for a uniform scaling.
    @inlinable
    public func feature(_ raw: Float) -> Float { raw * scale + offset }

    /// The feature of raw value `raw` in column `column` (any scaling; a per-feature one needs
    /// `column < featureCount`).
    @inlinable
    public func feature(_ raw: Float, column: Int) -> Float {
        guard let featureScales, let featureOffsets else { return raw * scale + offset }
        return raw * featureScales[column] + featureOffsets[column]
    }

    /// Scales a row of `count` raw values in place (`count` must fit the scaling).
    @inlinable
    public func apply(to row: UnsafeMutablePointer<Float>, count: Int) {
        if let featureScales, let featureOffsets {
            featureScales.withUnsafeBufferPointer { scales in
                featureOffsets.withUnsafeBufferPointer { offsets in
                    for column in 0..<count { row[column] = row[column] * scales[column] + offsets[column] }
                }
            }
        } else if !isIdentity {
            let scale = scale, offset = offset
            for column in 0..<count { row[column] = row[column] * scale + offset }
        }
    }

    /// The map as one scale and one offset per feature, for `featureCount` features
    /// (`feature[j] = raw[j] × scales[j] + offsets[j]`): what an exported graph multiplies and adds.
    public func affine(featureCount: Int) -> (scales: [Float], offsets: [Float]) {
        if let featureScales, let featureOffsets { return (featureScales, featureOffsets) }
        return ([Float](repeating: scale, count: featureCount), [Float](repeating: offset, count: featureCount))
    }

    /// The text form (see ``InputScaling``).
    public var description: String {
        if let featureScales, let featureOffsets {
            func list(_ values: [Float]) -> String { "[" + values.map { "\($0)" }.joined(separator: ", ") + "]" }
            return "x * \(list(featureScales)) + \(list(featureOffsets))"
        }
        if isIdentity { return "none" }
        if offset == 0, scale > 0, let divisor = InputScaling.wholeDivisor(of: scale) { return "x / \(divisor)" }
        if offset == 0 { return "x * \(scale)" }
        return offset < 0 ? "x * \(scale) - \(-offset)" : "x * \(scale) + \(offset)"
    }

    /// The whole number `d` in 2…2²⁴ with `1 / Float(d) == scale`, if there is one.
    private static func wholeDivisor(of scale: Float) -> Int? {
        let estimate = (1 / Double(scale)).rounded()
        guard estimate >= 2, estimate <= 16_777_216 else { return nil }
        let divisor = Int(estimate)
        return 1 / Float(divisor) == scale ? divisor : nil
    }
}

/// A text that names no input scaling.
public struct InputScalingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text, as given.
    public let text: String

    public var description: String {
        "the input scaling '\(text.prefix(80))' is not understood "
            + "(expected 'none', 'x / D', 'x * SCALE + OFFSET', 'x * [SCALES] + [OFFSETS]' or '(x - MEAN) / STD')"
    }
}

extension InputScaling {
    /// The scaling of `scale` and `offset` as `Float`s, or `failure` when either is not finite
    /// there or the scale rounds to zero (`x / 1e39` has no `Float` scale).
    private static func checked(scale: Double, offset: Double, or failure: InputScalingError) throws(InputScalingError) -> InputScaling {
        let (narrowScale, narrowOffset) = (Float(scale), Float(offset))
        guard narrowScale.isFinite, narrowScale != 0, narrowOffset.isFinite else { throw failure }
        return InputScaling(scale: narrowScale, offset: narrowOffset)
    }

    /// Reads the text form, or one of the older forms (see ``InputScaling``).
    /// - Throws: ``InputScalingError`` for anything else, a non-finite number, a zero divisor or
    ///   scale, or a standard deviation that is not positive.
    public init(parsing text: String) throws(InputScalingError) {
        let compact = text.filter { !$0.isWhitespace }.lowercased()
            .replacing("pixel", with: "x")
        let failure = InputScalingError(text: text)
        if compact.isEmpty || compact == "none" || compact == "identity" || compact == "x" {
            self = .none
        } else if compact.hasPrefix("x/") {
            guard let divisor = Double(compact.dropFirst(2)), divisor.isFinite, divisor != 0 else { throw failure }
            self = try InputScaling.checked(scale: 1 / divisor, offset: 0, or: failure)
        } else if compact.hasPrefix("(x-"), let close = compact.firstIndex(of: ")") {
            let mean = Double(compact[compact.index(compact.startIndex, offsetBy: 3)..<close])
            let rest = compact[compact.index(after: close)...]
            guard let mean, mean.isFinite, rest.hasPrefix("/"), let deviation = Double(rest.dropFirst()),
                  deviation > 0, deviation.isFinite else { throw failure }
            self = try InputScaling.checked(scale: 1 / deviation, offset: -mean / deviation, or: failure)
        } else if compact.hasPrefix("x*[") {
            // x*[S1,S2,…]+[O1,O2,…]
            guard let close = compact.firstIndex(of: "]") else { throw failure }
            let scalesText = compact[compact.index(compact.startIndex, offsetBy: 3)..<close]
            let rest = compact[compact.index(after: close)...]
            guard rest.hasPrefix("+["), rest.hasSuffix("]") else { throw failure }
            let offsetsText = rest.dropFirst(2).dropLast()
            func numbers(_ text: Substring) throws(InputScalingError) -> [Float] {
                var values = [Float]()
                for part in text.split(separator: ",", omittingEmptySubsequences: false) {
                    guard let value = Float(part) else { throw failure }
                    values.append(value)
                }
                return values
            }
            let scales = try numbers(scalesText), offsets = try numbers(offsetsText)
            guard InputScaling.perFeatureProblem(scales: scales, offsets: offsets) == nil else { throw failure }
            self = InputScaling(scales: scales, offsets: offsets)
        } else if compact.hasPrefix("x*") {
            let body = compact.dropFirst(2)
            // The offset's sign is the first + or - after the scale's own sign, digits and exponent.
            var split: Substring.Index?
            var index = body.startIndex
            while index < body.endIndex {
                let character = body[index]
                if (character == "+" || character == "-") && index != body.startIndex
                    && body[body.index(before: index)] != "e" {
                    split = index
                    break
                }
                index = body.index(after: index)
            }
            let scaleText = split.map { body[..<$0] } ?? body
            var offset: Float = 0
            if let split {
                let offsetText = body[split...]
                guard let value = Float(offsetText.first == "+" ? offsetText.dropFirst() : offsetText) else { throw failure }
                offset = value
            }
            guard let scale = Float(scaleText), scale.isFinite, scale != 0, offset.isFinite else { throw failure }
            self = try InputScaling.checked(scale: Double(scale), offset: Double(offset), or: failure)
        } else {
            throw failure
        }
    }
}

extension InputScaling: Codable {
    /// Decodes the text form.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try InputScaling(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes the text form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
