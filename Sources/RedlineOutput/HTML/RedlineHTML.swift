import Foundation
import RedlineDiff
import RedlineMarkdown

/// Renders a ``Redline`` as HTML: every section in reading order, its text rendered from
/// Markdown with `<ins>` and `<del>` marking the changes, and a note of what happened to it.
/// The `htmlFragment` format is its ``html``; the site builds one itself, to place each
/// section on its pages with its anchor and its note in the page's language.
public struct RedlineHTML: Sendable {
    public struct Section: Sendable {
        public let change: SectionChange
        /// The `id` of the section's heading on this page.
        public let anchor: String
        /// The heading's anchor on the new version's own page (nil for a removed section).
        public let newVersionAnchor: String?
        public let html: String
    }

    public let sections: [Section]

    /// - Parameters:
    ///   - renderer: renders the merged Markdown (its raw-HTML setting applies).
    ///   - reservedAnchors: ids the page around the redline already uses; the same set the version
    ///     pages pass, so that anchors agree with theirs.
    ///   - resolveLink: applied to links in the text, as on the version pages.
    public init(_ redline: Redline, renderer: MarkdownRenderer = MarkdownRenderer(), reservedAnchors: Set<String> = [],
                resolveLink: (@Sendable (String) -> String)? = nil) {
        let newAnchors = Self.anchors(for: redline.newText, sections: redline.sections.compactMap(\.newIndex), renderer: renderer, reserved: reservedAnchors)
        let oldAnchors = Self.anchors(for: redline.oldText, sections: redline.sections.compactMap(\.oldIndex), renderer: renderer, reserved: reservedAnchors)
        var pageSlugger = AnchorSlugger(reserved: reservedAnchors)
        let bodies = redline.sections.map { MergedMarkdown.build($0.bodyOps, markers: MergedMarkdown.placeholders) }
        // Every footnote of the page, old and new, with its changes marked.
        var footnotes: [String: String] = [:]
        for body in bodies where body.contains("[^") {
            footnotes.merge(Footnotes.definitions(in: body)) { first, _ in first }
        }
        sections = zip(redline.sections, bodies).map { change, body in
            let newAnchor = change.newIndex.flatMap { newAnchors[$0] }
            let oldAnchor = change.oldIndex.flatMap { oldAnchors[$0] }
            var anchor = newAnchor ?? oldAnchor.map { "removed-\($0)" } ?? "introduction"
            anchor = pageSlugger.slug(for: anchor)
            return Section(change: change, anchor: anchor, newVersionAnchor: newAnchor,
                           html: Self.render(change, merged: body, footnotes: footnotes, anchor: anchor, renderer: renderer, resolveLink: resolveLink))
        }
    }

    public var html: String { sections.map(\.html).joined(separator: "\n") }

    // MARK: Rendering

    /// - Parameters:
    ///   - merged: the section's body as merged Markdown (``MergedMarkdown`` with placeholders).
    ///   - footnotes: the page's footnote definitions by label, as merged Markdown.
    static func render(_ change: SectionChange, merged: String, footnotes: [String: String], anchor: String, renderer: MarkdownRenderer,
                       resolveLink: (@Sendable (String) -> String)? = nil) -> String {
        // Text before the first heading has no heading to carry the anchor; its section does.
        let id = change.level == 0 ? " id=\"\(anchor)\"" : ""
        var html = "<section class=\"redline-section status-\(change.status.rawValue)\"\(id)>\n"
        if change.level > 0 {
            let level = min(6, max(2, change.level))
            let heading = headingText(MergedMarkdown.build(change.headingOps, markers: MergedMarkdown.placeholders))
            html += "<h\(level) id=\"\(anchor)\">\(replacePlaceholders(escape(heading)))</h\(level)>\n"
        }
        if let note = SectionNote.text(for: change) {
            html += "<p class=\"redline-status\"><span class=\"status-label\">\(escape(note))</span></p>\n"
        }
        let body = replacePlaceholders(renderer.html(withFootnotes(merged, footnotes), resolveLink: resolveLink))
        html += isBalanced(body) ? Footnotes.scopeIDs(body, prefix: "\(anchor)-") : plainRendering(change.bodyOps)
        return html + "</section>"
    }

    /// The section's text with the definitions of the footnotes it cites but does not hold, so
    /// they render beneath it; and the changed definitions it holds but does not cite (cmark
    /// would drop them), as paragraphs headed with their label, so the change the section counts is seen.
    static func withFootnotes(_ merged: String, _ footnotes: [String: String]) -> String {
        guard merged.contains("[^") else { return merged }
        let own = Footnotes.definitions(in: merged)
        let cited = Footnotes.references(in: merged)
        var text = merged
        for label in cited where own[label] == nil {
            if let definition = footnotes[label] { text += "\n\n" + definition }
        }
        let marks = MergedMarkdown.placeholders
        for (label, definition) in own.sorted(by: { $0.key < $1.key }) where !cited.contains(label) {
            guard definition.contains(marks.insertOpen) || definition.contains(marks.deleteOpen),
                  let colon = definition.firstIndex(of: ":") else { continue }
            text += "\n\nFootnote “\(label.htmlEscaped)”:" + definition[definition.index(after: colon)...]
        }
        return text
    }

