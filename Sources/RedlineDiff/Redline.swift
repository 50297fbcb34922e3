import RedlineManifest

/// One step of an edit script over text.
public struct TextOp: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        case equal, insert, delete
    }

    public let kind: Kind
    public let text: String

    public init(_ kind: Kind, _ text: String) {
        self.kind = kind
        self.text = text
    }

    enum CodingKeys: String, CodingKey {
        case kind = "op", text
    }
}

/// One section of the redline, in the order a reader meets it.
public struct SectionChange: Sendable {
    public let status: SectionStatus
    /// The heading as a reader sees it (the new one; the old one for a removed section).
    /// Empty for the text before the first heading.
    public let heading: String
    /// The old heading, when it changed.
    public let previousHeading: String?
    /// 1...6; 0 for the text before the first heading.
    public let level: Int
    /// Words inserted and deleted inside the section; a move alone counts none.
    public let inserted: Int
    public let deleted: Int
    /// The heading line and the body, each as an edit script from old to new (made on demand).
    public var headingOps: [TextOp] { heading_.ops }
    public var bodyOps: [TextOp] { body_.ops }
    private let heading_: LazyOps
    private let body_: LazyOps
    /// Position among the old and the new version's sections, when it has one there.
    public let oldIndex: Int?
    public let newIndex: Int?

    public var ops: [TextOp] { headingOps + bodyOps }
    public var isChanged: Bool { status != .unchanged }

    public init(status: SectionStatus, heading: String, previousHeading: String?, level: Int, inserted: Int, deleted: Int,
                headingOps: [TextOp], bodyOps: [TextOp], oldIndex: Int?, newIndex: Int?) {
        self.init(status: status, heading: heading, previousHeading: previousHeading, level: level, inserted: inserted, deleted: deleted,
                  headingOps: LazyOps(headingOps), bodyOps: LazyOps(bodyOps), oldIndex: oldIndex, newIndex: newIndex)
    }

    init(status: SectionStatus, heading: String, previousHeading: String?, level: Int, inserted: Int, deleted: Int,
         headingOps: LazyOps, bodyOps: LazyOps, oldIndex: Int?, newIndex: Int?) {
        self.status = status
        self.heading = heading
        self.previousHeading = previousHeading
        self.level = level
        self.inserted = inserted
        self.deleted = deleted
        heading_ = headingOps
        body_ = bodyOps
        self.oldIndex = oldIndex
        self.newIndex = newIndex
    }
}

/// An edit script kept as byte ranges of the two texts until someone reads it: most sections of
/// a big redline are never shown, and making their text into strings was most of its time.
struct LazyOps: Sendable {
    /// Both texts, shared by every section of one redline.
    final class Texts: Sendable {
        let old: [UInt8]
        let new: [UInt8]

        init(old: [UInt8], new: [UInt8]) {
            self.old = old
            self.new = new
        }
    }

    /// A piece of an op: its kind, and the bytes, from the old text (deletions) or the new;
    /// `asEqual` shows it as equal text (a block moved in, in its new section's view).
    struct Span: Sendable {
        let kind: TextOp.Kind
        let range: Range<Int>
        var asEqual = false
    }

    private enum Storage: Sendable {
        case ops([TextOp])
        case spans(Texts, [Span])
    }

    private let storage: Storage

    init(_ ops: [TextOp]) { storage = .ops(ops) }
    init(_ texts: Texts, _ spans: [Span]) { storage = .spans(texts, spans) }

    var ops: [TextOp] {
        switch storage {
        case .ops(let ops): return ops
        case .spans(let texts, let spans):
            var merger = Cleanup.RangeMerger()
            for span in spans {
                merger.append(span.asEqual ? .equal : span.kind, span.kind == .delete ? texts.old[span.range] : texts.new[span.range])
            }
            return merger.finish()
        }
    }
}

/// The difference between two versions of a Markdown document.
public struct Redline: Sendable {
    /// Every section, unchanged ones included, in reading order of the new version with
    /// removed sections where they used to be.
    public let sections: [SectionChange]
    /// An edit script over the whole text: the equal and deleted texts, in order, are the old
    /// text; the equal and inserted texts are the new one. A moved section appears as a
    /// deletion where it was and an insertion where it is. Made on demand.
    public var ops: [TextOp] { ops_.ops }
    private let ops_: LazyOps
    /// Whether some part was too different to diff word by word and is shown as whole blocks.
    public let isCoarse: Bool

    init(sections: [SectionChange], ops: [TextOp], isCoarse: Bool) {
        self.init(sections: sections, ops: LazyOps(ops), isCoarse: isCoarse)
    }

    init(sections: [SectionChange], ops: LazyOps, isCoarse: Bool) {
        self.sections = sections
        ops_ = ops
        self.isCoarse = isCoarse
    }

    /// Words in the old text. Computed on demand: most callers never need it.
    public var oldWordCount: Int { Self.words(oldText) }
    public var newWordCount: Int { Self.words(newText) }

    static func words(_ text: String) -> Int {
        var text = text
        return text.withUTF8 { Tokenizer.wordCount($0) }
    }

    public var inserted: Int { sections.reduce(0) { $0 + $1.inserted } }
    public var deleted: Int { sections.reduce(0) { $0 + $1.deleted } }
    public var changedSections: [SectionChange] { sections.filter(\.isChanged) }

    /// Share of the old text's words that were deleted or replaced, 0...1 (insertions count
    /// against the new text's size when they are larger).
    public var changedShare: Double {
        let base = max(oldWordCount, 1)
        return min(1, Double(max(inserted, deleted)) / Double(base))
    }

    /// The old text, rebuilt from the ops.
    public var oldText: String { ops.filter { $0.kind != .insert }.map(\.text).joined() }
    /// The new text, rebuilt from the ops.
    public var newText: String { ops.filter { $0.kind != .delete }.map(\.text).joined() }
}

extension Redline {
    /// Which of a text's sections open with a heading, by their position as
    /// ``SectionChange/oldIndex`` and ``SectionChange/newIndex`` count them: the text before the
    /// first heading has none. Outputs that link sections to a version's own headings need it.
    public static func sectionsWithHeadings(in text: String) -> [Int] {
        SectionedText(text).sections.enumerated().filter { $0.element.headingRange != nil }.map(\.offset)
    }
}
