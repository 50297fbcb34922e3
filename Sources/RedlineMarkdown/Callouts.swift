import CCmarkGFM

/// GitHub's alert syntax: a block quote whose first line is `[!NOTE]`, `[!TIP]`, `[!IMPORTANT]`,
/// `[!WARNING]` or `[!CAUTION]` becomes a callout, an `<aside>` named by its visible title, so
/// a screen reader announces "Warning" and what follows. Written any other way (an unknown kind,
/// text after the marker on its line) it stays a block quote, as on GitHub.
public enum Callout: String, CaseIterable, Sendable {
    case note, tip, important, warning, caution

    var title: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
}

/// A `[!KIND]` that names no callout: the editor meant one, so `check` says so.
public struct UnknownCallout: Sendable, Equatable {
    public let kind: String
    /// The line the marker is on, from 1.
    public let line: Int

    public init(kind: String, line: Int) {
        self.kind = kind
        self.line = line
    }
}

extension MarkdownRenderer {
    /// Turns every alert block quote of the tree into a callout; returns the markers of unknown kinds.
    func applyCallouts(_ root: OpaquePointer) -> [UnknownCallout] {
        var unknown: [UnknownCallout] = []
        for quote in collect(root, type: CMARK_NODE_BLOCK_QUOTE) {
            guard let paragraph = cmark_node_first_child(quote), cmark_node_get_type(paragraph) == CMARK_NODE_PARAGRAPH else { continue }
            // cmark may split "[!NOTE]" into several text nodes ("[", "!NOTE]"): read them up to the line's end.
            var marker = ""
            var markerNodes: [OpaquePointer] = []
            var node = cmark_node_first_child(paragraph)
            while let current = node, cmark_node_get_type(current) == CMARK_NODE_TEXT {
                marker += cmark_node_get_literal(current).map { String(cString: $0) } ?? ""
                markerNodes.append(current)
                node = cmark_node_next(current)
            }
            let endsLine = node == nil || [CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK].contains(cmark_node_get_type(node!))
            guard endsLine, marker.hasPrefix("[!"), marker.hasSuffix("]") else { continue }
            let kind = String(marker.dropFirst(2).dropLast())
            guard !kind.isEmpty, kind.allSatisfy({ $0.isLetter }) else { continue }
            guard let callout = Callout(rawValue: kind.lowercased()) else {
                unknown.append(UnknownCallout(kind: kind, line: Int(cmark_node_get_start_line(paragraph))))
                continue
            }
            for text in markerNodes { cmark_node_free(text) }
            if let lineBreak = cmark_node_first_child(paragraph) { cmark_node_free(lineBreak) }
            if cmark_node_first_child(paragraph) == nil { cmark_node_free(paragraph) }
            guard let block = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK) else { continue }
            cmark_node_set_on_enter(block, "<aside class=\"callout callout-\(callout.rawValue)\" aria-label=\"\(callout.title)\">\n"
                                    + "<p class=\"callout-title\">\(callout.title)</p>\n")
            cmark_node_set_on_exit(block, "</aside>")
            while let child = cmark_node_first_child(quote) {
                cmark_node_unlink(child)
                cmark_node_append_child(block, child)
            }
            cmark_node_insert_before(quote, block)
            cmark_node_free(quote)
        }
        return unknown
    }
}
