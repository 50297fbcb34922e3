import Foundation
import RedlineDiff

/// `text`: changed sections only, as a word diff; coloured on a terminal, with git's
/// `[-deleted-]{+inserted+}` markers otherwise.
struct RedlineTextFormat: RedlineRenderer {
    let colour: Bool

    func render(_ input: RedlineInput) -> Data {
        let redline = input.redline
        let (bold, reset, dim) = colour ? ("\u{1B}[1m", "\u{1B}[0m", "\u{1B}[2m") : ("", "", "")
        var out = ""
        for change in input.frontMatter {
            out += "\(bold)front matter \(change.field):\(reset) \(change.old ?? "(none)") → \(change.new ?? "(none)")\n"
        }
        if !input.frontMatter.isEmpty { out += "\n" }
        for section in redline.changedSections {
            let title = section.heading.isEmpty ? "(before the first heading)" : section.heading
            let note = SectionNote.text(for: section)?.replacingOccurrences(of: "“", with: "\"").replacingOccurrences(of: "”", with: "\"") ?? ""
            out += "\(bold)@@ \(title) @@\(reset) \(dim)\(note)\(reset)\n"
            for op in section.ops { out += marked(op) }
            if !out.hasSuffix("\n") { out += "\n" }
            out += "\n"
        }
        let changed = redline.changedSections.count
        out += "\(changed) section\(changed == 1 ? "" : "s") changed: \(redline.inserted) words inserted, \(redline.deleted) deleted"
        out += redline.isCoarse ? " (some passages compared as whole blocks)\n" : "\n"
        return Data(out.utf8)
    }

    private func marked(_ op: TextOp) -> String {
        let (reset, red, green) = ("\u{1B}[0m", "\u{1B}[9;31m", "\u{1B}[4;32m")
        switch op.kind {
        case .equal: return op.text
        case .delete: return colour ? wrapLines(op.text, red, reset) : "[-\(op.text)-]"
        case .insert: return colour ? wrapLines(op.text, green, reset) : "{+\(op.text)+}"
        }
    }

    /// Colour codes reset at each line end so a terminal's scrollback is not left coloured.
    private func wrapLines(_ text: String, _ start: String, _ reset: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : start + $0 + reset }.joined(separator: "\n")
    }
}
