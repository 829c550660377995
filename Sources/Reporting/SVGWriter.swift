/// Builds the text of an SVG document element by element.
///
/// Coordinates are written with at most two decimals and no exponent, so the output is compact
/// and the same on every machine. Every piece of text is escaped with ``Markup/escape(_:)``.
/// The writer emits no `id` attributes, so several charts can be inlined into one HTML page.
struct SVGWriter {
    /// The font stack of every chart: the platform's user-interface font.
    static let fontFamily =
        "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', 'DejaVu Sans', Arial, sans-serif"

    /// Horizontal anchoring of a text element.
    enum Anchor: String {
        case start, middle, end
    }

    private var text: String

    /// Starts a document `width × height` user units large, with an accessible title.
    init(width: Double, height: Double, title: String, className: String) {
        let w = Self.number(width)
        let h = Self.number(height)
        text = "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\""
            + " class=\"\(Markup.escape(className))\" width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\""
            + " role=\"img\" aria-label=\"\(Markup.escape(title))\""
            + " font-family=\"\(Self.fontFamily)\">\n"
        text += "<title>\(Markup.escape(title))</title>\n"
        rectangle(x: 0, y: 0, width: width, height: height, fill: .white)
    }

    /// The finished document.
    func finished() -> String { text + "</svg>\n" }

    /// Appends a raw, already well-formed fragment.
    mutating func raw(_ fragment: String) { text += fragment }

    /// Opens a `<g>` element; balance it with ``closeGroup()``.
    mutating func openGroup(className: String, label: String? = nil, extra: String = "") {
        text += "<g class=\"\(Markup.escape(className))\""
        if let label { text += " data-label=\"\(Markup.escape(label))\"" }
        if !extra.isEmpty { text += " " + extra }
        text += ">\n"
    }

    /// Closes the innermost open `<g>`.
    mutating func closeGroup() { text += "</g>\n" }

    /// A filled (and optionally stroked) rectangle.
    mutating func rectangle(
        x: Double, y: Double, width: Double, height: Double, fill: Color?,
        stroke: Color? = nil, strokeWidth: Double = 1, className: String? = nil, tooltip: String? = nil
    ) {
        text += "<rect"
        if let className { text += " class=\"\(Markup.escape(className))\"" }
        text += " x=\"\(Self.number(x))\" y=\"\(Self.number(y))\""
        text += " width=\"\(Self.number(max(width, 0)))\" height=\"\(Self.number(max(height, 0)))\""
        text += " fill=\"\(fill?.hexString ?? "none")\""
        if let stroke { text += " stroke=\"\(stroke.hexString)\" stroke-width=\"\(Self.number(strokeWidth))\"" }
        if let tooltip {
            text += "><title>\(Markup.escape(tooltip))</title></rect>\n"
        } else {
            text += "/>\n"
        }
    }

    /// A straight line segment.
    mutating func line(
        x1: Double, y1: Double, x2: Double, y2: Double, stroke: Color, width: Double = 1,
        dash: String? = nil, className: String? = nil
    ) {
        text += "<line"
        if let className { text += " class=\"\(Markup.escape(className))\"" }
        text += " x1=\"\(Self.number(x1))\" y1=\"\(Self.number(y1))\""
        text += " x2=\"\(Self.number(x2))\" y2=\"\(Self.number(y2))\""
        text += " stroke=\"\(stroke.hexString)\" stroke-width=\"\(Self.number(width))\""
        if let dash { text += " stroke-dasharray=\"\(dash)\"" }
        text += "/>\n"
    }

    /// An unfilled path with data `data` (built with ``pathData(_:)``).
    mutating func path(
        _ data: String, stroke: Color, width: Double, dash: String? = nil, className: String? = nil,
        roundCaps: Bool = false
    ) {
        text += "<path"
        if let className { text += " class=\"\(Markup.escape(className))\"" }
        text += " d=\"\(data)\" fill=\"none\" stroke=\"\(stroke.hexString)\" stroke-width=\"\(Self.number(width))\""
        text += " stroke-linejoin=\"round\""
        if roundCaps { text += " stroke-linecap=\"round\"" }
        if let dash { text += " stroke-dasharray=\"\(dash)\"" }
        text += "/>\n"
    }

    /// A filled circle.
    mutating func circle(centerX: Double, centerY: Double, radius: Double, fill: Color, className: String? = nil) {
        text += "<circle"
        if let className { text += " class=\"\(Markup.escape(className))\"" }
        text += " cx=\"\(Self.number(centerX))\" cy=\"\(Self.number(centerY))\" r=\"\(Self.number(radius))\""
        text += " fill=\"\(fill.hexString)\"/>\n"
    }

    /// A line of text whose baseline starts (or is centred, or ends) at `(x, y)`, optionally
    /// rotated by `rotation` degrees about that point.
    mutating func text(
        _ content: String, x: Double, y: Double, size: Double, anchor: Anchor = .start,
        fill: Color = .textDark, bold: Bool = false, rotation: Double? = nil, className: String? = nil
    ) {
        text += "<text"
        if let className { text += " class=\"\(Markup.escape(className))\"" }
        text += " x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" font-size=\"\(Self.number(size))\""
        if anchor != .start { text += " text-anchor=\"\(anchor.rawValue)\"" }
        if bold { text += " font-weight=\"600\"" }
        text += " fill=\"\(fill.hexString)\""
        if let rotation, rotation != 0 {
            text += " transform=\"rotate(\(Self.number(rotation)) \(Self.number(x)) \(Self.number(y)))\""
        }
        text += ">\(Markup.escape(content))</text>\n"
    }

    /// An embedded raster image from a `data:` URI (or any URI), drawn without smoothing.
    mutating func image(uri: String, x: Double, y: Double, width: Double, height: Double) {
        let escaped = Markup.escape(uri)
        text += "<image x=\"\(Self.number(x))\" y=\"\(Self.number(y))\""
        text += " width=\"\(Self.number(width))\" height=\"\(Self.number(height))\""
        text += " preserveAspectRatio=\"none\" image-rendering=\"pixelated\""
        text += " style=\"image-rendering: pixelated; image-rendering: crisp-edges\""
        text += " href=\"\(escaped)\" xlink:href=\"\(escaped)\"/>\n"
    }

    /// Path data through `segments`: each segment starts with a move-to and continues with
    /// line-tos. Segments with fewer than two points are left out.
    static func pathData(_ segments: [[(x: Double, y: Double)]]) -> String {
        var data = ""
        for segment in segments where segment.count >= 2 {
            for (index, point) in segment.enumerated() {
                if !data.isEmpty { data += " " }
                data += (index == 0 ? "M" : "L") + number(point.x) + " " + number(point.y)
            }
        }
        return data
    }

    /// `value` with at most two decimals, trailing zeros removed and no exponent, e.g.
    /// `12.5`, `-3`, `0.07`. Non-finite values become `0`.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let hundredths = (value * 100).rounded()
        guard abs(hundredths) < 1e15 else { return String(Int(value.rounded())) }
        let scaled = Int(hundredths)
        let magnitude = abs(scaled)
        let whole = magnitude / 100
        let fraction = magnitude % 100
        var result = scaled < 0 ? "-" : ""
        result += String(whole)
        if fraction != 0 {
            result += fraction % 10 == 0 ? ".\(fraction / 10)" : (fraction < 10 ? ".0\(fraction)" : ".\(fraction)")
        }
        return result
    }
}
