/// Builds one Markdown text holding both versions of a passage, with inserted and deleted
/// runs wrapped in markers. Markers never enclose a line break, Markdown syntax characters
/// or a link destination, so the merged text parses into the same blocks and inline
/// structure as the originals, and each marker pair lands in one text node.
public struct MergedMarkdown {
    public struct Markers: Sendable {
        public let insertOpen: String, insertClose: String, deleteOpen: String, deleteClose: String
    }

    /// Private-use characters that cmark passes through as text; replaced by tags after rendering.
    public static let placeholders = Markers(insertOpen: "\u{E000}", insertClose: "\u{E001}", deleteOpen: "\u{E002}", deleteClose: "\u{E003}")
    static let htmlTags = Markers(insertOpen: "<ins>", insertClose: "</ins>", deleteOpen: "<del>", deleteClose: "</del>")

    private static let syntax: Set<Character> = ["*", "_", "`", "[", "]", "(", ")", "|", "<", ">", "#", "~", "!", "\\", "^"]

    let markers: Markers
    private(set) var output = ""
    private var atLineStart = true
    private var inLinkDestination = false
    /// Inside `[^label]`: a label with a marker in it would no longer match its definition.
    private var inFootnoteLabel = false
    /// Just after a label's `]`: a `:` there makes the line a definition, so it is syntax.
    private var closedFootnoteLabel = false
    private var previous: Character = "\n"

    init(markers: Markers) {
        self.markers = markers
    }

    public static func build(_ ops: [TextOp], markers: Markers) -> String {
        var merged = MergedMarkdown(markers: markers)
        for op in sharingNoText(ops) { merged.append(op) }
        return merged.output
    }

    /// A deletion next to an insertion that starts or ends with the same white space (often a line
    /// break: a blank line deleted, a table row and a blank line inserted) has that text made
    /// equal, so the merged text does not hold it twice: a doubled line break would cut a table
    /// or a list in two. Both versions still read the same from the ops.
    static func sharingNoText(_ ops: [TextOp]) -> [TextOp] {
        var out: [TextOp] = []
        var index = 0
        while index < ops.count {
            guard index + 1 < ops.count, ops[index].kind != .equal, ops[index + 1].kind != .equal, ops[index].kind != ops[index + 1].kind else {
                out.append(ops[index])
                index += 1
                continue
            }
            let first = Array(ops[index].text), second = Array(ops[index + 1].text)
            var prefix = 0
            // Only white space: sharing part of a word would cut it into struck and inserted letters.
            while prefix < min(first.count, second.count) && first[prefix] == second[prefix] && first[prefix].isWhitespace { prefix += 1 }
            var suffix = 0
            while suffix < min(first.count, second.count) - prefix && first[first.count - 1 - suffix] == second[second.count - 1 - suffix]
                    && first[first.count - 1 - suffix].isWhitespace { suffix += 1 }
            if prefix > 0 { out.append(TextOp(.equal, String(first[..<prefix]))) }
            for (kind, characters) in [(ops[index].kind, first), (ops[index + 1].kind, second)] where characters.count > prefix + suffix {
                out.append(TextOp(kind, String(characters[prefix..<(characters.count - suffix)])))
            }
            if suffix > 0 { out.append(TextOp(.equal, String(first[(first.count - suffix)...]))) }
            index += 2
        }
        return out
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
            if let reference = Footnotes.label(in: characters, at: index, atLineStart: atLineStart) {
                // A footnote reference or definition whole in this op: a reference is marked as
                // one piece, so it still resolves; a definition's `[^label]:` stays bare syntax.
                flush()
                let syntax = characters[index..<reference.end]
                if reference.isDefinition {
                    for character in syntax { emitRaw(character) }
                } else {
                    output += open
                    for character in syntax { emitRaw(character) }
                    output += close
                }
                index = reference.end - 1
                continue
            }
            if inFootnoteLabel {
                // Part of a label changed: only the new label is kept, so the reference resolves.
                flush()
                if op.kind == .insert { emitRaw(character) }
                continue
            }
            if isWrappable(character, next: index + 1 < characters.count ? characters[index + 1] : nil) {
                run.append(character)
                track(character)
            } else {
                flush()
                emitRaw(character)
            }
        }
        flush()
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
        if character.isNewline {
            atLineStart = true
        } else if !(atLineStart && isLinePrefix(character)) {
            atLineStart = false
        }
        previous = character
    }

    /// List markers, heading hashes, quote markers, table pipes and indentation at the start of a line.
    private func isLinePrefix(_ character: Character) -> Bool {
        character == " " || character == "\t" || "#>|-+*".contains(character) || character.isNumber || character == "." || character == ")"
    }

    private func isWrappable(_ character: Character, next: Character?) -> Bool {
        if character.isNewline || inLinkDestination || Self.syntax.contains(character) { return false }
        if character == ":" && closedFootnoteLabel { return false }
        if atLineStart && isLinePrefix(character) {
            // Digits start an ordered-list marker only when followed by "." or ")".
            if character.isNumber, let next, !(next.isNumber || next == "." || next == ")") { return true }
            return false
        }
        return true
    }
}
