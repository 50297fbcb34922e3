import Foundation
import RedlineMarkdown

/// The body of the Word document: a Markdown tree whose text carries the redline's insert and
/// delete placeholders, as paragraphs, Word lists and tables with tracked changes.
struct WordBody {
    let revisions: Revisions
    /// The width of the text column, in twentieths of a point, for table columns.
    let textWidth: Int
    private(set) var xml = ""
    /// External link targets, by relationship id.
    private(set) var links: [(id: String, target: String)] = []
    /// One numbering instance per ordered list (each starts anew); bullet lists share `1`.
    private(set) var orderedLists: [(numID: Int, start: Int)] = []
    /// Footnote label → Word footnote id, in order of first citation.
    private(set) var footnoteIDs: [String: Int] = [:]
    /// The footnotes' own paragraphs, by id.
    private(set) var footnotes: [(id: Int, xml: String)] = []

    private var mark = Mark.none

    static let bulletNumID = 1

    init(revisions: Revisions, textWidth: Int) {
        self.revisions = revisions
        self.textWidth = textWidth
    }

    struct Context {
        var paragraphStyle: String?
        /// Nesting of lists: 0 outside any list.
        var listDepth = 0
        /// The numbering of the paragraph that opens a list item (consumed by it).
        var numbering: (numID: Int, level: Int)?
    }

    mutating func append(_ blocks: [MarkdownBlock]) {
        var context = Context()
        append(blocks, context: &context)
        for case .footnote(let label, let content) in blocks {
            guard let id = footnoteIDs[label] else { continue }
            // A note is written on its own, with the links and lists numbered so far.
            var inner = WordBody(revisions: revisions, textWidth: textWidth)
            inner.footnoteIDs = footnoteIDs
            inner.links = links
            inner.orderedLists = orderedLists
            var noteContext = Context(paragraphStyle: "FootnoteText")
            inner.append(content, context: &noteContext, footnoteID: id)
            links = inner.links
            orderedLists = inner.orderedLists
            footnotes.append((id, inner.xml))
        }
    }

    private mutating func append(_ blocks: [MarkdownBlock], context: inout Context, footnoteID: Int? = nil) {
        for (index, block) in blocks.enumerated() {
            let noteMark = index == 0 ? footnoteID : nil
            switch block {
            case .heading(let level, let inlines):
                paragraph(inlines, style: "Heading\(min(6, max(1, level)))", context: &context)
            case .paragraph(let inlines):
                paragraph(inlines, style: context.paragraphStyle, context: &context, footnoteMark: noteMark)
            case .list(let ordered, let start, let items):
                let numID: Int
                if ordered {
                    numID = 2 + orderedLists.count
                    orderedLists.append((numID, start))
                } else {
                    numID = Self.bulletNumID
                }
                for item in items {
                    var inner = context
                    inner.listDepth += 1
                    inner.numbering = (numID, min(8, context.listDepth))
                    append(item, context: &inner)
                }
            case .quote(let content):
                var inner = context
                inner.paragraphStyle = "Quote"
                append(content, context: &inner)
            case .code(let literal):
                var lines = literal.split(separator: "\n", omittingEmptySubsequences: false)
                if lines.last?.isEmpty == true { lines.removeLast() }
                for line in lines {
                    paragraph([.text(String(line))], style: "Code", context: &context, keepMarks: true)
                }
            case .html(let literal):
                // A comment is invisible on the site too; other raw HTML is shown as written.
                let text = literal.trimmingCharacters(in: CharacterSet(charactersIn: "\n "))
                let marks = MergedMarkdown.placeholders
                let bare = text.filter { ![marks.insertOpen, marks.insertClose, marks.deleteOpen, marks.deleteClose].contains(String($0)) }
                if bare.hasPrefix("<!--") && bare.hasSuffix("-->") { continue }
                paragraph([.text(text)], style: "Code", context: &context, keepMarks: true)
            case .rule:
                xml += "<w:p><w:pPr><w:pBdr><w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"1\" w:color=\"auto\"/></w:pBdr></w:pPr></w:p>"
            case .table(let header, let rows):
                table(header: header, rows: rows)
            case .footnote:
                continue // written into the footnotes part by append(_:)
            }
        }
    }

    // MARK: Paragraphs

    /// - Parameter keepMarks: the text carries on a change from the line before (a code block's
    ///   lines are one text node cut at line ends); elsewhere every paragraph starts unmarked.
    private mutating func paragraph(_ inlines: [MarkdownInline], style: String?, context: inout Context,
                                    footnoteMark: Int? = nil, keepMarks: Bool = false) {
        if !keepMarks { mark = .none }
        var runs: [Run] = []
        for inline in inlines { collect(inline, style: RunStyle(), link: nil, into: &runs) }
        var properties = ""
        if let style { properties += "<w:pStyle w:val=\"\(style)\"/>" }
        if let numbering = context.numbering {
            if style == nil || style == context.paragraphStyle { properties = "<w:pStyle w:val=\"ListParagraph\"/>" }
            properties += "<w:numPr><w:ilvl w:val=\"\(numbering.level)\"/><w:numId w:val=\"\(numbering.numID)\"/></w:numPr>"
            context.numbering = nil
        } else if context.listDepth > 0 {
            properties += "<w:ind w:left=\"\(720 * context.listDepth)\"/>"
        }
        properties += revisions.paragraphMark(runs)
        var content = revisions.paragraphContent(runs)
        if footnoteMark != nil {
            content = "<w:r><w:rPr><w:rStyle w:val=\"FootnoteReference\"/></w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space=\"preserve\"> </w:t></w:r>" + content
        }
        xml += "<w:p>" + (properties.isEmpty ? "" : "<w:pPr>\(properties)</w:pPr>") + content + "</w:p>"
    }

