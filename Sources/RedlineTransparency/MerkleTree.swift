/// An append-only RFC 6962 Merkle tree kept in memory: level 0 holds the leaf hashes, level k
/// the hashes of the complete subtrees of 2^k leaves. Every subtree RFC 6962 splits a tree into
/// has a left part that is such a complete subtree, so the root of any earlier size, and every
/// inclusion and consistency proof, takes O(log n) hashes.
///
/// Not thread-safe: its owner (an actor) serializes appends and reads.
public struct MerkleTree: Sendable {
    private var levels: [[TreeHash]] = [[]]

    public init() {}

    public init(leafHashes: some Sequence<TreeHash>) {
        for hash in leafHashes { append(leafHash: hash) }
    }

    /// The number of leaves.
    public var size: Int { levels[0].count }

    public mutating func append(leafHash: TreeHash) {
        levels[0].append(leafHash)
        var level = 0
        // A new leaf completes a subtree at every level where its index ends in a run of ones.
        while levels[level].count % 2 == 0 {
            let pair = levels[level].suffix(2)
            let parent = TreeHash.node(pair[pair.startIndex], pair[pair.startIndex + 1])
            if levels.count == level + 1 { levels.append([]) }
            levels[level + 1].append(parent)
            level += 1
        }
    }

    public func leafHash(at index: Int) -> TreeHash { levels[0][index] }

    /// MTH of the first `size` leaves (`size` ≤ ``size``).
    public func root(size: Int) -> TreeHash {
        precondition(size <= self.size, "a root of \(size) leaves asked of a tree of \(self.size)")
        return size == 0 ? .empty : hash(0..<size)
    }

    /// PATH(index, D[0:size]) of RFC 6962 §2.1.1: the audit path, the leaf's sibling first.
    public func inclusionProof(index: Int, size: Int) -> [TreeHash] {
        precondition(index < size && size <= self.size)
        return path(index, 0..<size)
    }

    /// PROOF(old, D[0:size]) of RFC 6962 §2.1.2; empty when `old` is 0 or `size`.
    public func consistencyProof(old: Int, size: Int) -> [TreeHash] {
        precondition(old <= size && size <= self.size)
        guard old > 0, old < size else { return [] }
        return subproof(old, 0..<size, complete: true)
    }

    // MARK: RFC 6962's recursions over leaf ranges

    /// MTH(D[range]): a complete aligned subtree is read from its level, anything else split.
    private func hash(_ range: Range<Int>) -> TreeHash {
        let count = range.count
        if count == 1 { return levels[0][range.lowerBound] }
        if count & (count - 1) == 0 {
            let level = count.trailingZeroBitCount
            return levels[level][range.lowerBound >> level]
        }
        let split = Self.largestPowerOfTwo(below: count)
        return .node(hash(range.lowerBound..<(range.lowerBound + split)), hash((range.lowerBound + split)..<range.upperBound))
    }

    private func path(_ index: Int, _ range: Range<Int>) -> [TreeHash] {
        guard range.count > 1 else { return [] }
        let split = range.lowerBound + Self.largestPowerOfTwo(below: range.count)
        if range.lowerBound + index < split {
            return path(index, range.lowerBound..<split) + [hash(split..<range.upperBound)]
        }
        return path(index - (split - range.lowerBound), split..<range.upperBound) + [hash(range.lowerBound..<split)]
    }

    private func subproof(_ old: Int, _ range: Range<Int>, complete: Bool) -> [TreeHash] {
        if old == range.count { return complete ? [] : [hash(range)] }
        let width = Self.largestPowerOfTwo(below: range.count)
        let split = range.lowerBound + width
        if old <= width {
            return subproof(old, range.lowerBound..<split, complete: complete) + [hash(split..<range.upperBound)]
        }
        return subproof(old - width, split..<range.upperBound, complete: false) + [hash(range.lowerBound..<split)]
    }

    /// The largest power of two strictly below `count` (count ≥ 2): RFC 6962's k.
    static func largestPowerOfTwo(below count: Int) -> Int {
        1 << (Int.bitWidth - 1 - (count - 1).leadingZeroBitCount)
    }
}
