import Foundation
import RedlineDiff
import RedlineMarkdown
import ZIPFoundation

/// A redline as a Word document (.docx): the new text with every change as a real tracked
/// change (`w:ins`/`w:del`, with author and date) that Word and LibreOffice let a reader accept or
/// reject, headings in Word's heading styles, lists as Word lists, tables as Word tables and
/// footnotes as Word footnotes. A first page says what changed, section by section.
public enum WordRedline {
    public enum Paper: String, Sendable, CaseIterable {
        case a4, letter

        /// Width and height in twentieths of a point, and the margin on every side.
        var size: (width: Int, height: Int, margin: Int) {
            switch self {
            case .a4: (11_906, 16_838, 1_134) // 210 × 297 mm, 2 cm margins
            case .letter: (12_240, 15_840, 1_440) // 8.5 × 11 in, 1 in margins
            }
        }
    }

    public struct Options: Sendable {
        /// The document's title: the policy's title, or a file name.
        public var title: String
        /// What the two sides are called: versions' dates or file names.
        public var oldLabel: String
        public var newLabel: String
        /// Who the tracked changes are attributed to, and when they were made.
        public var author: String
        public var date: Date
        public var paper: Paper
        /// BCP 47, for the document's spelling and hyphenation.
        public var language: String
        /// Front matter that changed, shown on the first page.
        public var fieldChanges: [FieldChange]

        public init(title: String, oldLabel: String, newLabel: String, author: String = "Redline", date: Date = Date(),
                    paper: Paper = .a4, language: String = "en", fieldChanges: [FieldChange] = []) {
            self.title = title
            self.oldLabel = oldLabel
            self.newLabel = newLabel
            self.author = author
            self.date = date
            self.paper = paper
            self.language = language
            self.fieldChanges = fieldChanges
        }
    }

    /// The .docx file's bytes.
    public static func document(_ redline: Redline, options: Options) throws -> Data {
        let date = ISO8601DateFormatter().string(from: options.date)
        let revisions = Revisions(author: options.author, date: date)
        let (width, height, margin) = options.paper.size
        var body = WordBody(revisions: revisions, textWidth: width - 2 * margin)
        body.append(MarkdownTree.parse(MergedMarkdown.build(redline.ops, markers: MergedMarkdown.placeholders)))

        let section = """
        <w:sectPr><w:headerReference w:type="default" r:id="rIdHeader"/><w:footerReference w:type="default" r:id="rIdFooter"/>\
        <w:pgSz w:w="\(width)" w:h="\(height)"/>\
        <w:pgMar w:top="\(margin)" w:right="\(margin)" w:bottom="\(margin)" w:left="\(margin)" w:header="567" w:footer="567" w:gutter="0"/>\
        </w:sectPr>
        """
        let document = WordParts.declaration + "<w:document \(WordParts.namespaces)><w:body>"
            + CoverPage.xml(redline, options: options) + body.xml + section + "</w:body></w:document>"

        let parts: [(String, String)] = [
            ("[Content_Types].xml", WordParts.contentTypes),
            ("_rels/.rels", WordParts.packageRelationships),
            ("docProps/core.xml", WordParts.coreProperties(title: options.title, author: options.author, date: date)),
            ("word/document.xml", document),
            ("word/_rels/document.xml.rels", WordParts.documentRelationships(links: body.links)),
            ("word/styles.xml", WordParts.styles(language: options.language)),
            ("word/numbering.xml", WordParts.numbering(orderedLists: body.orderedLists)),
            ("word/settings.xml", WordParts.settings),
            ("word/footnotes.xml", WordParts.footnotes(body.footnotes)),
            ("word/header1.xml", WordParts.header("Redline: \(options.oldLabel) → \(options.newLabel)")),
            ("word/footer1.xml", WordParts.footer(title: options.title)),
        ]
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: options.date,
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