    /// Flattens inline Markdown into runs, following the placeholders that open and close
    /// insertions and deletions.
    private mutating func collect(_ inline: MarkdownInline, style: RunStyle, link: String?, into runs: inout [Run]) {
        switch inline {
        case .text(let text):
            texts(text, style: style, link: link, into: &runs)
        case .code(let text):
            var code = style
            code.code = true
            texts(text, style: code, link: link, into: &runs)
        case .softBreak:
            runs.append(Run(content: .text(" "), style: style, mark: mark, link: link))
        case .lineBreak:
            runs.append(Run(content: .lineBreak, style: style, mark: mark, link: link))
        case .html(let tag):
            // One tag or comment: not text a reader sees, except a line break.
            let name = tag.lowercased().filter { $0.isLetter }
            if name == "br" { runs.append(Run(content: .lineBreak, style: style, mark: mark, link: link)) }
        case .emphasis(let children):
            var emphasis = style
            emphasis.italic = true
            for child in children { collect(child, style: emphasis, link: link, into: &runs) }
        case .strong(let children):
            var strong = style
            strong.bold = true
            for child in children { collect(child, style: strong, link: link, into: &runs) }
        case .strikethrough(let children):
            var struck = style
            struck.strike = true
            for child in children { collect(child, style: struck, link: link, into: &runs) }
        case .link(let destination, let children):
            var linked = style
            let relationship = relationshipID(for: destination)
            linked.link = relationship != nil
            for child in children { collect(child, style: linked, link: relationship ?? link, into: &runs) }
        case .image(_, let alt):
            texts("[image: ", style: style, link: link, into: &runs)
            for child in alt { collect(child, style: style, link: link, into: &runs) }
            texts("]", style: style, link: link, into: &runs)
        case .footnoteReference(let label):
            let id = footnoteIDs[label] ?? (footnoteIDs.count + 1)
            footnoteIDs[label] = id
            runs.append(Run(content: .footnote(id: id), style: style, mark: mark, link: link))
        }
    }

    private mutating func texts(_ text: String, style: RunStyle, link: String?, into runs: inout [Run]) {
        let marks = MergedMarkdown.placeholders
        var current = ""
        func flush() {
            if !current.isEmpty { runs.append(Run(content: .text(current), style: style, mark: mark, link: link)) }
            current = ""
        }
        for character in text {
            switch String(character) {
            case marks.insertOpen: flush(); mark = .insert
            case marks.deleteOpen: flush(); mark = .delete
            case marks.insertClose, marks.deleteClose: flush(); mark = .none
            default: current.append(character)
            }
        }
        flush()
    }

    /// Links that leave the document (web and mail addresses) become hyperlinks; a site's
    /// relative links mean nothing in a Word file and stay text.
    private mutating func relationshipID(for destination: String) -> String? {
        let lower = destination.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") || lower.hasPrefix("mailto:") else { return nil }
        if let known = links.first(where: { $0.target == destination }) { return known.id }
        let id = "rIdLink\(links.count + 1)"
        links.append((id, destination))
        return id
    }

    // MARK: Tables

    private mutating func table(header: [[MarkdownInline]], rows: [[[MarkdownInline]]]) {
        let columns = max(1, header.count)
        let width = textWidth / columns
        xml += "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"\(width * columns)\" w:type=\"dxa\"/>"
        xml += "<w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"0\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>"
        xml += String(repeating: "<w:gridCol w:w=\"\(width)\"/>", count: columns)
        xml += "</w:tblGrid>"
        for (index, cells) in ([header] + rows).enumerated() {
            var cellXML = ""
            var rowRuns: [Run] = []
            for column in 0..<columns {
                mark = .none
                var runs: [Run] = []
                var style = RunStyle()
                style.bold = index == 0
                for inline in column < cells.count ? cells[column] : [] { collect(inline, style: style, link: nil, into: &runs) }
                runs = Self.trimmed(runs)
                rowRuns += runs
                cellXML += "<w:tc><w:tcPr><w:tcW w:w=\"\(width)\" w:type=\"dxa\"/></w:tcPr><w:p>\(revisions.paragraphContent(runs))</w:p></w:tc>"
            }
            // A row inserted or deleted whole is tracked as a row, so rejecting it leaves no empty row.
            var rowProperties = index == 0 ? "<w:tblHeader/>" : ""
            let marks = Set(rowRuns.filter(\.isText).map(\.mark))
            if marks.count == 1, let rowMark = marks.first, rowMark != .none {
                rowProperties += "<w:\(rowMark == .insert ? "ins" : "del") \(revisions.attributes())/>"
            }
            xml += "<w:tr>" + (rowProperties.isEmpty ? "" : "<w:trPr>\(rowProperties)</w:trPr>") + cellXML + "</w:tr>"
        }
        xml += "</w:tbl><w:p/>"
    }
}

extension WordBody {
    /// A cell's runs without the spaces at its edges, which Markdown pads cells with (the
    /// redline's markers can hold them inside a change).
    static func trimmed(_ runs: [Run]) -> [Run] {
        var runs = runs
        func trim(_ index: Int, leading: Bool) -> Bool {
            guard case .text(let text) = runs[index].content else { return false }
            let kept = leading ? String(text.drop { $0 == " " }) : String(text.reversed().drop { $0 == " " }.reversed())
            runs[index] = Run(content: .text(kept), style: runs[index].style, mark: runs[index].mark, link: runs[index].link)
            return kept.isEmpty
        }
        var index = 0
        while index < runs.count, trim(index, leading: true) { index += 1 }
        index = runs.count - 1
        while index >= 0, trim(index, leading: false) { index -= 1 }
        return runs.filter { if case .text(let text) = $0.content { return !text.isEmpty } else { return true } }
    }
}
