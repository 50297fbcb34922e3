/// A block that moved with its section and was reworded is, in the redline's ops, deleted where
/// it was and inserted where it is: the ops must rebuild each text in order, and the two places
/// are in different stretches of the diff. In its section's own view the two are one block, its
/// words diffed, so the section counts the words that changed (as it would had the section not
/// moved) rather than the whole paragraph removed and added.
extension SectionsFromPieces {
    /// A section's chunks with each whole block deletion brought here from its old place paired
    /// with the most similar whole block inserted here (headings with headings), in order, and
    /// the pair replaced by their word diff where the inserted block stands.
    func reworded(_ list: [Chunk]) -> [Chunk] {
        let deleted = list.indices.filter { list[$0].kind == .delete && list[$0].relocated && Self.isUnit(old, list[$0].oldRange) }
        let inserted = list.indices.filter { list[$0].kind == .insert && !list[$0].moved && Self.isUnit(new, list[$0].newRange) }
        guard !deleted.isEmpty, !inserted.isEmpty else { return list }
        var pairs: [(deleted: Int, inserted: Int)] = []
        // The section's old heading and its new one, however different: a rename.
        if let oldHeading = deleted.first(where: { isOldHeading(list[$0]) }), let newHeading = inserted.first(where: { isNewHeading(list[$0]) }) {
            pairs.append((oldHeading, newHeading))
        }
        let oldBlocks = deleted.filter { !isOldHeading(list[$0]) }, newBlocks = inserted.filter { !isNewHeading(list[$0]) }
        if !oldBlocks.isEmpty, !newBlocks.isEmpty, oldBlocks.count * newBlocks.count <= 400 {
            let oldWords = oldBlocks.map { Similarity.wordSet(old.bytes, list[$0].oldRange) }
            let newWords = newBlocks.map { Similarity.wordSet(new.bytes, list[$0].newRange) }
            pairs += Similarity.orderedPairs(oldWords, newWords).map { (oldBlocks[$0.0], newBlocks[$0.1]) }
        }
        let aligner = BlockAlignment(old: old, new: new, limits: limits)
        var diffed: [Int: [Chunk]] = [:]
        var dropped = Set<Int>()
        for pair in pairs {
            let deletion = list[pair.deleted]
            // Past the word-diff limit the two stay whole, as deleted and inserted.
            guard let pieces = aligner.words(deletion.oldRange, list[pair.inserted].newRange) else { continue }
            diffed[pair.inserted] = pieces.map { piece in
                Chunk(kind: piece.kind, oldRange: piece.oldRange, newRange: piece.newRange, changedWords: piece.changedWords,
                      moved: false, oldSection: deletion.oldSection, relocated: true)
            }
            dropped.insert(pair.deleted)
        }
        guard !dropped.isEmpty else { return list }
        return list.indices.flatMap { index -> [Chunk] in
            dropped.contains(index) ? [] : diffed[index] ?? [list[index]]
        }
    }

    /// Old sections none of whose text survived as it was, matched to new sections that took
    /// none, when their bodies share most words: a section renamed and reworded (and perhaps moved)
    /// rather than one removed and another added. The same test the heading-based alignment uses.
    func rewrittenSections(main: [Int?], survivors: [Int: [Int: Int]]) -> [Int: Int] {
        let oldCandidates = old.sections.indices.filter { survivors[$0] == nil && old.sections[$0].headingRange != nil }
        let newCandidates = new.sections.indices.filter { main[$0] == nil && new.sections[$0].headingRange != nil }
        guard !oldCandidates.isEmpty, !newCandidates.isEmpty, oldCandidates.count * newCandidates.count <= limits.sectionComparisons else { return [:] }
        let oldWords = oldCandidates.map { Similarity.wordSet(old.bytes, old.sections[$0].bodyRange) }
        let newWords = newCandidates.map { Similarity.wordSet(new.bytes, new.sections[$0].bodyRange) }
        var candidates: [(score: Double, old: Int, new: Int)] = []
        for (i, oldIndex) in oldCandidates.enumerated() where !oldWords[i].isEmpty {
            for (j, newIndex) in newCandidates.enumerated() where !newWords[j].isEmpty {
                let score = Similarity.dice(oldWords[i], newWords[j])
                if score >= 0.6 { candidates.append((score, oldIndex, newIndex)) }
            }
        }
        var matched: [Int: Int] = [:], taken = Set<Int>()
        for candidate in candidates.sorted(by: { ($0.score, -$0.new) > ($1.score, -$1.new) })
        where matched[candidate.old] == nil && !taken.contains(candidate.new) {
            matched[candidate.old] = candidate.new
            taken.insert(candidate.new)
        }
        return matched
    }

    /// Whether an inserted chunk is its new section's whole heading.
    private func isNewHeading(_ chunk: Chunk) -> Bool {
        new.sections[new.section(at: chunk.newRange.lowerBound)].headingRange == chunk.newRange
    }

    /// Whether `range` is exactly one heading or block of the text.
    static func isUnit(_ text: SectionedText, _ range: Range<Int>) -> Bool {
        let units = text.units
        var low = 0, high = units.count
        while low < high {
            let mid = (low + high) / 2
            if units[mid].range.lowerBound < range.lowerBound { low = mid + 1 } else { high = mid }
        }
        return low < units.count && units[low].range == range
    }
}
