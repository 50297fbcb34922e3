import Foundation
import RedlineDiff

/// Everything any output of a redline needs: the redline, what changed in the front matter, and
/// what the two sides and the document are called. Each format reads the fields it shows.
public struct RedlineInput: Sendable {
    public enum Paper: String, Sendable, CaseIterable {
        case a4, letter
    }

    public var redline: Redline
    /// Front matter that changed: listed before the sections (text, Markdown, the HTML page) or on
    /// the first page (docx, pdf).
    public var frontMatter: [FieldChange]
    /// The document's title on a Word or PDF redline: the policy's title, or a file name.
    public var title: String
    /// What the two sides are called on a Word or PDF redline: versions' dates or file names.
    public var oldLabel: String
    public var newLabel: String
    /// Where the two sides were read from, as the HTML page's title names them (the files' paths).
    public var oldSource: String
    public var newSource: String
    /// Who the tracked changes of a Word or PDF redline are attributed to, and when they were made.
    public var author: String
    public var date: Date
    public var paper: Paper
    /// BCP 47, for a Word or PDF redline's spelling and hyphenation.
    public var language: String

    public init(_ redline: Redline, frontMatter: [FieldChange] = [], title: String = "Redline",
                oldLabel: String = "old", newLabel: String = "new", oldSource: String? = nil, newSource: String? = nil,
                author: String = "Redline", date: Date = Date(), paper: Paper = .a4, language: String = "en") {
        self.redline = redline
        self.frontMatter = frontMatter
        self.title = title
        self.oldLabel = oldLabel
        self.newLabel = newLabel
        self.oldSource = oldSource ?? oldLabel
        self.newSource = newSource ?? newLabel
        self.author = author
        self.date = date
        self.paper = paper
        self.language = language
    }
}

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