    /// A merged heading as text: no `#`s, no underline (`===`, `---`), no emphasis or code
    /// marks, its lines joined; the change markers stay.
    static func headingText(_ merged: String) -> String {
        let marks = MergedMarkdown.placeholders
        var text = merged.replacingOccurrences(of: marks.insertOpen + marks.insertClose, with: "")
            .replacingOccurrences(of: marks.deleteOpen + marks.deleteClose, with: "")
            .filter { $0 != "*" && $0 != "`" }
        let markers: Set<Character> = [marks.insertOpen, marks.insertClose, marks.deleteOpen, marks.deleteClose].compactMap(\.first).reduce(into: []) { $0.insert($1) }
        let lines = text.split(separator: "\n").filter { line in
            let bare = line.filter { !markers.contains($0) && $0 != " " }
            return !bare.isEmpty && !bare.allSatisfy { $0 == "=" } && !(bare.count >= 2 && bare.allSatisfy { $0 == "-" })
        }
        text = lines.map { $0.trimmingCharacters(in: " #") }.joined(separator: " ")
        return text
    }

    /// Turns placeholder markers into tags in text, and drops them inside tags (an autolinked
    /// URL with a change in it must not get a tag in its `href`).
    static func replacePlaceholders(_ html: String) -> String {
        // On UTF-8 bytes: the placeholders are U+E000…U+E003, EE 80 80…83; percent-encoded in an
        // attribute, %EE%80%80…%83.
        let bytes = Array(html.utf8)
        guard bytes.contains(0xEE) || bytes.contains(UInt8(ascii: "%")) else { return html }
        let tags: [[UInt8]] = ["<ins>", "</ins>", "<del>", "</del>"].map { Array($0.utf8) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 64)
        var inTag = false
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0xEE, index + 2 < bytes.count, bytes[index + 1] == 0x80, (0x80...0x83).contains(bytes[index + 2]) {
                if !inTag { out += tags[Int(bytes[index + 2] - 0x80)] }
                index += 3
                continue
            }
            if inTag, byte == UInt8(ascii: "%"), index + 8 < bytes.count,
               bytes[(index + 1)..<(index + 8)].elementsEqual("EE%80%8".utf8), (UInt8(ascii: "0")...UInt8(ascii: "3")).contains(bytes[index + 8]) {
                index += 9
                continue
            }
            if byte == UInt8(ascii: "<") { inTag = true } else if byte == UInt8(ascii: ">") { inTag = false }
            out.append(byte)
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Every `<ins>` and `<del>` closed before the next opens, and nothing opened outside one
    /// closed inside it (a whole element inside one, such as a footnote reference, is fine).
    static func isBalanced(_ html: String) -> Bool {
        var open: String?
        var openedInside = 0
        var rest = html[...]
        while let tagStart = rest.firstIndex(of: "<") {
            rest = rest[tagStart...]
            guard let tagEnd = rest.firstIndex(of: ">") else { return open == nil }
            let tag = rest[rest.index(after: tagStart)..<tagEnd]
            let name = tag.prefix { $0 != " " && $0 != "/" || $0 == "/" && tag.first == "/" }
            switch name {
            case "ins", "del":
                if open != nil { return false }
                open = String(name)
                openedInside = 0
            case "/ins", "/del":
                if open != String(name.dropFirst()) || openedInside != 0 { return false }
                open = nil
            default:
                guard open != nil else { break }
                if name.hasPrefix("/") {
                    if openedInside == 0 { return false }
                    openedInside -= 1
                } else if !tag.hasSuffix("/") && !Self.voidElements.contains(String(name)) {
                    openedInside += 1
                }
            }
            rest = rest[rest.index(after: tagEnd)...]
        }
        return open == nil
    }

    private static let voidElements: Set<String> = ["br", "hr", "img", "input", "wbr"]

    /// The fallback when Markdown structure changed so much that merged rendering would mis-nest tags.
    static func plainRendering(_ ops: [TextOp]) -> String {
        var html = "<div class=\"redline-plain\">"
        for op in ops {
            let text = escape(op.text)
            switch op.kind {
            case .equal: html += text
            case .insert: html += "<ins>\(text)</ins>"
            case .delete: html += "<del>\(text)</del>"
            }
        }
        return html + "</div>\n"
    }

    static func escape(_ text: some StringProtocol) -> String { text.htmlEscaped }

    /// Anchors as the version page gives them: cmark's outline of the whole text, matched to the
    /// sections that have headings. Nil entries where the two disagree (setext headings).
    static func anchors(for text: String, sections: [Int], renderer: MarkdownRenderer, reserved: Set<String>) -> [Int: String] {
        let outline = renderer.outline(text, reservedAnchors: reserved)
        let withHeadings = Redline.sectionsWithHeadings(in: text)
        guard outline.count == withHeadings.count else { return [:] }
        return Dictionary(uniqueKeysWithValues: zip(withHeadings, outline.map(\.anchor)))
    }
}

private extension StringProtocol {
    func trimmingCharacters(in set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice.removeFirst() }
        while let last = slice.last, set.contains(last) { slice.removeLast() }
        return String(slice)
    }
}
