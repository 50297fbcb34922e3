import Foundation
import RedlineParallel

/// The structure-tolerant redline: blocks are aligned across the whole document by their words,
/// whatever section they are in, so text that survives an edit stays `equal` when its heading was
/// renamed, promoted or demoted, a wrapper heading was added above it, a bold lead-in became a
/// heading, a section was split or merged, or a block changed kind (paragraph, list item, table
/// row, heading) but kept its words. Sections are then described from where their text came from.
///
/// Steps: (1) every heading and block of both texts gets a key, its words without markup;
/// (2) the two key sequences are diffed; (3) blocks deleted in one place and inserted with the
/// same words in another are a move; (4) each stretch between equal blocks is diffed word by
/// word as one text, so a paragraph cut into a heading and a paragraph, or two items merged,
/// costs only the markup that changed; (5) ops are cut at the new text's sections.
struct BlockAlignment {
    let old: SectionedText
    let new: SectionedText
    let limits: RedlineDiffer.Limits

    /// An op as the byte ranges it covers (its text is the old range's for a deletion, the new
    /// range's otherwise), and whether its text moved rather than changed.
    struct Piece {
        let kind: TextOp.Kind
        let oldRange: Range<Int>
        let newRange: Range<Int>
        /// Words of the op that count as changed: moved blocks and formatting count none.
        let changedWords: Int
        /// A whole block deleted here and inserted with the same words elsewhere.
        let moved: Bool
    }

    /// The redline, or nil when the texts differ too much for a block-level alignment (the
    /// caller falls back to matching sections by heading).
    func redline() -> Redline? {
        let oldUnits = old.units, newUnits = new.units
        let (oldKeys, newKeys) = Self.keys(old, new, parallel: isBig)
        guard let runs = SequenceDiff.diff(oldKeys, newKeys, maxCost: limits.blockEdits) else { return nil }
        let moves = Self.moves(runs, oldKeys: oldKeys, newKeys: newKeys, oldUnits: oldUnits, newUnits: newUnits,
                               oldBytes: old.bytes, newBytes: new.bytes)

        var pieces: [Piece] = []
        // Changed stretches, with where their pieces go among the others.
        var regions: [(position: Int, region: Region)] = []
        var oldUnit = 0, newUnit = 0
        var index = 0
        while index < runs.count {
            if runs[index].kind == .equal {
                for offset in 0..<runs[index].range.count {
                    pair(oldUnits[oldUnit + offset].range, newUnits[newUnit + offset].range, into: &pieces)
                }
                oldUnit += runs[index].range.count
                newUnit += runs[index].range.count
                index += 1
                continue
            }
            var deleted = 0, inserted = 0
            while index < runs.count && runs[index].kind != .equal {
                if runs[index].kind == .delete { deleted += runs[index].range.count } else { inserted += runs[index].range.count }
                index += 1
            }
            // Where the stretch starts on each side, for the side that has nothing in it.
            let oldAt = oldUnit < oldUnits.count ? oldUnits[oldUnit].range.lowerBound : old.bytes.count
            let newAt = newUnit < newUnits.count ? newUnits[newUnit].range.lowerBound : new.bytes.count
            regions.append((pieces.count, Region(old: Array(oldUnits[oldUnit..<oldUnit + deleted]), new: Array(newUnits[newUnit..<newUnit + inserted]),
                                                 at: (oldAt, newAt))))
            oldUnit += deleted
            newUnit += inserted
        }
        // The changed stretches are independent: on big texts, diffed on every core.
        let jobs = regions.map(\.region)
        let results = parallelMap(jobs, inParallel: isBig) { [self] in region($0, moves: moves) }
        var all: [Piece] = []
        all.reserveCapacity(pieces.count + results.reduce(0) { $0 + $1.count })
        var next = 0
        for ((position, _), result) in zip(regions, results) {
            all += pieces[next..<position]
            all += result
            next = position
        }
        all += pieces[next...]
        return SectionsFromPieces(old: old, new: new, pieces: all, moves: moves, parallel: isBig, limits: limits).redline()
    }

    /// Texts big enough for their work to be spread over threads.
    var isBig: Bool { RedlineDiffer.isWorthThreads(bytes: old.bytes.count + new.bytes.count) }

    /// A stretch of deleted and inserted blocks between two equal ones, starting at `at` in each text.
    struct Region: Sendable {
        let old: [SectionedText.Unit]
        let new: [SectionedText.Unit]
        let at: (old: Int, new: Int)
    }

    // MARK: Keys and moves

