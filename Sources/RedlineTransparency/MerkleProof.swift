/// Checks RFC 6962 proofs with the algorithms of RFC 9162 §2.1.3.2 and §2.1.4.2: what a
/// verifier with nothing but a root (or two) and the proof can know.
public enum MerkleProof {
    /// Whether `proof` shows the leaf with hash `leaf` at `index` in the tree of `size` leaves
    /// whose root is `root`.
    public static func verifyInclusion(leaf: TreeHash, index: Int, size: Int, proof: [TreeHash], root: TreeHash) -> Bool {
        guard index >= 0, index < size else { return false }
        var fn = index, sn = size - 1
        var hash = leaf
        for sibling in proof {
            guard sn > 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                hash = .node(sibling, hash)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 { fn >>= 1; sn >>= 1 }
                }
            } else {
                hash = .node(hash, sibling)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && hash == root
    }

    /// Whether `proof` shows that the tree of `oldSize` leaves with root `oldRoot` is a prefix
    /// of the tree of `newSize` leaves with root `newRoot`: the log only grew.
    public static func verifyConsistency(oldSize: Int, oldRoot: TreeHash, newSize: Int, newRoot: TreeHash, proof: [TreeHash]) -> Bool {
        guard oldSize >= 0, oldSize <= newSize else { return false }
        if oldSize == newSize { return proof.isEmpty && oldRoot == newRoot }
        // Every tree extends the empty one.
        if oldSize == 0 { return proof.isEmpty }
        var path = proof
        // A complete old tree is a node of the new one: its root starts the path.
        if oldSize & (oldSize - 1) == 0 { path.insert(oldRoot, at: 0) }
        guard let first = path.first else { return false }
        var fn = oldSize - 1, sn = newSize - 1
        while fn & 1 == 1 { fn >>= 1; sn >>= 1 }
        var oldHash = first, newHash = first
        for hash in path.dropFirst() {
            guard sn > 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                oldHash = .node(hash, oldHash)
                newHash = .node(hash, newHash)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 { fn >>= 1; sn >>= 1 }
                }
            } else {
                newHash = .node(newHash, hash)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && oldHash == oldRoot && newHash == newRoot
    }
}
