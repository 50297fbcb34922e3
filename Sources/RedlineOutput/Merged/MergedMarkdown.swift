import RedlineDiff

/// Builds one Markdown text holding both versions of a passage, with inserted and deleted
/// runs wrapped in markers. Markers never enclose a line break, Markdown syntax characters
/// or a link destination, so the merged text parses into the same blocks and inline
/// structure as the originals, and each marker pair lands in one text node.
struct MergedMarkdown {
    struct Markers: Sendable {
        let insertOpen: String, insertClose: String, deleteOpen: String, deleteClose: String
    }

    /// Private-use characters that cmark passes through as text; replaced by tags after rendering.
    static let placeholders = Markers(insertOpen: "\u{E000}", insertClose: "\u{E001}", deleteOpen: "\u{E002}", deleteClose: "\u{E003}")
    static let htmlTags = Markers(insertOpen: "<ins>", insertClose: "</ins>", deleteOpen: "<del>", deleteClose: "</del>")

    static let syntax: Set<Character> = ["*", "_", "`", "[", "]", "(", ")", "|", "<", ">", "#", "~", "!", "\\", "^"]

    let markers: Markers
    private(set) var output = ""
    private var atLineStart = true
    private var inLinkDestination = false
    /// Inside `[^label]`: a label with a marker in it would no longer match its definition.
    private var inFootnoteLabel = false
    /// The line is an ATX heading: digits after its `#`s are words, not a list marker.
    private var lineIsHeading = false
    /// Just after a label's `]`: a `:` there makes the line a definition, so it is syntax.
    private var closedFootnoteLabel = false
    /// Inside a fenced code block, where `*` and `_` are text; and the fence marks seen at the
    /// start of this line (three open or close a fence).
    private var inFence = false
    private var fenceMarks = 0
    private var mayOpenFence = true
    private var previous: Character = "\n"

    init(markers: Markers) {
        self.markers = markers
    }

    static func build(_ ops: [TextOp], markers: Markers) -> String {
        var merged = MergedMarkdown(markers: markers)
        for op in MergedOps.prepared(ops) { merged.append(op) }
        return merged.output
    }

    mutating func append(_ op: TextOp) {
        guard op.kind != .equal else {
            for character in op.text { emitRaw(character) }
            return
        }
        let (open, close) = op.kind == .insert ? (markers.insertOpen, markers.insertClose) : (markers.deleteOpen, markers.deleteClose)
        var run = ""
        func flush() {
            guard !run.isEmpty else { return }
            if run.allSatisfy(\.isWhitespace) {
                output += run
            } else {
                output += open + run + close
            }
            run = ""
        }
        let characters = Array(op.text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            defer { index += 1 }
            if let piece = wholePiece(characters, at: index) {
                flush()
                if piece.isMarked { output += open }
                for character in characters[index..<piece.end] { emitRaw(character) }
                if piece.isMarked { output += close }
                index = piece.end - 1
                continue
            }
            if inFootnoteLabel {
                // Part of a label changed: only the new label is kept, so the reference resolves.
                flush()
                if op.kind == .insert { emitRaw(character) }
                continue
            }
            // (Not inside a fenced block, where they are text, nor in a fence's own marks.)
            if op.kind == .delete, !inFence, !(mayOpenFence && (character == "`" || character == "~")),
               Self.isDroppedEmphasis(characters, at: index, atLineStart: atLineStart) {
                // Emphasis the new version no longer has: the merged text keeps the new
                // version's markup, so `*old*` → `_new_` does not become `*_new*_`.
                continue
            }
            if isWrappable(character, startsMarker: Self.startsListMarker(characters, at: index)) {
                run.append(character)
                track(character)
            } else {
                flush()
                emitRaw(character)
            }
        }
        flush()
    }

    /// Syntax at `index` that must stay whole, with where it ends. A footnote reference is
    /// marked as one piece, so it still resolves; a definition's `[^label]:` stays bare syntax;
    /// an HTML tag or comment stays one, unmarked: markers inside would break it.
    private func wholePiece(_ characters: [Character], at index: Int) -> (end: Int, isMarked: Bool)? {
        if let reference = Footnotes.label(in: characters, at: index, atLineStart: atLineStart) {
            return (reference.end, !reference.isDefinition)
        }
        if characters[index] == "<", let end = Self.htmlTagEnd(characters, at: index) { return (end, false) }
        return nil
    }

