import RedlineManifest
import RedlineParallel

/// Computes a ``Redline`` between two Markdown texts: sections first (by heading, then by
/// content for renamed ones, with moves found as the sections outside the longest run kept
/// in order), then blocks inside each section, then words inside the blocks that changed.
public enum RedlineDiffer {
    /// Limits that keep unrelated inputs fast; past them the result is coarser, never wrong.
    public struct Limits: Sendable {
        /// Largest word-level edit distance searched inside one block pair.
        public var wordEdits = 1_000
        /// Largest block-level edit distance searched inside one section.
        public var blockEdits = 2_000
        /// Largest (old × new) count of unmatched sections compared by content.
        public var sectionComparisons = 10_000

        public init() {}
    }

    /// Texts this big (both together) have their work spread over threads; smaller ones would
    /// spend more on starting threads than they save.
    static func isWorthThreads(bytes: Int) -> Bool { bytes > 512 << 10 }

    public static func diff(old: String, new: String, limits: Limits = Limits()) -> Redline {
        // Two big texts are read at once, one on each core.
        let (oldText, newText) = concurrently({ SectionedText(old) }, { SectionedText(new) },
                                              inParallel: isWorthThreads(bytes: old.utf8.count + new.utf8.count))
        // Blocks aligned across sections, so restructuring is not mistaken for rewriting; when
        // the texts differ too much for that, sections matched by heading.
        if let redline = BlockAlignment(old: oldText, new: newText, limits: limits).redline() {
            return redline
        }
        var context = DiffContext(old: oldText, new: newText, limits: limits)
        let alignment = SectionAlignment(old: oldText, new: newText, limit: limits.sectionComparisons)
        return context.redline(alignment)
    }
}

/// The state of one diff: both texts and the token table they share.
struct DiffContext {
    let old: SectionedText
    let new: SectionedText
    let limits: RedlineDiffer.Limits
    let tokens = TokenTable()
    private(set) var isCoarse = false

    init(old: SectionedText, new: SectionedText, limits: RedlineDiffer.Limits) {
        self.old = old
        self.new = new
        self.limits = limits
    }

    mutating func redline(_ alignment: SectionAlignment) -> Redline {
        var sections: [SectionChange] = []
        var ops: [TextOp] = []
        var oldCursor = 0
        // Old sections that are removed, or moved elsewhere, are flushed when the walk over
        // the new version passes the next section that kept its place.
        func flushOld(until end: Int) {
            while oldCursor < end {
                let section = old.sections[oldCursor]
                ops.append(TextOp(.delete, old.text(section.range)))
                if alignment.newIndex(forOld: oldCursor) == nil {
                    sections.append(removed(oldCursor))
                }
                oldCursor += 1
            }
        }
        for newIndex in new.sections.indices {
            guard let oldIndex = alignment.oldIndex(forNew: newIndex) else {
                let section = new.sections[newIndex]
                ops.append(TextOp(.insert, new.text(section.range)))
                sections.append(added(newIndex))
                continue
            }
            let change = compare(oldIndex, newIndex, moved: !alignment.keptInPlace(newIndex))
            if alignment.keptInPlace(newIndex) {
                flushOld(until: oldIndex)
                ops += change.ops
                oldCursor = oldIndex + 1
            } else {
                ops.append(TextOp(.insert, new.text(new.sections[newIndex].range)))
            }
            sections.append(change)
        }
        flushOld(until: old.sections.count)
        return Redline(sections: sections, ops: Cleanup.merge(ops), isCoarse: isCoarse)
    }

    // MARK: Sections

    private func added(_ index: Int) -> SectionChange {
        let section = new.sections[index]
        let heading = section.headingRange.map { [TextOp(.insert, new.text($0))] } ?? []
        let body = section.bodyRange.isEmpty ? [] : [TextOp(.insert, new.text(section.bodyRange))]
        return SectionChange(status: .added, heading: section.title, previousHeading: nil, level: section.level,
                             inserted: Tokenizer.wordCount(new.bytes, section.range), deleted: 0,
                             headingOps: heading, bodyOps: body, oldIndex: nil, newIndex: index)
    }

    private func removed(_ index: Int) -> SectionChange {
        let section = old.sections[index]
        let heading = section.headingRange.map { [TextOp(.delete, old.text($0))] } ?? []
        let body = section.bodyRange.isEmpty ? [] : [TextOp(.delete, old.text(section.bodyRange))]
        return SectionChange(status: .removed, heading: section.title, previousHeading: nil, level: section.level,
                             inserted: 0, deleted: Tokenizer.wordCount(old.bytes, section.range),
                             headingOps: heading, bodyOps: body, oldIndex: index, newIndex: nil)
    }

