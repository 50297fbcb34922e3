import RedlineManifest
import RedlineParallel

/// Describes the sections of the new text from where their text came from: the redline's ops
/// are cut at the new text's section boundaries, and each section is `unchanged`, `modified`,
/// `renamed`, `moved`, `split` (its old section's text went to several new ones), `merged` (its
/// text came from several old ones) or `added`; an old section none of whose text survived is `removed`.
struct SectionsFromPieces {
    typealias Piece = BlockAlignment.Piece

    let old: SectionedText
    let new: SectionedText
    let pieces: [Piece]
    let moves: BlockAlignment.Moves
    /// Describe sections on every core (big texts).
    var parallel = false
    /// For the word diff of a block that moved with its section and was reworded.
    var limits = RedlineDiffer.Limits()

    /// A piece cut to one section, with the old section its old text is in (equal, delete).
    struct Chunk {
        let kind: TextOp.Kind
        let oldRange: Range<Int>
        let newRange: Range<Int>
        let changedWords: Int
        let moved: Bool
        let oldSection: Int?
        /// Shown in another section than where the piece stands in the redline's ops: a deletion
        /// that went with its moved section, or the word diff of a block moved and reworded.
        var relocated = false
    }

    func redline() -> Redline {
        let chunks = pieces.flatMap(cut)
        let origins = origins(chunks)
        let (sources, main, survivors, movedTo) = (origins.sources, origins.main, origins.survivors, origins.movedTo)
        let (byNew, removedBefore) = place(chunks, main: main, survivors: survivors, rewritten: origins.rewritten)
        let weights = origins.stayed.indices.map { index in 1 + (main[index].flatMap { origins.stayed[index][$0] } ?? 0) }
        let inPlace = Self.inOrder(main, weights: weights)
        let texts = LazyOps.Texts(old: old.bytes, new: new.bytes)
        let describeOne = { @Sendable [self, byNew, sources, main, survivors, inPlace, movedTo] (newIndex: Int) in
            describe(newIndex, byNew[newIndex], sources: sources[newIndex], main: main[newIndex],
                     survivors: survivors, inPlace: inPlace.contains(newIndex), movedTo: movedTo, texts: texts)
        }
        let described = parallelMap(Array(new.sections.indices), inParallel: parallel, describeOne)
        let ops = LazyOps(texts, pieces.map { LazyOps.Span(kind: $0.kind, range: $0.kind == .delete ? $0.oldRange : $0.newRange) })
        guard !removedBefore.isEmpty else { return Redline(sections: described, ops: ops, isCoarse: false) }
        var sections: [SectionChange] = []
        sections.reserveCapacity(described.count + removedBefore.count)
        for (newIndex, section) in described.enumerated() {
            for oldIndex in removedBefore[newIndex] ?? [] { sections.append(removed(oldIndex)) }
            sections.append(section)
        }
        for oldIndex in removedBefore[new.sections.count] ?? [] { sections.append(removed(oldIndex)) }
        return Redline(sections: sections, ops: ops, isCoarse: false)
    }

    /// Where each new section's text came from.
    struct Origins {
        /// New section → old section → words, of equal text and of moved blocks.
        var sources: [[Int: Int]]
        /// The same without moved blocks: words that stayed where the diff kept them, which
        /// decide which of two swapped sections kept its place.
        var stayed: [[Int: Int]]
        /// Each new section's main old section.
        var main: [Int?] = []
        /// Old section → new section → words.
        var survivors: [Int: [Int: Int]] = [:]
        /// Where each moved block went: the new section, by the block's old start.
        var movedTo: [Int: Int] = [:]
        /// Old sections matched to new ones by their words alone (``rewrittenSections``).
        var rewritten: [Int: Int] = [:]
    }

