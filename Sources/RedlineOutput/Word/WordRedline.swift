import Foundation
import RedlineMarkdown
import ZIPFoundation

/// A redline as a Word document (.docx): the new text with every change as a real tracked
/// change (`w:ins`/`w:del`, with author and date) that Word and LibreOffice let a reader accept or
/// reject, headings in Word's heading styles, lists as Word lists, tables as Word tables and
/// footnotes as Word footnotes. A first page says what changed, section by section.
struct WordRedline: RedlineRenderer {
    /// The .docx file's bytes.
    func render(_ input: RedlineInput) throws -> Data {
        let date = ISO8601DateFormatter().string(from: input.date)
        let revisions = Revisions(author: input.author, date: date)
        let (width, height, margin) = input.paper.size
        var body = WordBody(revisions: revisions, textWidth: width - 2 * margin)
        body.append(MarkdownTree.parse(MergedMarkdown.build(input.redline.ops, markers: MergedMarkdown.placeholders)))

        let section = """
        <w:sectPr><w:headerReference w:type="default" r:id="rIdHeader"/><w:footerReference w:type="default" r:id="rIdFooter"/>\
        <w:pgSz w:w="\(width)" w:h="\(height)"/>\
        <w:pgMar w:top="\(margin)" w:right="\(margin)" w:bottom="\(margin)" w:left="\(margin)" w:header="567" w:footer="567" w:gutter="0"/>\
        </w:sectPr>
        """
        let document = WordParts.declaration + "<w:document \(WordParts.namespaces)><w:body>"
            + CoverPage.xml(input) + body.xml + section + "</w:body></w:document>"

        let parts: [(String, String)] = [
            ("[Content_Types].xml", WordParts.contentTypes),
            ("_rels/.rels", WordParts.packageRelationships),
            ("docProps/core.xml", WordParts.coreProperties(title: input.title, author: input.author, date: date)),
            ("word/document.xml", document),
            ("word/_rels/document.xml.rels", WordParts.documentRelationships(links: body.links)),
            ("word/styles.xml", WordParts.styles(language: input.language)),
            ("word/numbering.xml", WordParts.numbering(orderedLists: body.orderedLists)),
            ("word/settings.xml", WordParts.settings),
            ("word/footnotes.xml", WordParts.footnotes(body.footnotes)),
            ("word/header1.xml", WordParts.header("Redline: \(input.oldLabel) → \(input.newLabel)")),
            ("word/footer1.xml", WordParts.footer(title: input.title)),
        ]
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: input.date,
                                 compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<(Int(position) + size))
            }
        }
        guard let bytes = archive.data else { throw WordRedlineError.emptyArchive }
        return bytes
    }
}

enum WordRedlineError: Error, CustomStringConvertible {
    case emptyArchive

    var description: String { "the Word document could not be assembled" }
}

extension RedlineInput.Paper {
    /// Width and height in twentieths of a point, and the margin on every side.
    var size: (width: Int, height: Int, margin: Int) {
        switch self {
        case .a4: (11_906, 16_838, 1_134) // 210 × 297 mm, 2 cm margins
        case .letter: (12_240, 15_840, 1_440) // 8.5 × 11 in, 1 in margins
        }
    }
}
