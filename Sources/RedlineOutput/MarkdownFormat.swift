import Foundation
import RedlineDiff
import RedlineMarkdown

/// `markdown`: a summary table and the changed sections with `<ins>` and `<del>`, for pull
/// requests and e-mails (GitHub renders both tags).
struct RedlineMarkdownFormat: RedlineRenderer {
    func render(_ input: RedlineInput) -> Data {
        let redline = input.redline
        var out = "| Section | Change | Words added | Words removed |\n|---|---|---|---|\n"
        for section in redline.changedSections {
            let title = section.heading.isEmpty ? "(introduction)" : Self.inert(section.heading).replacingOccurrences(of: "|", with: "\\|")
            out += "| \(title) | \(section.status.rawValue) | \(section.inserted) | \(section.deleted) |\n"
        }
        if redline.changedSections.isEmpty { out += "| (none) | unchanged | 0 | 0 |\n" }
        for change in input.frontMatter {
            out += "\n**Front matter `\(change.field)`:** \(change.old.map(Self.inert) ?? "(none)") → \(change.new.map(Self.inert) ?? "(none)")\n"
        }
        for section in redline.changedSections {
            out += "\n"
            if section.level == 0 { out += "**(Before the first heading)**\n\n" }
            if section.level > 0 {
                out += MergedMarkdown.build(section.headingOps, markers: MergedMarkdown.htmlTags)
            }
            out += MergedMarkdown.build(section.bodyOps, markers: MergedMarkdown.htmlTags)
        }
        return Data((out.hasSuffix("\n") ? out : out + "\n").utf8)
    }

    /// Plain text (a title, a summary, a heading) made inert in Markdown: a renderer that
    /// passes HTML through shows `<meta …>` as text instead of obeying it.
    static func inert(_ text: String) -> String { text.markdownInert }
}
