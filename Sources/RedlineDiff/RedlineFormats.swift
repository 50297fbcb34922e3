import Foundation

/// A front matter field whose value changed between the two files.
public struct FieldChange: Sendable, Codable, Equatable {
    public let field: String
    public let old: String?
    public let new: String?

    public init(field: String, old: String?, new: String?) {
        self.field = field
        self.old = old
        self.new = new
    }
}

/// `redline diff --format text`: changed sections only, as a word diff; coloured on a terminal,
/// with git's `[-deleted-]{+inserted+}` markers otherwise.
public enum RedlineTextFormat {
    public static func render(_ redline: Redline, frontMatter: [FieldChange] = [], colour: Bool) -> String {
        let (bold, reset, red, green, dim) = colour
            ? ("\u{1B}[1m", "\u{1B}[0m", "\u{1B}[9;31m", "\u{1B}[4;32m", "\u{1B}[2m") : ("", "", "", "", "")
        var out = ""
        for change in frontMatter {
            out += "\(bold)front matter \(change.field):\(reset) \(change.old ?? "(none)") → \(change.new ?? "(none)")\n"
        }
        if !frontMatter.isEmpty { out += "\n" }
        for section in redline.changedSections {
            let title = section.heading.isEmpty ? "(before the first heading)" : section.heading
            let note = RedlineHTML.note(for: section)?.replacingOccurrences(of: "“", with: "\"").replacingOccurrences(of: "”", with: "\"") ?? ""
            out += "\(bold)@@ \(title) @@\(reset) \(dim)\(note)\(reset)\n"
            for op in section.ops {
                switch op.kind {
                case .equal: out += op.text
                case .delete: out += colour ? wrapLines(op.text, red, reset) : "[-\(op.text)-]"
                case .insert: out += colour ? wrapLines(op.text, green, reset) : "{+\(op.text)+}"
                }
            }
            if !out.hasSuffix("\n") { out += "\n" }
            out += "\n"
        }
        let changed = redline.changedSections.count
        out += "\(changed) section\(changed == 1 ? "" : "s") changed: \(redline.inserted) words inserted, \(redline.deleted) deleted"
        out += redline.isCoarse ? " (some passages compared as whole blocks)\n" : "\n"
        return out
    }

    /// Colour codes reset at each line end so a terminal's scrollback is not left coloured.
    private static func wrapLines(_ text: String, _ start: String, _ reset: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : start + $0 + reset }.joined(separator: "\n")
    }
}

/// `redline diff --format json`: a stable, documented format (see README, "redline diff").
public enum RedlineJSONFormat {
    public static let format = "redline-diff/1"

    struct Document: Codable {
        struct Stats: Codable {
            let inserted: Int, deleted: Int, sectionsChanged: Int, coarse: Bool
        }
        struct Section: Codable {
            let heading: String
            let previousHeading: String?
            let level: Int
            let status: String
            let inserted: Int
            let deleted: Int
        }
        let format: String
        let stats: Stats
        let frontMatter: [FieldChange]
        let sections: [Section]
        let ops: [TextOp]
    }

    public static func render(_ redline: Redline, frontMatter: [FieldChange] = []) throws -> String {
        let document = Document(
            format: format,
            stats: .init(inserted: redline.inserted, deleted: redline.deleted,
                         sectionsChanged: redline.changedSections.count, coarse: redline.isCoarse),
            frontMatter: frontMatter,
            sections: redline.sections.map {
                .init(heading: $0.heading, previousHeading: $0.previousHeading, level: $0.level, status: $0.status.rawValue,
                      inserted: $0.inserted, deleted: $0.deleted)
            },
            ops: redline.ops)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }
}

/// `redline diff --format markdown`: a summary table and the changed sections with `<ins>` and
/// `<del>`, for pull requests and e-mails (GitHub renders both tags).
public enum RedlineMarkdownFormat {
    public static func render(_ redline: Redline, frontMatter: [FieldChange] = []) -> String {
        var out = "| Section | Change | Words added | Words removed |\n|---|---|---|---|\n"
        for section in redline.changedSections {
            let title = section.heading.isEmpty ? "(introduction)" : inert(section.heading).replacingOccurrences(of: "|", with: "\\|")
            out += "| \(title) | \(section.status.rawValue) | \(section.inserted) | \(section.deleted) |\n"
        }
        if redline.changedSections.isEmpty { out += "| (none) | unchanged | 0 | 0 |\n" }
        for change in frontMatter {
            out += "\n**Front matter `\(change.field)`:** \(change.old.map(inert) ?? "(none)") → \(change.new.map(inert) ?? "(none)")\n"
        }
        for section in redline.changedSections {
            out += "\n"
            if section.level == 0 { out += "**(Before the first heading)**\n\n" }
            if section.level > 0 {
                out += MergedMarkdown.build(section.headingOps, markers: MergedMarkdown.htmlTags)
            }
            out += MergedMarkdown.build(section.bodyOps, markers: MergedMarkdown.htmlTags)
        }
        return out.hasSuffix("\n") ? out : out + "\n"
    }

    /// Plain text (a title, a summary, a heading) made inert in Markdown: a renderer that
    /// passes HTML through shows `<meta …>` as text instead of obeying it.
    static func inert(_ text: String) -> String {
        var out = ""
        for character in text {
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