    func origins(_ chunks: [Chunk]) -> Origins {
        // Which old sections each new section's surviving words came from (spaces and
        // punctuation that happen to match say nothing about where a section came from).
        var sources = [[Int: Int]](repeating: [:], count: new.sections.count)
        let equal = chunks.filter { $0.kind == .equal }
        // Counting words is a pass over most of the text: on big texts, half on each core.
        let count = { @Sendable [new] (part: Range<Int>) in part.map { Tokenizer.wordCount(new.bytes, equal[$0].newRange) } }
        let halves = [0..<(equal.count / 2), (equal.count / 2)..<equal.count]
        let words = parallelMap(halves, inParallel: parallel, count).flatMap { $0 }
        // Neighbouring chunks mostly share their sections: one dictionary update per run of them.
        var run: (new: Int, old: Int, words: Int)?
        for (chunk, words) in zip(equal, words) where words > 0 {
            let key = (new: new.section(at: chunk.newRange.lowerBound), old: chunk.oldSection ?? 0)
            if let current = run, current.new == key.new, current.old == key.old {
                run!.words += words
            } else {
                if let current = run { sources[current.new][current.old, default: 0] += current.words }
                run = (key.new, key.old, words)
            }
        }
        if let current = run { sources[current.new][current.old, default: 0] += current.words }
        var origins = Origins(sources: sources, stayed: sources)
        let newUnits = new.units, oldUnits = old.units
        for (newUnit, oldUnit) in moves.source {
            origins.movedTo[oldUnits[oldUnit].range.lowerBound] = newUnits[newUnit].section
            let words = max(1, Tokenizer.wordCount(new.bytes, newUnits[newUnit].range))
            origins.sources[newUnits[newUnit].section][oldUnits[oldUnit].section, default: 0] += words
        }
        origins.main = origins.sources.map { $0.max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key }
        for (newIndex, bySource) in origins.sources.enumerated() {
            for (oldIndex, bytes) in bySource { origins.survivors[oldIndex, default: [:]][newIndex] = bytes }
        }
        // Sections with no block left as it was, heading included, but mostly the same words.
        origins.rewritten = rewrittenSections(main: origins.main, survivors: origins.survivors)
        for (oldIndex, newIndex) in origins.rewritten {
            origins.main[newIndex] = oldIndex
            origins.survivors[oldIndex] = [newIndex: 0]
        }
        return origins
    }

    /// Cuts a piece at the new text's section boundaries (equal, insert) or the old text's (delete).
    private func cut(_ piece: Piece) -> [Chunk] {
        let kind = piece.kind
        let boundaries: [Int]
        let range = kind == .delete ? piece.oldRange : piece.newRange
        let text = kind == .delete ? old : new
        // Sections starting inside the range: from the one after the range's start, by binary search.
        var found: [Int] = []
        var next = text.section(at: range.lowerBound) + 1
        let starts = text.sectionStarts
        while next < starts.count, starts[next] < range.upperBound {
            if starts[next] > range.lowerBound { found.append(starts[next]) }
            next += 1
        }
        boundaries = found
        guard !boundaries.isEmpty else {
            return [Chunk(kind: kind, oldRange: piece.oldRange, newRange: piece.newRange, changedWords: piece.changedWords, moved: piece.moved,
                          oldSection: kind == .insert ? nil : old.section(at: piece.oldRange.lowerBound))]
        }
        var chunks: [Chunk] = []
        var start = range.lowerBound
        var remaining = piece.changedWords
        for end in boundaries + [range.upperBound] {
            let part = start..<end
            let words = min(remaining, piece.changedWords == 0 ? 0 : Tokenizer.wordCount(text.bytes, part))
            remaining -= words
            let offset = start - range.lowerBound
            switch kind {
            case .delete:
                chunks.append(Chunk(kind: kind, oldRange: part, newRange: piece.newRange, changedWords: words, moved: piece.moved,
                                    oldSection: old.section(at: part.lowerBound)))
            case .insert:
                chunks.append(Chunk(kind: kind, oldRange: piece.oldRange, newRange: part, changedWords: words, moved: piece.moved, oldSection: nil))
            case .equal:
                let oldPart = (piece.oldRange.lowerBound + offset)..<(piece.oldRange.lowerBound + offset + part.count)
                chunks.append(Chunk(kind: kind, oldRange: oldPart, newRange: part, changedWords: 0, moved: false,
                                    oldSection: old.section(at: oldPart.lowerBound)))
            }
            start = end
        }
        // An equal piece may also cross an old boundary inside one new section: its old text is
        // then attributed to the section it starts in, which is enough to tell where text came from.
        return chunks
    }

    /// A deletion at a section boundary of the new text belongs to the section before it when
    /// that section is where the deleted text's old section went (a deleted last paragraph).
    func newSection(forDeletionAt offset: Int, from oldSection: Int?, main: [Int?]) -> Int {
        let index = new.section(at: offset)
        if index > 0, offset == new.sections[index].range.lowerBound, let oldSection, main[index - 1] == oldSection, main[index] != oldSection {
            return index - 1
        }
        return index
    }

