import ArgumentParser
import Foundation
import RedlineConsent
import RedlineTransparency

extension VerifyCommand {
    /// The C2SP checkpoints beside each checkpoint log, and those given with `--checkpoint`.
    func logCheckpoints(_ logs: [String]) throws -> [LogCheckpoint] {
        var text = ""
        for path in logs {
            let notes = CheckpointNotes.path(forLog: path)
            if FileManager.default.fileExists(atPath: notes) { text += try LogTrust.read(notes, what: "log checkpoints") }
        }
        for path in checkpoint { text += try LogTrust.read(path, what: "checkpoint") }
        let (checkpoints, problems) = CheckpointNotes.parse(text, name: "checkpoints")
        if let problem = problems.first { throw UsageError(problem) }
        return checkpoints
    }

    /// The keyring given by --keys or --receipt-key, if any (a tlog-proof needs no database).
    private func offlineKeyring() throws -> ReceiptKeyring? {
        if let keys { return try ReceiptKeyring.read(keys) }
        if let receiptKey { return try ReceiptKeyring.read(ReceiptKeyring.path(forPrivateKey: receiptKey)) }
        return nil
    }

    /// A receipt as a tlog-proof, alone: the log signed the checkpoint, the leaf is under its root,
    /// the witnesses cosigned, and the leaf is a consent record. Exit 1 when it does not verify.
    @discardableResult
    func verifyProof(_ path: String, keyring: ReceiptKeyring? = nil) throws -> TlogProof {
        let proof = try TlogProof(parsing: LogTrust.read(path, what: "receipt"))
        let origin = logOrigin ?? proof.checkpoint.origin
        let logKeys = try LogTrust.logKeys(publicKey: publicKey, keyring: try keyring ?? offlineKeyring(), origin: origin)
        guard !logKeys.isEmpty else { throw UsageError("give the log's key: --public-key (vkey or base64), --keys FILE or --receipt-key FILE") }
        let (witnesses, quorum) = try LogTrust.witnesses(witnessKey, quorum: quorum)
        var problem: String?
        var cosigners: [NoteVerifier] = []
        for key in logKeys {
            do {
                cosigners = try proof.verify(log: key, witnesses: witnesses, quorum: quorum)
                problem = nil
                break
            } catch let error as NoteError {
                problem = problem ?? error.description
            }
        }
        guard let leaf = proof.extra, let evidence = try? JSONDecoder().decode(ConsentEvidence.self, from: leaf) else {
            Console.printError("\(path): does not verify: \(problem ?? "its leaf (the extra line) is not a consent record")")
            throw ExitCode.failure
        }
        if let problem {
            Console.printError("\(path): receipt \(evidence.recordId) does not verify: \(problem)")
            throw ExitCode.failure
        }
        guard evidence.sequence == Int64(proof.index) + 1 else {
            Console.printError("\(path): the record says it is number \(evidence.sequence), the proof puts it at \(proof.index + 1)")
            throw ExitCode.failure
        }
        print("\(path): receipt \(evidence.recordId) (record \(evidence.sequence), entryHash \(Canonical.sha256Hex(leaf))) is in the log "
              + "\(proof.checkpoint.origin) of \(Console.count(proof.checkpoint.size, "record"))"
              + (witnesses.isEmpty ? "" : ", cosigned by \(cosigners.map(\.name).joined(separator: ", ")) (\(cosigners.count) of \(witnesses.count))"))
        return proof
    }

    /// Two checkpoints without the database: both signed by the log, and the larger one extends
    /// the smaller (a consistency proof given with --proof); equal sizes need equal roots.
    func verifyCheckpoints() throws {
        guard checkpoint.count == 2 else { throw UsageError("give two --checkpoint files to compare (or --db to check them against the records)") }
        let pair = try checkpoint.map { path in
            do { return try LogCheckpoint(parsing: LogTrust.read(path, what: "checkpoint")) } catch let error as NoteError {
                throw UsageError("\(path) is not a checkpoint: \(error)")
            }
        }.sorted { $0.size < $1.size }
        let (old, new) = (pair[0], pair[1])
        guard old.origin == new.origin else { throw UsageError("the checkpoints are of two logs: \(old.origin) and \(new.origin)") }
        let logKeys = try LogTrust.logKeys(publicKey: publicKey, keyring: try offlineKeyring(), origin: logOrigin ?? new.origin)
        guard !logKeys.isEmpty else { throw UsageError("give the log's key: --public-key (vkey or base64), --keys FILE or --receipt-key FILE") }
        let (witnesses, quorum) = try LogTrust.witnesses(witnessKey, quorum: quorum)
        for checkpoint in [old, new] {
            guard logKeys.contains(where: { (try? checkpoint.verify(log: $0)) != nil }) else {
                Console.printError("the checkpoint of size \(checkpoint.size) is not signed by the log's key")
                throw ExitCode.failure
            }
            let cosigners = try checkpoint.cosigners(among: witnesses)
            guard cosigners.count >= quorum else {
                Console.printError("the checkpoint of size \(checkpoint.size) is cosigned by \(cosigners.count) of the witnesses given; \(quorum) are required")
                throw ExitCode.failure
            }
        }
        var hashes: [TreeHash] = []
        if old.size != new.size, old.size > 0 {
            guard let proof else { throw UsageError("give --proof: the consistency proof from \(old.size) to \(new.size) (GET /api/v1/log/consistency?old=\(old.size)&size=\(new.size))") }
            hashes = try LogTrust.read(proof, what: "consistency proof").split(separator: "\n").map { line in
                guard let hash = TreeHash(base64: line) else { throw UsageError("\(proof): '\(line.prefix(60))' is not a base64 SHA-256 hash") }
                return hash
            }
        }
        guard MerkleProof.verifyConsistency(oldSize: old.size, oldRoot: old.root, newSize: new.size, newRoot: new.root, proof: hashes) else {
            Console.printError(old.size == new.size
                ? "two different roots for size \(old.size): the log showed two histories (a split view)"
                : "the checkpoint of size \(new.size) does not extend the one of size \(old.size): the log was rewritten between them, or the proof is not theirs")
            throw ExitCode.failure
        }
        print("the log \(new.origin) at size \(new.size) extends its checkpoint at size \(old.size): nothing before it was changed")
    }
}