    /// A deleted `*`, `~`, backtick, or `_` at a word's edge: inline markup, not a word's letter
    /// (`snake_case` keeps its `_`) nor a list marker (`* ` at the start of a line).
    static func isDroppedEmphasis(_ characters: [Character], at index: Int, atLineStart: Bool) -> Bool {
        let character = characters[index]
        switch character {
        case "*":
            if atLineStart, index + 1 < characters.count, characters[index + 1] == " " { return false }
            return true
        case "~", "`":
            return true
        case "_":
            let before = index > 0 && (characters[index - 1].isLetter || characters[index - 1].isNumber)
            let after = index + 1 < characters.count && (characters[index + 1].isLetter || characters[index + 1].isNumber)
            return !(before && after)
        default:
            return false
        }
    }

    /// Where `<!-- comment -->` or `<tag …>` / `</tag>` starting at `index` ends, if it does on this line.
    static func htmlTagEnd(_ characters: [Character], at index: Int) -> Int? {
        guard index + 2 < characters.count else { return nil }
        if characters[index + 1] == "!", characters[index...].starts(with: Array("<!--")) {
            var end = index + 4
            while end + 2 < characters.count {
                if characters[end] == "-" && characters[end + 1] == "-" && characters[end + 2] == ">" { return end + 3 }
                end += 1
            }
            return nil
        }
        var end = index + 1
        if characters[end] == "/" { end += 1 }
        guard end < characters.count, characters[end].isASCII, characters[end].isLetter else { return nil }
        while end < characters.count, characters[end] != ">" {
            if characters[end] == "<" || characters[end].isNewline { return nil }
            end += 1
        }
        return end < characters.count ? end + 1 : nil
    }

    private mutating func emitRaw(_ character: Character) {
        output.append(character)
        track(character)
    }

    private mutating func track(_ character: Character) {
        if character == "(" && previous == "]" { inLinkDestination = true }
        closedFootnoteLabel = inFootnoteLabel && character == "]"
        if character == "^" && previous == "[" { inFootnoteLabel = true }
        if character == "]" || character.isNewline { inFootnoteLabel = false }
        if character == ")" || character.isNewline { inLinkDestination = false }
        if atLineStart && character == "#" { lineIsHeading = true }
        if mayOpenFence && (character == "`" || character == "~") {
            fenceMarks += 1
            if fenceMarks == 3 { inFence.toggle() }
        } else if !(character == " " && fenceMarks == 0) {
            mayOpenFence = false
        }
        if character.isNewline {
            atLineStart = true
            lineIsHeading = false
            fenceMarks = 0
            mayOpenFence = true
        } else if !(atLineStart && isLinePrefix(character)) {
            atLineStart = false
        }
        previous = character
    }

    /// List markers, heading hashes, quote markers, table pipes and indentation at the start of a line.
    private func isLinePrefix(_ character: Character) -> Bool {
        if character == " " || character == "\t" { return true }
        // "### 1. Compliance": the number is the heading's text, changed with it.
        if lineIsHeading { return character == "#" }
        return "#>|-+*".contains(character) || character.isNumber || character == "." || character == ")"
    }

    private func isWrappable(_ character: Character, startsMarker: Bool) -> Bool {
        if character.isNewline || inLinkDestination || Self.syntax.contains(character) { return false }
        if character == ":" && closedFootnoteLabel { return false }
        if atLineStart && isLinePrefix(character) {
            // Digits are an ordered-list marker only when the run of them ends in "." or ")":
            // "24161 Altenholz" at the start of a line is a postcode, a word like any other.
            if character.isNumber { return !startsMarker }
            return false
        }
        return true
    }

    /// Whether the digits from `index` on end in "." or ")" (an ordered-list marker's).
    static func startsListMarker(_ characters: [Character], at index: Int) -> Bool {
        var end = index
        while end < characters.count && characters[end].isNumber { end += 1 }
        return end > index && end < characters.count && (characters[end] == "." || characters[end] == ")")
    }
}