    /// An id per unit of each text, equal for units with the same words. Most units are byte for
    /// byte the same in both texts: those are known by a fast hash of their bytes, and only the
    /// others (a few percent) have their words hashed, which costs a pass byte by byte.
    static func keys(_ old: SectionedText, _ new: SectionedText, parallel: Bool) -> ([Int32], [Int32]) {
        let (oldRaw, newRaw) = concurrently({ old.units.map { rawKey(old.bytes, $0.range) } }, { new.units.map { rawKey(new.bytes, $0.range) } },
                                            inParallel: parallel)
        // Which texts each byte hash occurs in: bit 1 the old, bit 2 the new.
        var sides = HashTable(capacity: oldRaw.count + newRaw.count)
        for raw in oldRaw { sides[raw] = (sides[raw] ?? 0) | 1 }
        for raw in newRaw { sides[raw] = (sides[raw] ?? 0) | 2 }
        var rawIDs = HashTable(capacity: oldRaw.count + newRaw.count), wordIDs = HashTable(capacity: 64)
        var next: Int32 = 0
        func id(_ hash: UInt64, in ids: inout HashTable) -> Int32 {
            if let id = ids[hash] { return id }
            ids[hash] = next
            next += 1
            return next - 1
        }
        func keys(_ text: SectionedText, _ raw: [UInt64]) -> [Int32] {
            zip(text.units, raw).map { unit, raw in
                sides[raw] == 3 ? id(raw, in: &rawIDs) : id(wordKey(text.bytes, unit.range), in: &wordIDs)
            }
        }
        return (keys(old, oldRaw), keys(new, newRaw))
    }

