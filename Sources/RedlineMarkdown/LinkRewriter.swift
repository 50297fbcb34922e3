import Foundation

/// The Markdown of a page exactly as its author wrote it, but with every link and image
/// destination resolved (`../cookies/` → `https://legal.example.com/cookies/`): the page's twin
/// for people and programs that read Markdown, which must mean the same wherever it is read.
///
/// cmark decides what is a link (the render's links say which); only those destinations are rewritten, in inline links,
/// images and reference definitions, and never inside fenced code. Everything else (callouts,
/// footnotes, tables, spacing) stays byte for byte.
extension MarkdownRenderer {
    /// `markdown` with each destination in `resolved` (written → target) replaced, as a render's
    /// ``RenderedMarkdown/links`` gives them, so nothing is parsed twice. It works on the UTF-8
    /// bytes (every delimiter it looks for is ASCII), since a build does this for every page.
    public static func rewritingLinks(in markdown: String, _ resolved: [String: String]) -> String {
        guard !resolved.isEmpty else { return markdown }
        var targets: [[UInt8]: [UInt8]] = [:]
        for (written, target) in resolved { targets[Array(written.utf8)] = Array(target.utf8) }
        let bytes = Array(markdown.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 512)
        var fence: ArraySlice<UInt8>?
        var start = 0
        while start <= bytes.count {
            let end = bytes[start...].firstIndex(of: Byte.newline) ?? bytes.count
            let line = bytes[start..<end]
            let trimmed = line.drop { $0 == Byte.space }
            if let open = fence {
                if trimmed.starts(with: open) { fence = nil }
                out += line
            } else if trimmed.starts(with: Byte.backtickFence) || trimmed.starts(with: Byte.tildeFence) {
                fence = trimmed.prefix(3)
                out += line
            } else if line.contains(Byte.closingBracket) {
                rewrite(line, targets, into: &out)
            } else {
                out += line
            }
            if end < bytes.count { out.append(Byte.newline) }
            start = end + 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `](dest` of inline links and images, and `]: dest` of reference definitions, in one line;
    /// code spans are copied as they are.
    static func rewrite(_ line: ArraySlice<UInt8>, _ targets: [[UInt8]: [UInt8]], into out: inout [UInt8]) {
        var index = line.startIndex
        let end = line.endIndex
        while index < end {
            let byte = line[index]
            if byte == Byte.backtick {
                // A code span ends at the next run of exactly as many backquotes.
                let runEnd = line[index...].firstIndex { $0 != Byte.backtick } ?? end
                let length = runEnd - index
                var scan = runEnd, closing: Int?
                while scan < end {
                    guard line[scan] == Byte.backtick else { scan += 1; continue }
                    let other = line[scan...].firstIndex { $0 != Byte.backtick } ?? end
                    if other - scan == length { closing = other; break }
                    scan = other
                }
                let stop = closing ?? runEnd
                out += line[index..<stop]
                index = stop
                continue
            }
            out.append(byte)
            index += 1
            guard byte == Byte.closingBracket else { continue }
            var opener = 0
            if index < end && line[index] == Byte.openingParenthesis {
                opener = 1
            } else if index + 1 < end && line[index] == Byte.colon && (line[index + 1] == Byte.space || line[index + 1] == Byte.tab) {
                opener = 2
            }
            guard opener > 0 else { continue }
            out += line[index..<index + opener]
            index += opener
            while index < end && (line[index] == Byte.space || line[index] == Byte.tab) { out.append(line[index]); index += 1 }
            let angled = index < end && line[index] == Byte.lessThan
            let tokenStart = angled ? index + 1 : index
            var tokenEnd = tokenStart
            while tokenEnd < end && (angled ? line[tokenEnd] != Byte.greaterThan
                                             : line[tokenEnd] > Byte.space && line[tokenEnd] != Byte.closingParenthesis) { tokenEnd += 1 }
            let token = Array(line[tokenStart..<tokenEnd])
            // cmark's destination is the written one less its backslash escapes, which links seldom have.
            guard let target = targets[token] ?? targets[token.filter { $0 != Byte.backslash }] else { continue }
            if angled { out.append(Byte.lessThan) }
            out += target
            index = tokenEnd
        }
    }
}

private enum Byte {
    static let newline = UInt8(ascii: "\n"), space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), backtick = UInt8(ascii: "`")
    static let closingBracket = UInt8(ascii: "]"), openingParenthesis = UInt8(ascii: "("), closingParenthesis = UInt8(ascii: ")")
    static let colon = UInt8(ascii: ":"), lessThan = UInt8(ascii: "<"), greaterThan = UInt8(ascii: ">"), backslash = UInt8(ascii: "\\")
    static let backtickFence = Array("```".utf8), tildeFence = Array("~~~".utf8)
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
