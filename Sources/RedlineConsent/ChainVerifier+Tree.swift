import Foundation
import RedlineTransparency

extension ChainVerifier {
    /// What the log's C2SP checkpoints must agree with, beyond the chain itself.
    public struct TreePolicy: Sendable {
        /// The log's origin; nil: the origin of the checkpoints found (they must all be one log's).
        public var origin: String?
        /// Witness keys and how many of them must have cosigned a checkpoint covering the whole log.
        public var witnesses: [NoteVerifier]
        public var quorum: Int

        public init(origin: String? = nil, witnesses: [NoteVerifier] = [], quorum: Int = 0) {
            self.origin = origin
            self.witnesses = witnesses
            self.quorum = quorum
        }
    }

    /// Checks every C2SP checkpoint against the Merkle tree of `rows` (already verified as a
    /// chain): each must be signed by a receipt key of `keyring` under the log's origin, no
    /// larger than the log, and of the same root as the records up to its size. With a quorum,
    /// the largest checkpoint that quorum cosigned must be the whole log: records added after
    /// it are not witnessed yet, and a log rewritten after it no longer matches it.
    /// - Returns: the first problem, or nil.
    public static func verifyTree(_ rows: [EvidenceFile.Row], keyring: ReceiptKeyring, checkpoints: [LogCheckpoint],
                                  policy: TreePolicy) -> Problem? {
        func problem(_ reason: String) -> Problem { Problem(sequence: 0, recordId: "", reason: reason) }
        let origins = Set(checkpoints.map(\.origin))
        guard origins.count <= 1 || policy.origin != nil else {
            return problem("the checkpoints name more than one log: \(origins.sorted().joined(separator: ", ")); say which with --log-origin")
        }
        guard let origin = policy.origin ?? origins.first else {
            return policy.quorum > 0 ? problem("no checkpoint of the log was found, so none is cosigned by \(policy.quorum) witnesses") : nil
        }
        let tree = MerkleTree(leafHashes: rows.lazy.map { TreeHash.leaf(Data($0.evidenceJSON.utf8)) })
        let logKeys = keyring.logVerifiers(origin: origin)
        var witnessed: LogCheckpoint?
        // Sizes whose checkpoint the records give: the largest below a mismatch bounds the change.
        var matchedSizes: [Int] = []
        for checkpoint in checkpoints.sorted(by: { $0.size < $1.size }) {
            guard checkpoint.origin == origin else { return problem("a checkpoint is of the log '\(checkpoint.origin)', not '\(origin)'") }
            guard checkpoint.isSigned(byAnyOf: logKeys) else {
                return problem("the checkpoint of size \(checkpoint.size) is not signed by any receipt key of the log \(origin)")
            }
            guard checkpoint.size <= tree.size else {
                return problem("the log has \(tree.size) records, but a signed checkpoint saw \(checkpoint.size): records were cut from the end")
            }
            guard tree.root(size: checkpoint.size) == checkpoint.root else {
                let twin = checkpoints.contains { $0.size == checkpoint.size && $0.root != checkpoint.root }
                return problem(mismatch(checkpoint, after: matchedSizes.last { $0 < checkpoint.size } ?? 0, tree: tree,
                                        witnesses: policy.witnesses, splitView: twin))
            }
            matchedSizes.append(checkpoint.size)
            let cosigners: [NoteVerifier]
            do { cosigners = try checkpoint.cosigners(among: policy.witnesses) } catch {
                return problem("the checkpoint of size \(checkpoint.size): \(error)")
            }
            if policy.quorum > 0, cosigners.count >= policy.quorum { witnessed = checkpoint }
        }
        guard policy.quorum > 0 else { return nil }
        guard let witnessed else {
            return problem("no checkpoint of the log is cosigned by \(policy.quorum) of the \(policy.witnesses.count) witnesses given")
        }
        if witnessed.size < tree.size {
            return problem("records \(witnessed.size + 1)–\(tree.size) are not covered by a checkpoint cosigned by \(policy.quorum) witnesses "
                           + "(the newest is of size \(witnessed.size)); verify again once the server has had them witnessed")
        }
        return nil
    }

    /// Where a checkpoint and the records part: the largest smaller checkpoint that still
    /// matches (`matched` records) bounds the change from below.
    private static func mismatch(_ checkpoint: LogCheckpoint, after matched: Int, tree: MerkleTree, witnesses: [NoteVerifier],
                                 splitView: Bool) -> String {
        let cosigned = ((try? checkpoint.cosigners(among: witnesses)) ?? []).map(\.name)
        let by = cosigned.isEmpty ? "signed by the log" : "cosigned by \(cosigned.joined(separator: ", "))"
        let span = matched + 1 == checkpoint.size ? "record \(checkpoint.size)" : "a record among \(matched + 1)–\(checkpoint.size)"
        let matching = matched == 1 ? "record 1 matches the checkpoint of size 1" : "records 1–\(matched) match the checkpoint of size \(matched)"
        return "the checkpoint of size \(checkpoint.size) \(by) has root \(checkpoint.root.base64), but the records give "
            + "\(tree.root(size: checkpoint.size).base64): \(span) was changed, removed or reordered after it was checkpointed"
            + (matched > 0 ? " (\(matching))" : "")
            + (splitView ? "; another checkpoint of size \(checkpoint.size) has another root: the log showed two histories (a split view)" : "")
    }
}
