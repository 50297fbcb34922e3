/// Where each chunk of the redline is shown. Text of the new version is shown in the new section
/// that holds it. A deletion is shown where it stands in the ops only when that new section took
/// text of the deletion's old section; otherwise its old section went elsewhere (it moved), and
/// the deletion goes with it, next to the text that surrounded it. Without that, a paragraph
/// struck from a moved section showed up in whatever section now stands where the moved one
/// used to be: that section "lost" words it never had, and the struck text rendered in its heading.
extension SectionsFromPieces {
    /// Chunks by new section, each list in reading order, and the removed old sections shown
    /// before each new section (the key one past the last: at the end).
    /// - Parameter rewritten: old sections matched to new ones by their words alone (``rewrittenSections``).
    func place(_ chunks: [Chunk], main: [Int?], survivors: [Int: [Int: Int]],
               rewritten: [Int: Int] = [:]) -> (byNew: [[Chunk]], removedBefore: [Int: [Int]]) {
        // Indices into `chunks`, by new section.
        var byNew = [[Int]](repeating: [], count: new.sections.count)
        var placed = Set<Int>()
        var removedBefore: [Int: [Int]] = [:]
        var relocations: [Relocation] = []
        var anchors: SurvivingText?
        for (index, chunk) in chunks.enumerated() {
            if chunk.kind == .delete, let oldIndex = chunk.oldSection, survivors[oldIndex] == nil {
                if placed.insert(oldIndex).inserted {
                    let position = new.sections.isEmpty ? 0 : newSection(forDeletionAt: chunk.newRange.lowerBound, from: oldIndex, main: main)
                    removedBefore[position, default: []].append(oldIndex)
                }
                continue
            }
            guard !new.sections.isEmpty else { continue }
            guard chunk.kind == .delete else {
                byNew[new.section(at: chunk.newRange.lowerBound)].append(index)
                continue
            }
            let natural = newSection(forDeletionAt: chunk.newRange.lowerBound, from: chunk.oldSection, main: main)
            if !chunk.moved, let oldIndex = chunk.oldSection, survivors[oldIndex]?[natural] == nil {
                if anchors == nil { anchors = SurvivingText(self, chunks, survivors: survivors) }
                if let anchor = anchors!.nearest(in: oldIndex, to: chunk.oldRange.lowerBound) {
                    relocations.append(Relocation(section: anchor.section, anchor: anchor.chunk, before: anchor.before, chunk: index))
                    continue
                }
                if let newIndex = rewritten[oldIndex] {
                    // Nothing of it stayed as it was: it is shown after the new heading, where it is resolved below.
                    relocations.append(Relocation(section: newIndex, anchor: -1, before: false, chunk: index))
                    continue
                }
            }
            byNew[natural].append(index)
        }
        for (position, relocation) in relocations.enumerated() where relocation.anchor < 0 {
            let own = byNew[relocation.section]
            let heading = new.sections[relocation.section].headingRange
            let last = own.last { chunks[$0].kind != .delete && heading?.contains(chunks[$0].newRange.lowerBound) == true } ?? own.first ?? relocation.chunk
            relocations[position] = Relocation(section: relocation.section, anchor: last, before: own.isEmpty, chunk: relocation.chunk)
        }
        var lists = byNew.map { $0.map { chunks[$0] } }
        for section in Set(relocations.map(\.section)) {
            lists[section] = reworded(merging(relocations.filter { $0.section == section }, into: byNew[section], chunks: chunks))
        }
        return (lists, removedBefore)
    }

    /// A deletion shown in another section, beside its anchor: the nearest text of its old section.
    private struct Relocation {
        let section: Int
        /// The chunk it is shown beside (-1 until known).
        let anchor: Int
        let before: Bool
        let chunk: Int
    }

    /// A section's chunks with the deletions brought to it, in reading order: its own keep
    /// theirs, and each deletion comes just after its anchor (or just before, when the deletion
    /// came first in its old section).
    private func merging(_ relocations: [Relocation], into own: [Int], chunks: [Chunk]) -> [Chunk] {
        var keyed = own.map { (key: ($0, 0, $0), chunk: chunks[$0]) }
        for relocation in relocations {
            var chunk = chunks[relocation.chunk]
            chunk.relocated = true
            keyed.append(((relocation.anchor, relocation.before ? -1 : 1, relocation.chunk), chunk))
        }
        return keyed.sorted { $0.key < $1.key }.map(\.chunk)
    }

    /// Whether a deletion is (part of) its old section's heading.
    func isOldHeading(_ chunk: Chunk) -> Bool {
        guard let oldIndex = chunk.oldSection, let heading = old.sections[oldIndex].headingRange else { return false }
        return heading.contains(chunk.oldRange.lowerBound)
    }
}

/// Where each old section's surviving text is in the new version, in the old text's order: its
/// equal text and the blocks that moved, with the chunk that shows them.
struct SurvivingText {
    struct Anchor {
        let oldStart: Int
        let section: Int
        let chunk: Int
    }

    private var byOld: [Int: [Anchor]] = [:]

    init(_ sections: SectionsFromPieces, _ chunks: [SectionsFromPieces.Chunk], survivors: [Int: [Int: Int]]) {
        let old = sections.old, new = sections.new
        // A moved block is known by its first byte in the new text; its old start is its source's.
        var movedFrom: [Int: Int] = [:]
        for (newUnit, oldUnit) in sections.moves.source { movedFrom[new.units[newUnit].range.lowerBound] = oldUnit }
        for (index, chunk) in chunks.enumerated() {
            if chunk.kind == .equal, let oldIndex = chunk.oldSection {
                // Blank lines count where their section's words went too (the blank line after a
                // renamed heading): a struck heading goes before it, not after.
                let section = new.section(at: chunk.newRange.lowerBound)
                guard survivors[oldIndex]?[section] != nil else { continue }
                byOld[oldIndex, default: []].append(Anchor(oldStart: chunk.oldRange.lowerBound, section: section, chunk: index))
            } else if chunk.kind == .insert, chunk.moved, let oldUnit = movedFrom[chunk.newRange.lowerBound] {
                let unit = old.units[oldUnit]
                byOld[unit.section, default: []].append(Anchor(oldStart: unit.range.lowerBound, section: new.section(at: chunk.newRange.lowerBound), chunk: index))
            }
        }
        for key in byOld.keys { byOld[key]!.sort { $0.oldStart < $1.oldStart } }
    }

    /// The surviving text of old section `oldIndex` last before `offset` (the deletion goes after
    /// it), else the first after it (the deletion goes before it).
    func nearest(in oldIndex: Int, to offset: Int) -> (section: Int, chunk: Int, before: Bool)? {
        guard let anchors = byOld[oldIndex], !anchors.isEmpty else { return nil }
        var low = 0, high = anchors.count
        while low < high {
            let mid = (low + high) / 2
            if anchors[mid].oldStart < offset { low = mid + 1 } else { high = mid }
        }
        if low > 0 { return (anchors[low - 1].section, anchors[low - 1].chunk, false) }
        return (anchors[0].section, anchors[0].chunk, true)
    }
}
