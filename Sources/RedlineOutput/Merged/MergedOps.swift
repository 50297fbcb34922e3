import RedlineDiff

/// Edit scripts made ready to be merged into one Markdown text (``MergedMarkdown``). The ops
/// of a redline are right about words; these passes make them right about syntax, which a merged
/// text holds once for both versions: Markdown syntax and line breaks that a deletion and an
/// insertion share are made equal instead of appearing twice, and a changed link destination
/// keeps only its new text. Both versions still read the same from the result.
enum MergedOps {
    static func prepared(_ ops: [TextOp]) -> [TextOp] {
        renumbered(newDestinations(sharedSyntax(sharingNoText(ops))))
    }

    /// A list item renumbered (`2.` → `1.`, an item inserted or removed before it) keeps only its
    /// new number, as plain syntax: both numbers marked would no longer start a list item, and
    /// the number is the list's, not words of the text.
    static func renumbered(_ ops: [TextOp]) -> [TextOp] {
        var out: [TextOp] = []
        var index = 0
        func isNumber(_ op: TextOp) -> Bool { !op.text.isEmpty && op.text.allSatisfy(\.isASCII) && op.text.allSatisfy(\.isNumber) }
        while index < ops.count {
            if index + 2 < ops.count, ops[index].kind != .equal, ops[index + 1].kind != .equal, ops[index].kind != ops[index + 1].kind,
               isNumber(ops[index]), isNumber(ops[index + 1]), ops[index + 2].kind == .equal,
               ops[index + 2].text.hasPrefix(". ") || ops[index + 2].text.hasPrefix(") "),
               (out.last?.text ?? "\n").reversed().drop(while: { $0 == " " }).first?.isNewline ?? true {
                let inserted = ops[index].kind == .insert ? ops[index] : ops[index + 1]
                out.append(TextOp(.equal, inserted.text))
                index += 2
                continue
            }
            out.append(ops[index])
            index += 1
        }
        return out
    }

    /// In each stretch of deletions and insertions, the syntax characters and line breaks both
    /// sides have (aligned in order, by Myers' diff) become equal, and the text between them is
    /// deleted and inserted piece by piece: `[Old title](#old) | x |` replaced by
    /// `[New title](#new) | y |` keeps one `[`, `](`, `)` and `|` instead of two of each.
    static func sharedSyntax(_ ops: [TextOp]) -> [TextOp] {
        var out: [TextOp] = []
        var index = 0
        while index < ops.count {
            guard ops[index].kind != .equal else {
                out.append(ops[index])
                index += 1
                continue
            }
            var deleted = "", inserted = ""
            let start = index
            while index < ops.count && ops[index].kind != .equal {
                if ops[index].kind == .delete { deleted += ops[index].text } else { inserted += ops[index].text }
                index += 1
            }
            guard !deleted.isEmpty, !inserted.isEmpty, let aligned = aligned(Array(deleted), Array(inserted)) else {
                out += ops[start..<index]
                continue
            }
            out += aligned
        }
        return out
    }

    private static func isShared(_ character: Character) -> Bool {
        character.isNewline || MergedMarkdown.syntax.contains(character)
    }

    private static func aligned(_ old: [Character], _ new: [Character]) -> [TextOp]? {
        let oldMarks = old.indices.filter { isShared(old[$0]) }, newMarks = new.indices.filter { isShared(new[$0]) }
        guard !oldMarks.isEmpty, !newMarks.isEmpty, oldMarks.count * newMarks.count <= 250_000 else { return nil }
        let id = { (character: Character) in Int32(truncatingIfNeeded: character.unicodeScalars.first!.value) }
        guard let runs = SequenceDiff.diff(oldMarks.map { id(old[$0]) }, newMarks.map { id(new[$0]) }, maxCost: 4_000) else { return nil }
        var out: [TextOp] = []
        var oldAt = 0, newAt = 0, oldMark = 0, newMark = 0
        func changes(upTo oldEnd: Int, _ newEnd: Int) {
            if oldEnd > oldAt { out.append(TextOp(.delete, String(old[oldAt..<oldEnd]))) }
            if newEnd > newAt { out.append(TextOp(.insert, String(new[newAt..<newEnd]))) }
        }
        for run in runs {
            switch run.kind {
            case .delete: oldMark += run.range.count
            case .insert: newMark += run.range.count
            case .equal:
                for _ in run.range {
                    let oldIndex = oldMarks[oldMark], newIndex = newMarks[newMark]
                    changes(upTo: oldIndex, newIndex)
                    out.append(TextOp(.equal, String(old[oldIndex])))
                    oldAt = oldIndex + 1
                    newAt = newIndex + 1
                    oldMark += 1
                    newMark += 1
                }
            }
        }
        changes(upTo: old.count, new.count)
        // Neighbouring equal syntax reads as one op.
        var merged: [TextOp] = []
        for op in out {
            if let last = merged.last, last.kind == op.kind { merged[merged.count - 1] = TextOp(op.kind, last.text + op.text) } else { merged.append(op) }
        }
        return merged
    }

    /// A link destination the redline changed keeps only its new text, as plain syntax: both
    /// destinations side by side would make one broken URL, and the words the diff aligned with
    /// part of a URL would vanish into it. The old destination is not shown (a reader never sees
    /// destinations); the text around it keeps its marks.
    static func newDestinations(_ ops: [TextOp]) -> [TextOp] {
        var out: [TextOp] = []
        var inDestination = false
        var previous: Character = "\n"
        func scan(_ text: String) {
            for character in text {
                if character == "(" && previous == "]" { inDestination = true }
                if character == ")" || character.isNewline { inDestination = false }
                previous = character
            }
        }
        /// The text up to and including the destination's end, and the rest.
        func split(_ text: String) -> (String, String) {
            guard let end = text.firstIndex(where: { $0 == ")" || $0.isNewline }) else { return (text, "") }
            let cut = text[end] == ")" ? text.index(after: end) : end
            return (String(text[..<cut]), String(text[cut...]))
        }
        var index = 0
        while index < ops.count {
            guard inDestination, ops[index].kind != .equal else {
                out.append(ops[index])
                scan(ops[index].text)
                index += 1
                continue
            }
            var deleted = "", inserted = ""
            while index < ops.count && ops[index].kind != .equal {
                if ops[index].kind == .delete { deleted += ops[index].text } else { inserted += ops[index].text }
                index += 1
            }
            let (newDestination, insertedRest) = split(inserted)
            let deletedRest = split(deleted).1
            out.append(TextOp(.equal, newDestination))
            scan(newDestination)
            if !deletedRest.isEmpty { out.append(TextOp(.delete, deletedRest)) }
            if !insertedRest.isEmpty { out.append(TextOp(.insert, insertedRest)) }
            scan(deletedRest)
            scan(insertedRest)
        }
        return out.filter { !$0.text.isEmpty }
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

}
