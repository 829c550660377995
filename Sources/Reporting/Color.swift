import Foundation

/// An opaque sRGB colour with 8-bit channels.
public struct Color: Sendable, Hashable, CustomStringConvertible {
    /// The red, green and blue channels, 0–255.
    public var red, green, blue: UInt8

    /// A colour from its three channels.
    public init(red: UInt8, green: UInt8, blue: UInt8) {
        (self.red, self.green, self.blue) = (red, green, blue)
    }

    /// A colour from a 24-bit value `0xRRGGBB`, as in `Color(hex: 0x1f77b4)`.
    public init(hex: UInt32) {
        self.init(
            red: UInt8(truncatingIfNeeded: hex >> 16),
            green: UInt8(truncatingIfNeeded: hex >> 8),
            blue: UInt8(truncatingIfNeeded: hex))
    }

    /// The colour as CSS/SVG text, `#rrggbb` in lower case.
    public var hexString: String {
        let digits = Array("0123456789abcdef")
        var text = "#"
        for channel in [red, green, blue] {
            text.append(digits[Int(channel >> 4)])
            text.append(digits[Int(channel & 0x0f)])
        }
        return text
    }

    public var description: String { hexString }

    /// The WCAG relative luminance, 0 (black) to 1 (white):
    /// `L = 0.2126 R + 0.7152 G + 0.0722 B` over linearised channels, where a channel `c` in [0, 1]
    /// linearises to `c / 12.92` when `c ≤ 0.04045` and to `((c + 0.055) / 1.055)^2.4` otherwise.
    public var relativeLuminance: Double {
        func linear(_ channel: UInt8) -> Double {
            let value = Double(channel) / 255
            return value <= 0.04045 ? value / 12.92 : pow((value + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    }

    /// The WCAG contrast ratio between two colours, `(L₁ + 0.05) / (L₂ + 0.05)` with `L₁ ≥ L₂`,
    /// from 1 (identical) to 21 (black on white).
    public func contrastRatio(with other: Color) -> Double {
        let first = relativeLuminance
        let second = other.relativeLuminance
        return (Swift.max(first, second) + 0.05) / (Swift.min(first, second) + 0.05)
    }

    /// Whichever of `dark` and `light` has the higher contrast against this colour: the colour to
    /// write text in on a background of this colour.
    public func contrastingTextColor(dark: Color = .textDark, light: Color = .white) -> Color {
        contrastRatio(with: dark) >= contrastRatio(with: light) ? dark : light
    }

    /// The colour a fraction `t` (clamped to [0, 1]) of the way from `self` to `other`,
    /// interpolating each sRGB channel linearly.
    public func interpolated(to other: Color, fraction t: Double) -> Color {
        let fraction = t.isNaN ? 0 : Swift.min(Swift.max(t, 0), 1)
        func mix(_ start: UInt8, _ end: UInt8) -> UInt8 {
            UInt8((Double(start) + (Double(end) - Double(start)) * fraction).rounded())
        }
        return Color(red: mix(red, other.red), green: mix(green, other.green), blue: mix(blue, other.blue))
    }

    /// White, `#ffffff`.
    public static let white = Color(hex: 0xffffff)
    /// Black, `#000000`.
    public static let black = Color(hex: 0x000000)
    /// The near-black used for titles and text, `#1f2937`.
    public static let textDark = Color(hex: 0x1f2937)
    /// The mid grey used for tick labels and secondary text, `#4b5563`.
    public static let textMuted = Color(hex: 0x4b5563)
    /// The light grey of gridlines, `#e5e7eb`.
    public static let gridline = Color(hex: 0xe5e7eb)
    /// The grey of axis lines, `#9ca3af`.
    public static let axis = Color(hex: 0x9ca3af)
}