    private mutating func compare(_ oldIndex: Int, _ newIndex: Int, moved: Bool) -> SectionChange {
        let a = old.sections[oldIndex], b = new.sections[newIndex]
        let headingOps: [TextOp]
        switch (a.headingRange, b.headingRange) {
        case let (x?, y?): headingOps = words(x, y)
        case let (nil, y?): headingOps = [TextOp(.insert, new.text(y))]
        case let (x?, nil): headingOps = [TextOp(.delete, old.text(x))]
        case (nil, nil): headingOps = []
        }
        let bodyOps = blocks(a, b)
        let (inserted, deleted) = Self.count(headingOps + bodyOps)
        let status: SectionStatus
        if moved {
            status = .moved
        } else if a.key != b.key {
            status = .renamed
        } else if inserted + deleted > 0 || (headingOps + bodyOps).contains(where: Self.isSignificant) {
            status = .modified
        } else {
            status = .unchanged
        }
        return SectionChange(status: status, heading: b.title, previousHeading: a.title != b.title ? a.title : nil,
                             level: b.level, inserted: inserted, deleted: deleted,
                             headingOps: headingOps, bodyOps: bodyOps, oldIndex: oldIndex, newIndex: newIndex)
    }

    /// An edit a reader can see: blank lines and trailing spaces added or dropped are not.
    static func isSignificant(_ op: TextOp) -> Bool {
        op.kind != .equal && op.text.unicodeScalars.contains { !$0.properties.isWhitespace }
    }

    static func count(_ ops: [TextOp]) -> (inserted: Int, deleted: Int) {
        var inserted = 0, deleted = 0
        for op in ops where op.kind != .equal {
            let words = Redline.words(op.text)
            if op.kind == .insert { inserted += words } else { deleted += words }
        }
        return (inserted, deleted)
    }

    // MARK: Blocks

    /// Aligns the blocks of two sections, then diffs words inside blocks that were edited.
    private mutating func blocks(_ a: SectionedText.Section, _ b: SectionedText.Section) -> [TextOp] {
        if old.bytes[a.bodyRange] == new.bytes[b.bodyRange] {
            return a.bodyRange.isEmpty ? [] : [TextOp(.equal, old.text(a.bodyRange))]
        }
        let blockTable = TokenTable()
        let oldIDs = a.blocks.map { blockTable.id(old.bytes[$0]) }
        let newIDs = b.blocks.map { blockTable.id(new.bytes[$0]) }
        guard let runs = SequenceDiff.diff(oldIDs, newIDs, maxCost: limits.blockEdits) else {
            isCoarse = true
            return [TextOp(.delete, old.text(a.bodyRange)), TextOp(.insert, new.text(b.bodyRange))].filter { !$0.text.isEmpty }
        }
        var ops: [TextOp] = []
        var index = 0
        while index < runs.count {
            let run = runs[index]
            if run.kind == .equal {
                ops.append(TextOp(.equal, old.text(a.blocks[run.range.lowerBound].lowerBound..<a.blocks[run.range.upperBound - 1].upperBound)))
                index += 1
                continue
            }
            // A replaced region: the deletions and insertions between two equal runs.
            var deletedBlocks: [Range<Int>] = [], insertedBlocks: [Range<Int>] = []
            while index < runs.count && runs[index].kind != .equal {
                if runs[index].kind == .delete { deletedBlocks += runs[index].range.map { a.blocks[$0] } }
                else { insertedBlocks += runs[index].range.map { b.blocks[$0] } }
                index += 1
            }
            ops += replaced(deletedBlocks, insertedBlocks)
        }
        return ops
    }

    /// Pairs old and new blocks of a replaced region by similarity, keeping their order, and
    /// word-diffs each pair; blocks without a partner are deleted or inserted whole.
    private mutating func replaced(_ oldBlocks: [Range<Int>], _ newBlocks: [Range<Int>]) -> [TextOp] {
        var pairs: [(Int, Int)] = []
        if !oldBlocks.isEmpty && !newBlocks.isEmpty && oldBlocks.count * newBlocks.count <= 400 {
            let oldWords = oldBlocks.map { Similarity.wordSet(old.bytes, $0) }
            let newWords = newBlocks.map { Similarity.wordSet(new.bytes, $0) }
            pairs = Similarity.orderedPairs(oldWords, newWords)
        }
        var ops: [TextOp] = []
        var i = 0, j = 0
        for (pairOld, pairNew) in pairs + [(oldBlocks.count, newBlocks.count)] {
            while i < pairOld { ops.append(TextOp(.delete, old.text(oldBlocks[i]))); i += 1 }
            while j < pairNew { ops.append(TextOp(.insert, new.text(newBlocks[j]))); j += 1 }
            if pairOld < oldBlocks.count {
                ops += words(oldBlocks[pairOld], newBlocks[pairNew])
                i += 1
                j += 1
            }
        }
        return ops
    }