    /// A hash of a block's bytes, eight at a time.
    static func rawKey(_ bytes: [UInt8], _ range: Range<Int>) -> UInt64 {
        bytes.withUnsafeBytes { buffer in
            var hash = UInt64(truncatingIfNeeded: range.count) &* 0x9E37_79B9_7F4A_7C15
            var index = range.lowerBound
            while index + 8 <= range.upperBound {
                hash = (hash ^ buffer.loadUnaligned(fromByteOffset: index, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
                hash ^= hash >> 31
                index += 8
            }
            while index < range.upperBound {
                hash = (hash ^ UInt64(buffer[index])) &* 0x94D0_49BB_1331_11EB
                index += 1
            }
            return hash ^ (hash >> 29)
        }
    }

    /// A hash (FNV-1a, 64 bits) of a block's words one space apart: the same for
    /// `**With your consent.**` and `#### With your consent`. Two blocks whose keys collide are
    /// compared word by word like any pair, so a collision costs time, never exactness.
    static func wordKey(_ bytes: [UInt8], _ range: Range<Int>) -> UInt64 {
        bytes.withUnsafeBufferPointer { buffer in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            var inWord = false, first = true
            for index in range {
                let byte = buffer[index]
                if Tokenizer.isWordByte(byte) {
                    if !inWord && !first { hash = (hash ^ 0x20) &* 0x100_0000_01b3 }
                    hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
                    inWord = true
                    first = false
                } else {
                    inWord = false
                }
            }
            return hash
        }
    }

    /// Blocks deleted in one place and inserted with the same words elsewhere (at least a few
    /// words: a lone "Yes" matches too much), paired in order.
    struct Moves {
        /// New unit → old unit it came from.
        var source: [Int: Int] = [:]
        /// Where the moved blocks start, in each text: a block is known by its first byte.
        private(set) var oldStarts: Set<Int> = []
        private(set) var newStarts: Set<Int> = []

        mutating func add(old: SectionedText.Unit, at oldIndex: Int, new: SectionedText.Unit, at newIndex: Int) {
            source[newIndex] = oldIndex
            oldStarts.insert(old.range.lowerBound)
            newStarts.insert(new.range.lowerBound)
        }

        func isMoved(old unit: SectionedText.Unit) -> Bool { oldStarts.contains(unit.range.lowerBound) }
        func isMoved(new unit: SectionedText.Unit) -> Bool { newStarts.contains(unit.range.lowerBound) }
    }

    static func moves(_ runs: [EditRun], oldKeys: [Int32], newKeys: [Int32], oldUnits: [SectionedText.Unit], newUnits: [SectionedText.Unit],
                      oldBytes: [UInt8], newBytes: [UInt8]) -> Moves {
        var deletedByKey: [Int32: [Int]] = [:]
        for run in runs where run.kind == .delete {
            // Headings move with their sections, however short.
            for unit in run.range where oldUnits[unit].isHeading || Tokenizer.wordCount(oldBytes, oldUnits[unit].range) >= 4 {
                deletedByKey[oldKeys[unit], default: []].append(unit)
            }
        }
        var moves = Moves()
        guard !deletedByKey.isEmpty else { return moves }
        for run in runs where run.kind == .insert {
            for unit in run.range {
                guard var candidates = deletedByKey[newKeys[unit]], !candidates.isEmpty else { continue }
                let source = candidates.removeFirst()
                deletedByKey[newKeys[unit]] = candidates
                moves.add(old: oldUnits[source], at: source, new: newUnits[unit], at: unit)
            }
        }
        return moves
    }

    // MARK: Ops

    /// `x[a] == y[b]`, by memcmp (ArraySlice's == goes element by element).
    static func sameBytes(_ x: [UInt8], _ a: Range<Int>, _ y: [UInt8], _ b: Range<Int>) -> Bool {
        guard a.count == b.count, !a.isEmpty else { return a.count == b.count }
        return x.withUnsafeBytes { xs in
            y.withUnsafeBytes { ys in memcmp(xs.baseAddress! + a.lowerBound, ys.baseAddress! + b.lowerBound, a.count) == 0 }
        }
    }

    /// Two blocks with the same words: equal, or differing only in markup. Appended in place:
    /// nearly every block of a big text comes here, and an array per block cost more than its check.
    private func pair(_ a: Range<Int>, _ b: Range<Int>, into pieces: inout [Piece]) {
        if Self.sameBytes(old.bytes, a, new.bytes, b) {
            if !a.isEmpty { pieces.append(Piece(kind: .equal, oldRange: a, newRange: b, changedWords: 0, moved: false)) }
        } else {
            pieces += words(a, b) ?? replacedWhole(a, b)
        }
    }

    /// A stretch of deleted and inserted blocks between two equal ones, starting at `at` in each text.
    /// Diffed block by block (pairs of similar blocks) and word by word over the whole stretch
    /// (which sees a paragraph cut into a heading and a paragraph); the one with fewer changed
    /// words is kept, then the one striking out less text, then blocks, since they read better.
    private func region(_ region: Region, moves: Moves) -> [Piece] {
        let oldUnits = region.old, newUnits = region.new, at = region.at
        if newUnits.isEmpty || oldUnits.isEmpty {
            return oldUnits.map { whole(.delete, $0.range, at: at.new, moved: moves.isMoved(old: $0)) }
                + newUnits.map { whole(.insert, $0.range, at: at.old, moved: moves.isMoved(new: $0)) }
        }
        let byBlock = paired(oldUnits, newUnits, moves: moves)
        let hasMoves = oldUnits.contains { moves.isMoved(old: $0) } || newUnits.contains { moves.isMoved(new: $0) }
        guard !hasMoves, let oldRange = oldUnits.first.map({ $0.range.lowerBound..<oldUnits.last!.range.upperBound }),
              let newRange = newUnits.first.map({ $0.range.lowerBound..<newUnits.last!.range.upperBound }),
              let byWord = words(oldRange, newRange) else { return byBlock }
        // Fewer changed words first; then less text struck out and inserted.
        func cost(_ pieces: [Piece]) -> (Int, Int) {
            (pieces.reduce(0) { $0 + $1.changedWords }, pieces.reduce(0) { $0 + ($1.kind == .equal ? 0 : $1.kind == .delete ? $1.oldRange.count : $1.newRange.count) })
        }
        return cost(byWord) < cost(byBlock) ? byWord : byBlock
    }

    /// Pairs old and new blocks by shared words, in order, word-diffing each pair; moved and
    /// unpaired blocks are deleted or inserted whole.
    private func paired(_ oldUnits: [SectionedText.Unit], _ newUnits: [SectionedText.Unit], moves: Moves) -> [Piece] {
        var pairs: [(Int, Int)] = []
        if oldUnits.count * newUnits.count <= 400 {
            let oldWords = oldUnits.map { Similarity.wordSet(old.bytes, $0.range) }
            let newWords = newUnits.map { Similarity.wordSet(new.bytes, $0.range) }
            pairs = Similarity.orderedPairs(oldWords, newWords, skipOld: { moves.isMoved(old: oldUnits[$0]) },
                                            skipNew: { moves.isMoved(new: newUnits[$0]) })
        }
        var pieces: [Piece] = []
        var i = 0, j = 0
        // Where the other text is while a block is deleted or inserted whole.
        func newAt() -> Int { j < newUnits.count ? newUnits[j].range.lowerBound : newUnits.last!.range.upperBound }
        func oldAt() -> Int { i < oldUnits.count ? oldUnits[i].range.lowerBound : oldUnits.last!.range.upperBound }
        for (pairOld, pairNew) in pairs + [(oldUnits.count, newUnits.count)] {
            while i < pairOld { pieces.append(whole(.delete, oldUnits[i].range, at: newAt(), moved: moves.isMoved(old: oldUnits[i]))); i += 1 }
            while j < pairNew { pieces.append(whole(.insert, newUnits[j].range, at: oldAt(), moved: moves.isMoved(new: newUnits[j]))); j += 1 }
            if pairOld < oldUnits.count {
                pieces += words(oldUnits[pairOld].range, newUnits[pairNew].range) ?? replacedWhole(oldUnits[pairOld].range, newUnits[pairNew].range)
                i += 1
                j += 1
            }
        }
        return pieces
    }

    /// A block deleted or inserted whole; `at` is where the other text is meanwhile.
    private func whole(_ kind: TextOp.Kind, _ range: Range<Int>, at: Int, moved: Bool) -> Piece {
        let bytes = kind == .delete ? old.bytes : new.bytes
        return Piece(kind: kind,
                     oldRange: kind == .delete ? range : at..<at, newRange: kind == .insert ? range : at..<at,
                     changedWords: moved ? 0 : Tokenizer.wordCount(bytes, range), moved: moved)
    }

    private func replacedWhole(_ a: Range<Int>, _ b: Range<Int>) -> [Piece] {
        (a.isEmpty ? [] : [whole(.delete, a, at: b.lowerBound, moved: false)]) + (b.isEmpty ? [] : [whole(.insert, b, at: a.upperBound, moved: false)])
    }

    /// Word diff of two ranges. Words are counted on the raw diff; the ops a reader sees are
    /// cleaned up so changes read as whole phrases (folding a short equal word into an edit
    /// must not count it as changed twice).
    func words(_ a: Range<Int>, _ b: Range<Int>) -> [Piece]? {
        // A table of its own: ids need only agree within this pair, and regions run in parallel.
        let tokens = TokenTable()
        let oldTokens = Tokenizer.tokenize(old.bytes, a, table: tokens)
        let newTokens = Tokenizer.tokenize(new.bytes, b, table: tokens)
        guard let runs = SequenceDiff.diff(oldTokens.map(\.id), newTokens.map(\.id), maxCost: limits.wordEdits) else { return nil }
        var raw: [TextOp] = []
        // Where each raw edit's words are: (offset in its own text, words).
        var deletedWords: [(at: Int, words: Int)] = [], insertedWords: [(at: Int, words: Int)] = []
        for run in runs {
            let tokens = run.kind == .insert ? newTokens : oldTokens
            let range = tokens[run.range.lowerBound].start..<tokens[run.range.upperBound - 1].end
            let bytes = run.kind == .insert ? new.bytes : old.bytes
            switch run.kind {
            case .equal: raw.append(TextOp(.equal, String(decoding: bytes[range], as: UTF8.self)))
            case .delete:
                raw.append(TextOp(.delete, String(decoding: bytes[range], as: UTF8.self)))
                deletedWords.append((range.lowerBound, Tokenizer.wordCount(bytes, range)))
            case .insert:
                raw.append(TextOp(.insert, String(decoding: bytes[range], as: UTF8.self)))
                insertedWords.append((range.lowerBound, Tokenizer.wordCount(bytes, range)))
            }
        }
        var pieces: [Piece] = []
        var oldAt = a.lowerBound, newAt = b.lowerBound
        for op in Cleanup.semantic(raw) {
            let length = op.text.utf8.count
            let oldRange = oldAt..<(op.kind == .insert ? oldAt : oldAt + length)
            let newRange = newAt..<(op.kind == .delete ? newAt : newAt + length)
            oldAt = oldRange.upperBound
            newAt = newRange.upperBound
            let words: Int
            switch op.kind {
            case .equal: words = 0
            case .delete: words = deletedWords.filter { oldRange.contains($0.at) }.reduce(0) { $0 + $1.words }
            case .insert: words = insertedWords.filter { newRange.contains($0.at) }.reduce(0) { $0 + $1.words }
            }
            pieces.append(Piece(kind: op.kind, oldRange: oldRange, newRange: newRange, changedWords: words, moved: false))
        }
        return pieces
    }
}
