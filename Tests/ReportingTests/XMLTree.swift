import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML document, flattened into its elements in document order, for checking generated
/// SVG and XHTML in tests.
struct XMLTree {
    /// One element: its name, attributes, the text directly inside it, and its ancestors' names.
    struct Element {
        let name: String
        let attributes: [String: String]
        var text: String
        let ancestors: [String]
        let ancestorClasses: [String]

        /// The element's `class` attribute split into class names.
        var classes: [String] { (attributes["class"] ?? "").split(separator: " ").map(String.init) }
    }

    /// A well-formedness error reported by the parser.
    struct ParseError: Error, CustomStringConvertible {
        let description: String
    }

    let elements: [Element]

    /// Parses `text`, throwing when it is not well-formed XML.
    init(_ text: String) throws {
        let collector = Collector()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = collector
        guard parser.parse() else {
            let message = parser.parserError.map { String(describing: $0) } ?? "unknown error"
            throw ParseError(description: "not well-formed XML (line \(parser.lineNumber)): \(message)")
        }
        elements = collector.elements
    }

    /// The root element.
    var root: Element? { elements.first }

    /// The elements named `name`, optionally only those with class `className`.
    func elements(named name: String, className: String? = nil) -> [Element] {
        elements.filter { element in
            element.name == name && (className.map { element.classes.contains($0) } ?? true)
        }
    }

    /// The elements with class `className`.
    func elements(withClass className: String) -> [Element] {
        elements.filter { $0.classes.contains(className) }
    }

    /// The text of every element named `name` that sits inside an element with class `className`.
    func texts(named name: String = "text", inside className: String) -> [String] {
        elements.filter { $0.name == name && $0.ancestorClasses.contains(className) }.map(\.text)
    }

    /// The text of every element.
    var allTexts: [String] { elements.map(\.text) }

    private final class Collector: NSObject, XMLParserDelegate {
        var elements = [Element]()
        var stack = [Int]()

        func parser(
            _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
            qualifiedName: String?, attributes: [String: String] = [:]
        ) {
            let ancestors = stack.map { elements[$0].name }
            let ancestorClasses = stack.flatMap { elements[$0].classes }
            elements.append(Element(name: elementName, attributes: attributes, text: "",
                                    ancestors: ancestors, ancestorClasses: ancestorClasses))
            stack.append(elements.count - 1)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                    qualifiedName: String?) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if let index = stack.last { elements[index].text += string }
        }
    }
}