    // MARK: Words

    /// Word diff of two ranges, cleaned up so changes read as whole phrases.
    private mutating func words(_ a: Range<Int>, _ b: Range<Int>) -> [TextOp] {
        if old.bytes[a] == new.bytes[b] { return a.isEmpty ? [] : [TextOp(.equal, old.text(a))] }
        let oldTokens = Tokenizer.tokenize(old.bytes, a, table: tokens)
        let newTokens = Tokenizer.tokenize(new.bytes, b, table: tokens)
        guard let runs = SequenceDiff.diff(oldTokens.map(\.id), newTokens.map(\.id), maxCost: limits.wordEdits) else {
            isCoarse = true
            return [TextOp(.delete, old.text(a)), TextOp(.insert, new.text(b))]
        }
        let ops = runs.map { run -> TextOp in
            switch run.kind {
            case .equal, .delete:
                let range = oldTokens[run.range.lowerBound].start..<oldTokens[run.range.upperBound - 1].end
                return TextOp(run.kind == .equal ? .equal : .delete, old.text(range))
            case .insert:
                let range = newTokens[run.range.lowerBound].start..<newTokens[run.range.upperBound - 1].end
                return TextOp(.insert, new.text(range))
            }
        }
        return Cleanup.semantic(ops)
    }
}

enum Similarity {
    static func wordSet(_ bytes: [UInt8], _ range: Range<Int>) -> WordSet {
        // FNV-1a of each word, sorted and unique: comparing two sets is then a merge, with no
        // hashing set-up per word as a Set<Int> of slices' hash values had.
        var words: [UInt64] = []
        bytes.withUnsafeBufferPointer { buffer in
            var hash: UInt64 = 0, inWord = false
            for index in range {
                let byte = buffer[index]
                if Tokenizer.isWordByte(byte) {
                    if !inWord { hash = 0xcbf2_9ce4_8422_2325; inWord = true }
                    hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
                } else if inWord {
                    words.append(hash)
                    inWord = false
                }
            }
            if inWord { words.append(hash) }
        }
        words.sort()
        var unique: [UInt64] = []
        unique.reserveCapacity(words.count)
        for word in words where word != unique.last { unique.append(word) }
        return WordSet(words: unique)
    }

    /// A block's distinct words, as sorted hashes.
    struct WordSet {
        let words: [UInt64]
        var count: Int { words.count }
        var isEmpty: Bool { words.isEmpty }

        func common(with other: WordSet) -> Int {
            var i = 0, j = 0, common = 0
            while i < words.count && j < other.words.count {
                if words[i] == other.words[j] { common += 1; i += 1; j += 1 } else if words[i] < other.words[j] { i += 1 } else { j += 1 }
            }
            return common
        }
    }

    /// Pairs each old block with the most similar later new block (at least half the words in
    /// common), keeping their order; skipped blocks take part in no pair.
    static func orderedPairs(_ oldWords: [WordSet], _ newWords: [WordSet],
                             skipOld: (Int) -> Bool = { _ in false }, skipNew: (Int) -> Bool = { _ in false }) -> [(Int, Int)] {
        var pairs: [(Int, Int)] = []
        var nextNew = 0
        for i in oldWords.indices where nextNew < newWords.count && !skipOld(i) {
            var best: (index: Int, score: Double)?
            for j in nextNew..<newWords.count where !skipNew(j) {
                let score = dice(oldWords[i], newWords[j])
                if score >= 0.5 && score > (best?.score ?? 0) { best = (j, score) }
            }
            if let best {
                pairs.append((i, best.index))
                nextNew = best.index + 1
            }
        }
        return pairs
    }

    /// Dice coefficient of two word sets: 1 for the same words, 0 for none in common.
    static func dice(_ a: WordSet, _ b: WordSet) -> Double {
        if a.isEmpty && b.isEmpty { return 1 }
        return 2 * Double(a.common(with: b)) / Double(a.count + b.count)
    }
}
