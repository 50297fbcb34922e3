import Foundation

/// The first page of a Word redline: the document, the two versions, who prepared it and when,
/// how to read it, what changed in the front matter and a table of the sections that changed.
/// None of it is a tracked change: it describes the redline, it is not part of the text.
enum CoverPage {
    static func xml(_ input: RedlineInput) -> String {
        let redline = input.redline
        var xml = paragraph(input.title, style: "Title")
        xml += paragraph("Redline: \(input.oldLabel) → \(input.newLabel)", style: "Subtitle")
        let day = String(ISO8601DateFormatter().string(from: input.date).prefix(10))
        let changed = redline.changedSections.count
        xml += paragraph("Prepared by \(input.author) on \(day). \(redline.inserted) \(words(redline.inserted)) inserted, "
                         + "\(redline.deleted) deleted; \(changed) of \(redline.sections.count) sections changed.")
        xml += paragraph("Every change below is a tracked change: insertions are underlined, deletions struck through, "
                         + "and each can be accepted or rejected in the word processor's review tools. "
                         + "Text that moved shows as deleted where it was and inserted where it is.")
        for change in input.frontMatter {
            xml += paragraph("\(change.field): \(change.old ?? "(none)") → \(change.new ?? "(none)")")
        }
        if changed > 0 {
            xml += paragraph("Sections changed", style: "Heading2")
            xml += table(redline.changedSections.map { section in
                [section.heading.isEmpty ? "(before the first heading)" : section.heading, SectionNote.text(for: section) ?? ""]
            }, header: ["Section", "What changed"], paper: input.paper)
        }
        return xml + "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>"
    }

    private static func words(_ count: Int) -> String { count == 1 ? "word" : "words" }

    private static func paragraph(_ text: String, style: String? = nil, bold: Bool = false) -> String {
        let properties = style.map { "<w:pPr><w:pStyle w:val=\"\($0)\"/></w:pPr>" } ?? ""
        var runStyle = RunStyle()
        runStyle.bold = bold
        return "<w:p>\(properties)\(Run.plain(text, style: runStyle).xml())</w:p>"
    }

    private static func table(_ rows: [[String]], header: [String], paper: RedlineInput.Paper) -> String {
        let (width, _, margin) = paper.size
        let first = (width - 2 * margin) * 2 / 5, second = (width - 2 * margin) - first
        var xml = "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"\(first + second)\" w:type=\"dxa\"/></w:tblPr>"
        xml += "<w:tblGrid><w:gridCol w:w=\"\(first)\"/><w:gridCol w:w=\"\(second)\"/></w:tblGrid>"
        for (index, row) in ([header] + rows).enumerated() {
            xml += "<w:tr>" + (index == 0 ? "<w:trPr><w:tblHeader/></w:trPr>" : "")
            for (column, cell) in row.enumerated() {
                xml += "<w:tc><w:tcPr><w:tcW w:w=\"\(column == 0 ? first : second)\" w:type=\"dxa\"/></w:tcPr>"
                xml += paragraph(cell, bold: index == 0) + "</w:tc>"
            }
            xml += "</w:tr>"
        }
        return xml + "</w:tbl>"
    }
}
