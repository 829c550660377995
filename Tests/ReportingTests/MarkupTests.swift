import Testing
@testable import Reporting

@Suite("Escaping and colours")
struct MarkupTests {
    @Test("XML escaping covers the five special characters and forbidden controls")
    func xml() throws {
        #expect(Markup.escape(#"a<b>&"c"'d"#) == "a&lt;b&gt;&amp;&quot;c&quot;&#39;d")
        #expect(Markup.escape("tab\tnew\nline") == "tab\tnew\nline")
        #expect(Markup.escape("bell\u{07}null\u{00}") == "bell\u{FFFD}null\u{FFFD}")
        let tree = try XMLTree("<t a=\"\(Markup.escape("x\"<&\u{01}"))\">\(Markup.escape("]]> <&>"))</t>")
        #expect(tree.root?.text == "]]> <&>")
        #expect(tree.root?.attributes["a"] == "x\"<&\u{FFFD}")
    }

    @Test("Markdown escaping")
    func markdown() {
        #expect(Markup.escapeMarkdown("a|b *c* _d_ [e](f) <g>") == #"a\|b \*c\* \_d\_ \[e\](f) \<g\>"#)
        #expect(Markup.escapeMarkdown("two\nlines") == "two lines")
    }

    @Test("colours: hex, luminance, contrast")
    func colors() {
        #expect(Color(hex: 0x1f77b4).hexString == "#1f77b4")
        #expect(Color.white.relativeLuminance == 1)
        #expect(Color.black.relativeLuminance == 0)
        #expect(abs(Color.white.contrastRatio(with: .black) - 21) < 1e-9)
        #expect(Color(hex: 0x08306b).contrastingTextColor() == .white)
        #expect(Color(hex: 0xf7fbff).contrastingTextColor() == .textDark)
        #expect(Color.black.interpolated(to: .white, fraction: 0.5) == Color(red: 128, green: 128, blue: 128))
    }

    @Test("the qualitative palette has at least twelve distinct, legible colours")
    func palette() {
        let colors = Palette.qualitative
        #expect(colors.count >= 12)
        #expect(Set(colors).count == colors.count)
        for color in colors.prefix(12) { #expect(color.contrastRatio(with: .white) >= 1.9, "\(color)") }
        // Any two of the first twelve differ clearly in at least one channel.
        for first in 0..<12 {
            for second in (first + 1)..<12 {
                let a = colors[first], b = colors[second]
                let distance = abs(Int(a.red) - Int(b.red)) + abs(Int(a.green) - Int(b.green)) + abs(Int(a.blue) - Int(b.blue))
                #expect(distance > 60, "\(a) vs \(b)")
            }
        }
        #expect(Palette.color(at: colors.count) == colors[0])
        #expect(Palette.color(at: -1) == colors[colors.count - 1])
    }
}
