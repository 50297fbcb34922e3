import CCmarkGFM
import RedlineManifest
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Renders GitHub Flavored Markdown to HTML with cmark-gfm.
///
/// This file and ``MarkdownTree`` are the only ones in Redline that talk to cmark. It enables the GFM extensions
/// (table, strikethrough, autolink, tagfilter, tasklist) and footnotes, gives every
/// heading a unique anchor and collects the outline in the same pass.
///
/// Safe to use from many threads at once: every call owns its own parser and tree.
public struct MarkdownRenderer: Sendable {
    /// When false (the default), raw HTML in Markdown is replaced by a comment.
    public var allowRawHTML: Bool
    /// Highlights fenced code blocks that name their language; nil leaves them plain.
    public var highlighter: (any CodeHighlighting)?

    public init(allowRawHTML: Bool = false, highlighter: (any CodeHighlighting)? = nil) {
        self.allowRawHTML = allowRawHTML
        self.highlighter = highlighter
    }

    private static let extensionNames = ["table", "strikethrough", "autolink", "tagfilter", "tasklist"]

    // Registration mutates a global list in the C library; do it exactly once.
    private static let registerExtensions: Void = {
        cmark_gfm_core_extensions_ensure_registered()
    }()

    private var options: Int32 {
        var options = CMARK_OPT_FOOTNOTES | CMARK_OPT_VALIDATE_UTF8
        if allowRawHTML { options |= CMARK_OPT_UNSAFE }
        return options
    }