    private func describe(_ newIndex: Int, _ chunks: [Chunk], sources: [Int: Int], main: Int?,
                          survivors: [Int: [Int: Int]], inPlace: Bool, movedTo: [Int: Int], texts: LazyOps.Texts) -> SectionChange {
        let section = new.sections[newIndex]
        let counted = chunks.filter { !$0.moved }
        let inserted = counted.filter { $0.kind == .insert }.reduce(0) { $0 + $1.changedWords }
        let deleted = counted.filter { $0.kind == .delete }.reduce(0) { $0 + $1.changedWords }
        // A block moved within the section changes no words but is still a change a reader sees;
        // one that left for another section is that section's change.
        let significant = chunks.contains { chunk in
            guard chunk.kind != .equal, !isBlank(chunk) else { return false }
            return !chunk.moved || chunk.kind == .insert || movedTo[chunk.oldRange.lowerBound] == newIndex
        }
        let status: SectionStatus
        var previous: SectionedText.Section?
        if let main {
            let oldSection = old.sections[main]
            previous = oldSection
            let total = sources.values.reduce(0, +)
            let contributors = sources.filter { $0.value * 5 >= total }.count
            let spread = survivors[main] ?? [:]
            let spreadTotal = spread.values.reduce(0, +)
            let receivers = spread.filter { $0.value * 6 >= spreadTotal }.count
            let movedIn = chunks.contains { $0.moved && $0.kind == .insert }
            if contributors >= 2 {
                status = .merged
            } else if receivers >= 2 {
                status = .split
            } else if !inPlace || (movedIn && !counted.contains { $0.kind == .equal && !$0.relocated && !isBlank($0) }) {
                status = .moved
            } else if oldSection.key != section.key || (oldSection.headingRange == nil) != (section.headingRange == nil) {
                status = .renamed
            } else if inserted + deleted > 0 || significant {
                status = .modified
            } else {
                status = .unchanged
            }
        } else {
            status = .added
        }
        // A section's own view shows its moved-in text as it reads now, and leaves out text
        // that left it: that is shown where it went.
        // Kept as spans: the strings are made when a format reads them. A moved-in block reads
        // as equal text, from wherever it is (a deletion's bytes are the old text's).
        var headingSpans: [LazyOps.Span] = [], bodySpans: [LazyOps.Span] = []
        for chunk in chunks where !(chunk.moved && chunk.kind == .delete) {
            let inHeading = section.headingRange.map { heading in
                // A deletion brought here from elsewhere was in its old section's heading or body.
                if chunk.kind == .delete && chunk.relocated { return isOldHeading(chunk) }
                return chunk.kind == .delete ? chunk.newRange.lowerBound < heading.upperBound && chunk.newRange.lowerBound >= heading.lowerBound
                                             : heading.contains(chunk.newRange.lowerBound)
            } ?? false
            let span = LazyOps.Span(kind: chunk.kind, range: chunk.kind == .delete ? chunk.oldRange : chunk.newRange, asEqual: chunk.moved)
            if inHeading { headingSpans.append(span) } else { bodySpans.append(span) }
        }
        return SectionChange(status: status, heading: section.title,
                             previousHeading: previous.flatMap { $0.title != section.title ? $0.title : nil },
                             level: section.level, inserted: inserted, deleted: deleted,
                             headingOps: LazyOps(texts, headingSpans), bodyOps: LazyOps(texts, bodySpans),
                             oldIndex: main, newIndex: newIndex)
    }

    /// An old section none of whose words survived, shown whole as deleted (a fence line or a
    /// blank that happens to match elsewhere is still part of what was removed).
    private func removed(_ oldIndex: Int) -> SectionChange {
        let section = old.sections[oldIndex]
        return SectionChange(status: .removed, heading: section.title, previousHeading: nil, level: section.level,
                             inserted: 0, deleted: Tokenizer.wordCount(old.bytes, section.range),
                             headingOps: section.headingRange.map { [TextOp(.delete, old.text($0))] } ?? [],
                             bodyOps: section.bodyRange.isEmpty ? [] : [TextOp(.delete, old.text(section.bodyRange))],
                             oldIndex: oldIndex, newIndex: nil)
    }

    /// Only white space (ASCII, or any Unicode white space when the text is not ASCII).
    private func isBlank(_ chunk: Chunk) -> Bool {
        let bytes = chunk.kind == .delete ? old.bytes[chunk.oldRange] : new.bytes[chunk.newRange]
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { return true }
        guard bytes.contains(where: { $0 >= 0x80 }) else { return false }
        return String(decoding: bytes, as: UTF8.self).unicodeScalars.allSatisfy(\.properties.isWhitespace)
    }

    /// New sections whose main old section keeps its order (the non-decreasing run holding
    /// the most words that stayed in place): the others moved. Of two swapped sections, the one
    /// whose text the diff kept in place stays, and the one whose blocks moved is the move.
    static func inOrder(_ main: [Int?], weights: [Int]) -> Set<Int> {
        let matched = main.enumerated().compactMap { index, source in source.map { (index, $0) } }
        // Non-decreasing, since a split section's parts share their source: spread ties by position.
        let values = matched.map { $0.1 * (main.count + 1) + $0.0 }
        let run = SectionAlignment.heaviestIncreasing(values, weights: matched.map { weights[$0.0] })
        return Set(run.map { matched[$0].0 })
    }
}
