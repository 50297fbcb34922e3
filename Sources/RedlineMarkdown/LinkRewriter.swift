import CCmarkGFM
import Foundation

/// The Markdown of a page exactly as its author wrote it, but with every link and image
/// destination resolved (`../cookies/` → `https://legal.example.com/cookies/`): the page's twin
/// for people and programs that read Markdown, which must mean the same wherever it is read.
///
/// cmark decides what is a link; only destinations it parsed are rewritten, in inline links,
/// images and reference definitions, and never inside fenced code. Everything else (callouts,
/// footnotes, tables, spacing) stays byte for byte.
extension MarkdownRenderer {
    public func resolvingLinks(in markdown: String, _ resolveLink: @Sendable (String) -> String) -> String {
        var resolved: [String: String] = [:]
        Self.withTree(markdown, options: 0) { root, _ in
            for type in [CMARK_NODE_LINK, CMARK_NODE_IMAGE] {
                for node in collect(root, type: type) {
                    guard let url = cmark_node_get_url(node) else { continue }
                    let written = String(cString: url)
                    let target = resolveLink(written)
                    if target != written { resolved[written] = target }
                }
            }
        }
        return Self.rewritingLinks(in: markdown, resolved)
    }

    /// The same rewrite with the destinations already known (written → target), as a render's
    /// ``RenderedMarkdown/links`` gives them: no second parse.
    public static func rewritingLinks(in markdown: String, _ resolved: [String: String]) -> String {
        guard !resolved.isEmpty else { return markdown }
        var out: [Substring] = []
        var fence: Substring?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            if let open = fence {
                if trimmed.hasPrefix(open) { fence = nil }
                out.append(line)
                continue
            }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                fence = trimmed.prefix(3)
                out.append(line)
                continue
            }
            out.append(Substring(Self.rewrite(line, resolved)))
        }
        return out.joined(separator: "\n")
    }

    /// `](dest` of inline links and images, and `]: dest` of reference definitions, in one line;
    /// code spans are copied as they are.
    static func rewrite(_ line: Substring, _ resolved: [String: String]) -> String {
        var result = ""
        var rest = line[...]
        while let special = rest.firstIndex(where: { $0 == "]" || $0 == "`" }) {
            result += rest[..<special]
            rest = rest[special...]
            if rest.first == "`" {
                let run = rest.prefix { $0 == "`" }
                let after = rest.dropFirst(run.count)
                // A code span ends at the next run of exactly as many backticks.
                var end = after.startIndex
                var closing: Substring.Index?
                while let next = after[end...].range(of: run)?.upperBound {
                    if next == after.endIndex || after[next] != "`" { closing = next; break }
                    end = after[next...].firstIndex { $0 != "`" } ?? after.endIndex
                }
                let span = closing.map { rest[..<$0] } ?? run
                result += span
                rest = rest.dropFirst(span.count)
                continue
            }
            result += "]"
            rest = rest.dropFirst()
            let opener: Substring
            if rest.hasPrefix("(") { opener = "(" } else if rest.hasPrefix(": ") || rest.hasPrefix(":\t") { opener = rest.prefix(2) } else { continue }
            result += opener
            rest = rest.dropFirst(opener.count)
            let spaces = rest.prefix { $0 == " " || $0 == "\t" }
            result += spaces
            rest = rest.dropFirst(spaces.count)
            let angled = rest.hasPrefix("<")
            let token = angled ? rest.dropFirst().prefix { $0 != ">" } : rest.prefix { !$0.isWhitespace && $0 != ")" }
            // cmark's destination is the written one less its backslash escapes, which links seldom have.
            if let target = resolved[String(token)] ?? resolved[String(token).replacingOccurrences(of: "\\", with: "")] {
                result += angled ? "<" + target : target
                rest = rest.dropFirst(token.count + (angled ? 1 : 0))
            }
        }
        return result + rest
    }
}

extension StringProtocol {
    /// Plain text (a title, a summary) that opens no HTML tag where Markdown is read, and otherwise
    /// reads as written (`Legal & Developers` stays so): for files people and models read as text.
    public var markdownTagFree: String { replacingOccurrences(of: "<", with: "&lt;") }

    /// Plain text (a title, a summary) made inert where Markdown is read: a renderer that passes
    /// HTML through shows `<meta …>` as text instead of obeying it.
    public var markdownInert: String {
        var out = ""
        for character in self {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(character)
            }
        }
        return out
    }
}