    /// Calls `body` with the document tree of `markdown` (GFM extensions attached) and its
    /// parser, which the HTML renderer needs for the extensions; both are freed afterwards.
    static func withTree<Result>(_ markdown: String, options: Int32, _ body: (_ root: OpaquePointer, _ parser: OpaquePointer) -> Result) -> Result {
        _ = registerExtensions
        guard let parser = cmark_parser_new(options) else { fatalError("cmark_parser_new failed: out of memory") }
        defer { cmark_parser_free(parser) }
        for name in extensionNames {
            if let ext = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, ext)
            }
        }
        markdown.utf8CString.withUnsafeBufferPointer { buffer in
            cmark_parser_feed(parser, buffer.baseAddress, buffer.count - 1)
        }
        guard let root = cmark_parser_finish(parser) else { fatalError("cmark_parser_finish failed") }
        defer { cmark_node_free(root) }
        return body(root, parser)
    }

    /// - Parameters:
    ///   - reservedAnchors: ids the page already uses, which headings must not take.
    ///   - resolveLink: rewrites the destination of every link and image (for example to make
    ///     relative links work wherever the page is published); nil keeps them as written.
    public func render(_ markdown: String, reservedAnchors: Set<String> = [],
                       resolveLink: (@Sendable (String) -> String)? = nil) -> RenderedMarkdown {
        Self.withTree(markdown, options: options) { root, parser in
            render(root, parser: parser, markdown: markdown, reservedAnchors: reservedAnchors, resolveLink: resolveLink)
        }
    }

    /// Only the HTML, with links resolved: no anchors, outline, text or link lines, which a
    /// redline's many small renderings do not use.
    public func html(_ markdown: String, resolveLink: (@Sendable (String) -> String)? = nil) -> String {
        Self.withTree(markdown, options: options) { root, parser in
            _ = applyCallouts(root)
            if resolveLink != nil { _ = resolveLinks(root, resolveLink) }
            return html(root, parser: parser)
        }
    }

    /// Every link and image, in document order, with its destination as written and as resolved
    /// (and set on the node, when `resolveLink` changed it).
    private func resolveLinks(_ root: OpaquePointer, _ resolveLink: (@Sendable (String) -> String)?)
        -> [(node: OpaquePointer, isImage: Bool, written: String, resolved: String)] {
        let nodes = collect(root, type: CMARK_NODE_LINK).map { ($0, false) } + collect(root, type: CMARK_NODE_IMAGE).map { ($0, true) }
        return nodes.compactMap { node, isImage in
            guard let url = cmark_node_get_url(node) else { return nil }
            let original = String(cString: url)
            let resolved = resolveLink?(original) ?? original
            if resolved != original { cmark_node_set_url(node, resolved) }
            return (node, isImage, original, resolved)
        }
    }

    private func html(_ root: OpaquePointer, parser: OpaquePointer) -> String {
        let extensions = cmark_parser_get_syntax_extensions(parser)
        guard let cString = cmark_render_html(root, options, extensions) else { fatalError("cmark_render_html failed") }
        defer { free(cString) }
        return String(cString: cString)
    }

    /// Only the outline: the headings and the anchors ``render(_:reservedAnchors:resolveLink:)`` gives them.
    public func outline(_ markdown: String, reservedAnchors: Set<String> = []) -> [Heading] {
        Self.withTree(markdown, options: options) { root, _ in
            let headings = collect(root, type: CMARK_NODE_HEADING)
            let shift = headings.contains { cmark_node_get_heading_level($0) == 1 } ? 1 : 0
            var slugger = AnchorSlugger(reserved: reservedAnchors)
            return headings.map { node in
                let text = plainText(of: node).text.trimmingSpaces()
                return Heading(level: min(6, Int(cmark_node_get_heading_level(node)) + shift), text: text, anchor: slugger.slug(for: text))
            }
        }
    }

    private func render(_ root: OpaquePointer, parser: OpaquePointer, markdown: String, reservedAnchors: Set<String>,
                        resolveLink: (@Sendable (String) -> String)?) -> RenderedMarkdown {

        // Callouts first, so that their `[!NOTE]` markers are in neither the text nor the HTML.
        let unknownCallouts = applyCallouts(root)
        let headings = collect(root, type: CMARK_NODE_HEADING)
        // Read before headings and code blocks become custom blocks, which the walk could not tell apart.
        let (text, sectionTexts) = plainText(of: root)
        let codeBlocks = renderCodeBlocks(root)
        // A body that uses `#` would compete with the page title for the one <h1>.
        let shift = headings.contains { cmark_node_get_heading_level($0) == 1 } ? 1 : 0
        var slugger = AnchorSlugger(reserved: reservedAnchors)
        var outline: [Heading] = []
        for node in headings {
            let level = min(6, Int(cmark_node_get_heading_level(node)) + shift)
            let text = plainText(of: node).text.trimmingSpaces()
            let anchor = slugger.slug(for: text)
            outline.append(Heading(level: level, text: text, anchor: anchor))
            replaceWithAnchoredHeading(node, level: level, anchor: anchor)
        }

        var links: [LinkReference] = []
        let bodyLines = markdown.split(separator: "\n", omittingEmptySubsequences: false)
        for link in resolveLinks(root, resolveLink) {
            links.append(LinkReference(destination: link.resolved, written: link.written,
                                       line: line(of: link.node, writing: link.written, in: bodyLines), isImage: link.isImage))
        }
        links.sort { $0.line < $1.line }

        let sections = sectionTexts.enumerated().map { index, text in
            TextSection(heading: index == 0 ? nil : outline[index - 1], text: text)
        }
        return RenderedMarkdown(html: html(root, parser: parser), outline: outline, plainText: text, sections: sections, links: links,
                                unknownCallouts: unknownCallouts, unknownCodeLanguages: codeBlocks.unknownLanguages,
                                hasCodeTabs: codeBlocks.hasTabs)
    }

    /// The body line a link is written on: cmark gives positions to blocks, not to every
    /// inline, so this finds the block and then the line in it that holds the destination.
    private func line(of node: OpaquePointer, writing destination: String, in lines: [Substring]) -> Int {
        var block: OpaquePointer? = node
        while let current = block, cmark_node_get_start_line(current) <= 0 { block = cmark_node_parent(current) }
        guard let block else { return 1 }
        let first = Int(cmark_node_get_start_line(block))
        let last = max(first, Int(cmark_node_get_end_line(block)))
        for number in first...last where number - 1 < lines.count && lines[number - 1].contains(destination) {
            return number
        }
        return first
    }

    /// Every node of one type, in document order. Collected before any change to the tree,
    /// because cmark's iterator must not see nodes move under it.
    func collect(_ root: OpaquePointer, type: cmark_node_type) -> [OpaquePointer] {
        var nodes: [OpaquePointer] = []
        let iterator = cmark_iter_new(root)
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            if cmark_node_get_type(node) == type { nodes.append(node) }
        }
        return nodes
    }

    /// cmark's HTML renderer cannot put an `id` on a heading, so the heading becomes a
    /// custom block that prints its own opening and closing tags around the same inlines.
    private func replaceWithAnchoredHeading(_ heading: OpaquePointer, level: Int, anchor: String) {
        guard let block = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK) else { return }
        cmark_node_set_on_enter(block, "<h\(level) id=\"\(anchor.htmlEscaped)\">")
        cmark_node_set_on_exit(block, "</h\(level)>")
        while let child = cmark_node_first_child(heading) {
            cmark_node_unlink(child)
            cmark_node_append_child(block, child)
        }
        cmark_node_insert_before(heading, block)
        cmark_node_unlink(heading)
        cmark_node_free(heading)
    }

    /// The text of `root`, one line per block, and the same text cut at every heading (the
    /// headings' own words go to the whole text only).
    private func plainText(of root: OpaquePointer) -> (text: String, sections: [String]) {
        var text = ""
        var sections = [""]
        var headingDepth = 0
        func append(_ piece: String) {
            text += piece
            if headingDepth == 0 { sections[sections.count - 1] += piece }
        }
        let iterator = cmark_iter_new(root)
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard let node = cmark_iter_get_node(iterator) else { continue }
            let type = cmark_node_get_type(node)
            if event == CMARK_EVENT_ENTER {
                switch type {
                case CMARK_NODE_HEADING:
                    if node != root { sections.append("") }
                    headingDepth += 1
                case CMARK_NODE_TEXT, CMARK_NODE_CODE, CMARK_NODE_CODE_BLOCK:
                    if let literal = cmark_node_get_literal(node) { append(String(cString: literal)) }
                case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                    append(" ")
                default:
                    break
                }
            } else if event == CMARK_EVENT_EXIT, (Int32(type.rawValue) & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK {
                if type == CMARK_NODE_HEADING { headingDepth -= 1 }
                if !text.hasSuffix("\n") { text += "\n" }
                if headingDepth == 0, let last = sections.last, !last.isEmpty, !last.hasSuffix("\n") { sections[sections.count - 1] += "\n" }
            }
        }
        return (text, sections)
    }
}

extension StringProtocol {
    /// Safe in HTML text and in double-quoted attributes (and in XML).
    public var htmlEscaped: String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for character in self {
            switch character {
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(character)
            }
        }
        return out
    }
}
