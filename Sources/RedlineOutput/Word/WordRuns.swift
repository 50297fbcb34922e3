/// Text in WordprocessingML: escaping, and runs grouped into tracked insertions and deletions.

enum WordXML {
    /// Text for an element or an attribute value; characters XML 1.0 forbids are dropped.
    static func escape(_ text: some StringProtocol) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// Whether text is unchanged, inserted or deleted in the redline.
enum Mark: Equatable {
    case none, insert, delete
}

/// How a run looks.
struct RunStyle: Equatable {
    var bold = false
    var italic = false
    var strike = false
    var code = false
    var superscript = false
    var link = false

    var properties: String {
        var xml = ""
        if code { xml += "<w:rStyle w:val=\"CodeChar\"/>" } else if link { xml += "<w:rStyle w:val=\"Hyperlink\"/>" }
        if bold { xml += "<w:b/>" }
        if italic { xml += "<w:i/>" }
        if strike { xml += "<w:strike/>" }
        if superscript { xml += "<w:vertAlign w:val=\"superscript\"/>" }
        return xml.isEmpty ? "" : "<w:rPr>\(xml)</w:rPr>"
    }
}

/// One run of a paragraph: text, a break or a footnote reference, with its mark and the
/// external link it belongs to.
struct Run {
    enum Content {
        case text(String)
        case lineBreak
        case footnote(id: Int)
    }

    let content: Content
    let style: RunStyle
    let mark: Mark
    /// The relationship id of the hyperlink around it.
    let link: String?

    /// Plain text, not part of the redline's changes (the first page, headers and footers).
    static func plain(_ text: String, style: RunStyle = RunStyle()) -> Run {
        Run(content: .text(text), style: style, mark: .none, link: nil)
    }

    var isText: Bool {
        if case .text(let text) = content { return !text.allSatisfy(\.isWhitespace) }
        return true
    }

    func xml() -> String {
        switch content {
        case .text(let text):
            let element = mark == .delete ? "w:delText" : "w:t"
            return "<w:r>\(style.properties)<\(element) xml:space=\"preserve\">\(WordXML.escape(text))</\(element)></w:r>"
        case .lineBreak:
            return "<w:r>\(style.properties)<w:br/></w:r>"
        case .footnote(let id):
            return "<w:r><w:rPr><w:rStyle w:val=\"FootnoteReference\"/></w:rPr><w:footnoteReference w:id=\"\(id)\"/></w:r>"
        }
    }
}

/// Who made the tracked changes, and when; hands out the ids Word requires to be unique.
final class Revisions {
    let author: String
    /// ISO 8601, seconds, UTC: `2026-11-22T09:30:00Z`.
    let date: String
    private var lastID = 0

    init(author: String, date: String) {
        self.author = author
        self.date = date
    }

    /// `<w:ins …>` or `<w:del …>` attributes for one change.
    func attributes() -> String {
        lastID += 1
        return "w:id=\"\(lastID)\" w:author=\"\(WordXML.escape(author))\" w:date=\"\(date)\""
    }

    /// The runs of a paragraph, consecutive runs of one link in a hyperlink and of one mark in
    /// one `w:ins` or `w:del`.
    func paragraphContent(_ runs: [Run]) -> String {
        var xml = ""
        var index = 0
        while index < runs.count {
            let link = runs[index].link
            var end = index
            while end < runs.count && runs[end].link == link { end += 1 }
            let inner = marked(runs[index..<end])
            xml += link.map { "<w:hyperlink r:id=\"\($0)\">\(inner)</w:hyperlink>" } ?? inner
            index = end
        }
        return xml
    }

    private func marked(_ runs: ArraySlice<Run>) -> String {
        var xml = ""
        var index = runs.startIndex
        while index < runs.endIndex {
            let mark = runs[index].mark
            var end = index
            var inner = ""
            while end < runs.endIndex && runs[end].mark == mark {
                inner += runs[end].xml()
                end += 1
            }
            switch mark {
            case .none: xml += inner
            case .insert: xml += "<w:ins \(attributes())>\(inner)</w:ins>"
            case .delete: xml += "<w:del \(attributes())>\(inner)</w:del>"
            }
            index = end
        }
        return xml
    }

    /// A paragraph whose every word is inserted (or deleted) has its mark inserted (or
    /// deleted) too, so accepting or rejecting every change leaves no empty paragraph behind.
    func paragraphMark(_ runs: [Run]) -> String {
        let marks = Set(runs.filter(\.isText).map(\.mark))
        guard marks.count == 1, let mark = marks.first, mark != .none else { return "" }
        return "<w:rPr><w:\(mark == .insert ? "ins" : "del") \(attributes())/></w:rPr>"
    }
}
