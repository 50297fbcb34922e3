import CCmarkGFM
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A block of a Markdown document as cmark-gfm parses it, for writers of other formats than
/// HTML (a Word document): the same parser as the site's pages, so both agree on structure.
public indirect enum MarkdownBlock: Equatable, Sendable {
    case heading(level: Int, [MarkdownInline])
    case paragraph([MarkdownInline])
    case list(ordered: Bool, start: Int, items: [[MarkdownBlock]])
    case quote([MarkdownBlock])
    case code(String)
    /// The header row, then the body rows; each cell is its inline content.
    case table(header: [[MarkdownInline]], rows: [[[MarkdownInline]]])
    case rule
    case html(String)
    /// A cited footnote's definition; its label is its number ("1", "2", …).
    case footnote(label: String, [MarkdownBlock])
}

public indirect enum MarkdownInline: Equatable, Sendable {
    case text(String)
    case code(String)
    case softBreak
    case lineBreak
    case html(String)
    case emphasis([MarkdownInline])
    case strong([MarkdownInline])
    case strikethrough([MarkdownInline])
    case link(destination: String, [MarkdownInline])
    case image(source: String, alt: [MarkdownInline])
    case footnoteReference(String)
}

public enum MarkdownTree {
    /// The blocks of `markdown`, footnote definitions last (where cmark puts them). Footnotes
    /// are labelled by number, in order of first citation, as cmark numbers them on a page.
    public static func parse(_ markdown: String) -> [MarkdownBlock] {
        MarkdownRenderer.withTree(markdown, options: CMARK_OPT_FOOTNOTES | CMARK_OPT_VALIDATE_UTF8) { root, _ in
            var notes = 0
            return children(of: root).compactMap { node in
                guard type(node) == "footnote_definition" else { return block(node) }
                // cmark keeps only cited definitions, in order of first citation, and names a
                // reference by that number.
                notes += 1
                return .footnote(label: String(notes), children(of: node).compactMap(block))
            }
        }
    }

    private static func children(of node: OpaquePointer) -> [OpaquePointer] {
        var nodes: [OpaquePointer] = []
        var child = cmark_node_first_child(node)
        while let current = child {
            nodes.append(current)
            child = cmark_node_next(current)
        }
        return nodes
    }

    private static func type(_ node: OpaquePointer) -> String {
        // cmark-gfm has no type names for footnotes ("<unknown>").
        switch cmark_node_get_type(node) {
        case CMARK_NODE_FOOTNOTE_REFERENCE: return "footnote_reference"
        case CMARK_NODE_FOOTNOTE_DEFINITION: return "footnote_definition"
        default: return cmark_node_get_type_string(node).map { String(cString: $0) } ?? ""
        }
    }

    private static func literal(_ node: OpaquePointer) -> String {
        cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
    }

    private static func block(_ node: OpaquePointer) -> MarkdownBlock? {
        switch type(node) {
        case "heading": return .heading(level: Int(cmark_node_get_heading_level(node)), inlines(of: node))
        case "paragraph": return .paragraph(inlines(of: node))
        case "list":
            let items = children(of: node).map { children(of: $0).compactMap(block) }
            return .list(ordered: cmark_node_get_list_type(node) == CMARK_ORDERED_LIST, start: Int(cmark_node_get_list_start(node)), items: items)
        case "block_quote": return .quote(children(of: node).compactMap(block))
        case "code_block": return .code(literal(node))
        case "html_block": return .html(literal(node))
        case "thematic_break": return .rule
        case "table":
            let rows = children(of: node).map { row in children(of: row).map(inlines) }
            guard let header = rows.first else { return nil }
            return .table(header: header, rows: Array(rows.dropFirst()))
        default: return nil
        }
    }

    private static func inlines(of node: OpaquePointer) -> [MarkdownInline] {
        children(of: node).compactMap { child in
            switch type(child) {
            case "text": return .text(literal(child))
            case "code": return .code(literal(child))
            case "softbreak": return .softBreak
            case "linebreak": return .lineBreak
            case "html_inline": return .html(literal(child))
            case "emph": return .emphasis(inlines(of: child))
            case "strong": return .strong(inlines(of: child))
            case "strikethrough": return .strikethrough(inlines(of: child))
            case "link": return .link(destination: cmark_node_get_url(child).map { String(cString: $0) } ?? "", inlines(of: child))
            case "image": return .image(source: cmark_node_get_url(child).map { String(cString: $0) } ?? "", alt: inlines(of: child))
            case "footnote_reference": return .footnoteReference(literal(child))
            default: return nil
            }
        }
    }
}
