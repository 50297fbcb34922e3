import Foundation
import Logging
import RedlineConsent
import RedlineTransparency
import RedlineWitness

/// Keeps the consent log's C2SP checkpoints: the Merkle tree over the chain, a checkpoint
/// signed with the receipt key whenever the tree has grown, every checkpoint appended to the
/// notes file beside the checkpoint log, and the witnesses' cosignatures added as they come.
public actor LogKeeper {
    public nonisolated let log: ConsentMerkleLog
    let signer: NoteSigner
    public let notesPath: String
    /// How many witness cosignatures make a checkpoint witnessed (0: no witnesses).
    public let quorum: Int
    let witnessKeys: [NoteVerifier]
    /// The newest checkpoint, with whatever cosignatures it has gathered.
    public private(set) var latest: LogCheckpoint?
    /// The newest checkpoint with a quorum of cosignatures (the newest at all when no witness is configured).
    public private(set) var witnessed: LogCheckpoint?

    public init(log: ConsentMerkleLog, signer: NoteSigner, notesPath: String, witnessKeys: [NoteVerifier] = [], quorum: Int = 0) {
        self.log = log
        self.signer = signer
        self.notesPath = notesPath
        self.witnessKeys = witnessKeys
        self.quorum = quorum
    }

    /// Builds the tree from the chain and checks it against the newest checkpoint in the notes
    /// file: a chain that no longer gives that root was cut or rewritten, and is refused.
    public func resume(keyring: ReceiptKeyring) async throws {
        let size = try await log.catchUp()
        let (checkpoints, _) = try CheckpointNotes.read(notesPath)
        let origin = log.origin
        let keys = keyring.logVerifiers(origin: origin)
        let ours = checkpoints.filter { $0.origin == origin && $0.isSigned(byAnyOf: keys) }
        guard let newest = ours.max(by: { $0.size < $1.size }) else { return }
        guard newest.size <= size else {
            throw CheckpointMismatch(description: "the consent log has \(size) records, but its checkpoint in \(notesPath) saw \(newest.size): "
                                     + "records are missing; run 'redline consent verify'")
        }
        guard await log.root(size: newest.size) == newest.root else {
            throw CheckpointMismatch(description: "the first \(newest.size) records of the consent log no longer give the root its checkpoint in "
                                     + "\(notesPath) signed: the log was rewritten; run 'redline consent verify'")
        }
        latest = newest
        witnessed = ours.filter(isWitnessed).max { $0.size < $1.size }
    }

    /// Signs and appends a checkpoint when the chain has grown since the last one.
    @discardableResult
    public func checkpointIfAdvanced() async throws -> LogCheckpoint? {
        let size = try await log.catchUp()
        guard size > latest?.size ?? 0 else { return nil }
        let checkpoint = try LogCheckpoint(origin: log.origin, size: size, root: await log.root(size: size), signer: signer)
        try CheckpointNotes.append(checkpoint, to: notesPath)
        latest = checkpoint
        if quorum == 0 { witnessed = checkpoint }
        return checkpoint
    }

    /// Adds witnesses' cosignatures to the checkpoint of that size and root, and records them.
    public func add(_ signatures: [NoteSignature], to checkpoint: LogCheckpoint) throws {
        guard !signatures.isEmpty else { return }
        var cosigned = latest?.size == checkpoint.size && latest?.root == checkpoint.root ? latest! : checkpoint
        for signature in signatures { cosigned.add(signature) }
        try CheckpointNotes.append(cosigned, to: notesPath)
        if latest?.size == cosigned.size { latest = cosigned }
        if isWitnessed(cosigned), cosigned.size >= witnessed?.size ?? 0 { witnessed = cosigned }
    }

    /// How many of the witness keys cosigned `checkpoint`.
    public func cosignerCount(_ checkpoint: LogCheckpoint) -> Int {
        (try? checkpoint.cosigners(among: witnessKeys))?.count ?? 0
    }

    private func isWitnessed(_ checkpoint: LogCheckpoint) -> Bool {
        quorum == 0 || cosignerCount(checkpoint) >= quorum
    }

    /// The receipt of `row` as a tlog-proof: its leaf, its path to the newest witnessed
    /// checkpoint that covers it (or the newest covering one while witnesses have not answered).
    /// nil until a checkpoint covers the record.
    public func proof(of row: EvidenceFile.Row) async -> TlogProof? {
        let index = Int(row.sequence) - 1
        let candidates = [witnessed, latest].compactMap { $0 }.filter { $0.size > index }
        guard let checkpoint = candidates.first else { return nil }
        return TlogProof(extra: Data(row.evidenceJSON.utf8), index: index,
                         path: await log.inclusionProof(index: index, size: checkpoint.size), checkpoint: checkpoint)
    }
}
