import Foundation

/// GFM footnotes (`text[^label]` and a `[^label]: definition` block) in a redline. A redline
/// renders each section on its own, while a footnote's definition usually sits at the end of the
/// document, in another section: without help its reference would print as raw `[^label]` and the
/// definition would be dropped. These helpers find references and definitions in a section's
/// merged Markdown, so the definitions can go with the sections that cite them.
enum Footnotes {
    /// A `[^label]` starting at `index`: where it ends, and whether it opens a definition
    /// (`[^label]:` at the start of a line, the colon included in `end`).
    static func label(in characters: [Character], at index: Int, atLineStart: Bool) -> (end: Int, isDefinition: Bool)? {
        guard index + 3 < characters.count, characters[index] == "[", characters[index + 1] == "^" else { return nil }
        var end = index + 2
        while end < characters.count, characters[end] != "]" {
            let character = characters[end]
            if character == "[" || character.isWhitespace || end - index > 1_000 { return nil }
            end += 1
        }
        guard end < characters.count, end > index + 2 else { return nil }
        end += 1
        if atLineStart, end < characters.count, characters[end] == ":" { return (end + 1, true) }
        return (end, false)
    }

    /// The definitions in a Markdown text, each as its whole block (the `[^label]:` line and its
    /// indented continuation), keyed by label.
    static func definitions(in markdown: String) -> [String: String] {
        var definitions: [String: String] = [:]
        var current: (label: String, lines: [Substring])?
        var blankBefore = false
        func finish() {
            if let current, definitions[current.label] == nil {
                definitions[current.label] = current.lines.joined(separator: "\n")
            }
            current = nil
        }
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let characters = Array(line.drop { $0 == " " })
            if line.count - characters.count < 4, let found = label(in: characters, at: 0, atLineStart: true), found.isDefinition {
                finish()
                current = (String(characters[2..<(found.end - 2)]), [line])
                blankBefore = false
            } else if current != nil {
                let isBlank = line.allSatisfy(\.isWhitespace)
                // A definition goes on over indented lines, and over lazy lines until a blank one.
                if isBlank || line.hasPrefix("    ") || line.hasPrefix("\t") || !blankBefore {
                    current!.lines.append(line)
                    blankBefore = isBlank
                } else {
                    finish()
                }
            }
        }
        finish()
        return definitions.mapValues { $0.trimmingTrailingBlankLines() }
    }

    /// Labels cited in a Markdown text (not counting definitions), in order of first citation.
    static func references(in markdown: String) -> [String] {
        var labels: [String] = []
        var seen: Set<String> = []
        for line in markdown.split(separator: "\n") {
            let characters = Array(line)
            let indent = characters.prefix { $0 == " " }.count
            var index = 0
            while index < characters.count {
                if let found = label(in: characters, at: index, atLineStart: index == indent && indent < 4) {
                    if !found.isDefinition {
                        let label = String(characters[(index + 2)..<(found.end - 1)])
                        if seen.insert(label).inserted { labels.append(label) }
                    }
                    index = found.end
                } else {
                    index += 1
                }
            }
        }
        return labels
    }

    /// cmark-gfm names a footnote `fn-label` and its reference `fnref-label`, which would repeat
    /// on a page of several sections citing the same note: each section's get its own prefix.
    static func scopeIDs(_ html: String, prefix: String) -> String {
        guard html.contains("fnref-") || html.contains("\"fn-") else { return html }
        var out = html
        for (from, to) in [("id=\"fn-", "id=\"\(prefix)fn-"), ("href=\"#fn-", "href=\"#\(prefix)fn-"),
                           ("id=\"fnref-", "id=\"\(prefix)fnref-"), ("href=\"#fnref-", "href=\"#\(prefix)fnref-")] {
            out = out.replacingOccurrences(of: from, with: to)
        }
        return out
    }
}

private extension String {
    func trimmingTrailingBlankLines() -> String {
        var lines = split(separator: "\n", omittingEmptySubsequences: false)
        while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
        return lines.joined(separator: "\n")
    }
}
