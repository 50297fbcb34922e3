import Foundation

/// Checks that no record was changed, removed, moved or reordered: every row's columns agree
/// with its hashed evidence, every `entryHash` is the hash of its evidence, every record points
/// at the one before it, sequences have no gaps, every signature is valid for the key in use
/// when the record was made, personal fields still kept match their digest, and the chain
/// reaches every signed checkpoint with the hash the checkpoint saw.
public enum ChainVerifier {
    public struct Report: Sendable, Equatable {
        public let recordsChecked: Int
        public let checkpointsChecked: Int
        /// The first broken link, or nil when the whole chain verifies.
        public let firstProblem: Problem?

        public var isIntact: Bool { firstProblem == nil }
    }

    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public let sequence: Int64
        public let recordId: String
        public let reason: String

        public var description: String { recordId.isEmpty ? reason : "record \(sequence) (\(recordId)): \(reason)" }
    }

    /// Verifies rows as stored, columns included, against `keyring` and `checkpoints`.
    /// A checkpoint file has a line that is not a checkpoint: the log is not checked against fewer than were written.
    public struct UnreadableCheckpoints: Error, CustomStringConvertible {
        public let description: String
    }

    /// The stored log against its keys and every checkpoint in `checkpointLogs` (each with its head
    /// file): the one check behind `consent verify` and `consent export` alike.
    /// - Throws: ``UnreadableCheckpoints`` for the first line of a checkpoint file that cannot be read.
    public static func verify(_ rows: [EvidenceFile.Row], keyring: ReceiptKeyring, checkpointLogs: [String]) throws -> Report {
        var checkpoints: [Checkpoint] = []
        for path in checkpointLogs {
            let (found, problems) = try CheckpointLog.read(path)
            if let problem = problems.first { throw UnreadableCheckpoints(description: problem) }
            checkpoints += found
        }
        return verify(rows, keyring: keyring, checkpoints: checkpoints)
    }

    public static func verify(_ rows: [EvidenceFile.Row], keyring: ReceiptKeyring, checkpoints: [Checkpoint] = []) -> Report {
        var links: [Link] = []
        links.reserveCapacity(rows.count)
        for (index, row) in rows.enumerated() {
            func problem(_ reason: String) -> Report {
                Report(recordsChecked: index, checkpointsChecked: 0,
                       firstProblem: Problem(sequence: row.sequence, recordId: row.recordId, reason: reason))
            }
            let fields = ChainFields.of(row.evidenceJSON)
            if fields?.isNotice == true {
                switch noticeLink(row) {
                case .success(let link): links.append(link)
                case .failure(let reason): return problem(reason.description)
                }
                continue
            }
            guard let evidence = try? JSONDecoder().decode(ConsentEvidence.self, from: Data(row.evidenceJSON.utf8)) else {
                return problem("evidence_json is not a consent record")
            }
            if let reason = columnProblem(row, sequence: evidence.sequence, recordId: evidence.recordId, canonical: Canonical.json(evidence)) {
                return problem(reason)
            }
            if row.idempotencyKeyDigest != evidence.idempotencyKeyDigest {
                return problem("the idempotency_key_digest column does not match the evidence")
            }
            var personal: PersonalFields?
            if let json = row.personalJSON {
                guard let decoded = try? JSONDecoder().decode(PersonalFields.self, from: Data(json.utf8)) else {
                    return problem("personal_json is not the personal fields of a record")
                }
                if row.subject != decoded.subject {
                    return problem("the subject column does not match the record's personal fields: the record was moved to another subject")
                }
                if row.erasedAt != nil { return problem("erased_at is set but the personal fields are still there") }
                personal = decoded
            } else {
                if row.subject != nil { return problem("the subject column is set on an erased record: the record was moved to a subject") }
                if row.erasedAt == nil { return problem("the personal fields are gone but erased_at is not set: they were removed outside erasure") }
            }
            links.append(Link(ConsentRecord(evidence: evidence, entryHash: row.entryHash, signature: row.signature, personal: personal, keyId: row.keyId)))
        }
        return verify(links, keyring: keyring, checkpoints: checkpoints)
    }

    /// What every kind of record's row must show: bytes in their canonical form, and sequence and
    /// record_id columns that agree with them. nil when they do.
    private static func columnProblem(_ row: EvidenceFile.Row, sequence: Int64, recordId: String, canonical: Data) -> String? {
        // A changed value shows as a hash mismatch later; bytes that decode to the same record but
        // differ from its canonical form mean something was smuggled in beside it.
        if Canonical.sha256Hex(canonical) == row.entryHash, Data(row.evidenceJSON.utf8) != canonical {
            return "evidence_json is not in canonical form: something was added to it"
        }
        if row.sequence != sequence { return "the sequence column says \(row.sequence), the evidence \(sequence)" }
        if row.recordId != recordId { return "the record_id column does not match the evidence" }
        return nil
    }

    /// A notice record's row: canonical evidence, columns that agree with it, and nothing personal.
    private static func noticeLink(_ row: EvidenceFile.Row) -> Result<Link, Problem> {
        func problem(_ reason: String) -> Result<Link, Problem> { .failure(Problem(sequence: row.sequence, recordId: row.recordId, reason: reason)) }
        guard let evidence = try? JSONDecoder().decode(NoticeEvidence.self, from: Data(row.evidenceJSON.utf8)) else {
            return problem("evidence_json is not a notice record")
        }
        if let reason = columnProblem(row, sequence: evidence.sequence, recordId: evidence.recordId, canonical: Canonical.json(evidence)) {
            return problem(reason)
        }
        if row.subject != nil || row.personalJSON != nil || row.erasedAt != nil {
            return problem("a notice record has a subject or personal fields: it was changed after it was written")
        }
        return .success(Link(sequence: evidence.sequence, recordId: evidence.recordId, previousHash: evidence.previousHash,
                             occurredAt: evidence.occurredAt, contentHash: evidence.entryHash, entryHash: row.entryHash,
                             signature: row.signature, keyId: row.keyId, personalMatches: true))
    }

    /// Verifies decoded records against a single key valid for all of them.
    public static func verify(_ records: [ConsentRecord], publicKeyBase64: String) -> Report {
        verify(records, keyring: ReceiptKeyring(keys: [.init(publicKey: publicKeyBase64, validFrom: nil)]))
    }

    public static func verify(_ records: [ConsentRecord], keyring: ReceiptKeyring, checkpoints: [Checkpoint] = []) -> Report {
        verify(records.map(Link.init), keyring: keyring, checkpoints: checkpoints)
    }

    /// What the chain checks of every record, consent or notice alike.
    struct Link {
        let sequence: Int64
        let recordId: String
        let previousHash: String
        let occurredAt: String
        /// The hash of the record's content as it is now.
        let contentHash: String
        /// The hash stored (and signed) when it was written.
        let entryHash: String
        let signature: String
        let keyId: String?
        let personalMatches: Bool

        init(sequence: Int64, recordId: String, previousHash: String, occurredAt: String, contentHash: String, entryHash: String,
             signature: String, keyId: String?, personalMatches: Bool) {
            self.sequence = sequence
            self.recordId = recordId
            self.previousHash = previousHash
            self.occurredAt = occurredAt
            self.contentHash = contentHash
            self.entryHash = entryHash
            self.signature = signature
            self.keyId = keyId
            self.personalMatches = personalMatches
        }

        init(_ record: ConsentRecord) {
            let evidence = record.evidence
            self.init(sequence: evidence.sequence, recordId: evidence.recordId, previousHash: evidence.previousHash, occurredAt: evidence.occurredAt,
                      contentHash: evidence.entryHash, entryHash: record.entryHash, signature: record.signature, keyId: record.keyId,
                      personalMatches: record.personal.map { $0.digest == evidence.personalDigest } ?? true)
        }
    }

    static func verify(_ links: [Link], keyring: ReceiptKeyring, checkpoints: [Checkpoint]) -> Report {
        var previous = ConsentEvidence.genesisHash
        var expectedSequence: Int64 = 1
        for (index, link) in links.enumerated() {
            func problem(_ reason: String) -> Report {
                Report(recordsChecked: index, checkpointsChecked: 0,
                       firstProblem: Problem(sequence: link.sequence, recordId: link.recordId, reason: reason))
            }
            if link.sequence != expectedSequence {
                return problem("expected sequence \(expectedSequence): a record is missing or out of order")
            }
            if link.previousHash != previous {
                return problem("previousHash does not match the record before it")
            }
            if link.contentHash != link.entryHash {
                return problem("entryHash does not match the record's content: it was changed after it was written")
            }
            guard let key = keyring.key(at: link.occurredAt) else {
                return problem("no receipt key was in use at \(link.occurredAt): the record is dated outside every published key's validity")
            }
            if let keyId = link.keyId, keyId != key.keyId {
                return problem("signed by key \(keyId), but the key in use at \(link.occurredAt) was \(key.keyId)")
            }
            if !ReceiptSigner.verify(signature: link.signature, entryHash: link.entryHash, publicKeyBase64: key.publicKey) {
                return problem("the receipt signature is not valid for this entryHash under key \(key.keyId), in use at \(link.occurredAt)")
            }
            if !link.personalMatches {
                return problem("personal fields do not match their digest: they were changed after they were written")
            }
            previous = link.entryHash
            expectedSequence += 1
        }
        for (index, checkpoint) in checkpoints.enumerated() {
            func problem(_ reason: String) -> Report {
                Report(recordsChecked: links.count, checkpointsChecked: index,
                       firstProblem: Problem(sequence: checkpoint.sequence, recordId: "", reason: reason))
            }
            guard checkpoint.isSigned(by: keyring) else {
                return problem("the checkpoint of \(checkpoint.time) (record \(checkpoint.sequence)) is not signed by the receipt key in use at that time")
            }
            guard checkpoint.sequence <= Int64(links.count) else {
                return problem("the chain ends at record \(links.count), but the checkpoint signed at \(checkpoint.time) saw record "
                               + "\(checkpoint.sequence): records were cut from the end")
            }
            if checkpoint.sequence > 0, links[Int(checkpoint.sequence) - 1].entryHash != checkpoint.headHash {
                return problem("record \(checkpoint.sequence) is not the one the checkpoint signed at \(checkpoint.time) saw: the chain was rewritten")
            }
        }
        return Report(recordsChecked: links.count, checkpointsChecked: checkpoints.count, firstProblem: nil)
    }

    /// Whether `receipt` names a row of `rows` unchanged: same id, same hash, same time, and a
    /// signature valid for the key in use then. Run it after `verify` passed on the rows, so that
    /// row n sits at index n - 1 and its columns agree with its evidence; only that row is read.
    /// Returns the reason when it does not.
    public static func check(_ receipt: Receipt, rows: [EvidenceFile.Row], keyring: ReceiptKeyring) -> String? {
        let row: EvidenceFile.Row?
        if let sequence = receipt.sequence {
            row = rows.indices.contains(Int(sequence) - 1) ? rows[Int(sequence) - 1] : nil
        } else {
            row = rows.first { $0.recordId == receipt.receiptId }
        }
        guard let row, let evidence = try? JSONDecoder().decode(ConsentEvidence.self, from: Data(row.evidenceJSON.utf8)) else {
            return "the chain has no record \(receipt.sequence.map(String.init) ?? receipt.receiptId)"
        }
        if evidence.recordId != receipt.receiptId { return "record \(evidence.sequence) is \(evidence.recordId), not \(receipt.receiptId)" }
        if evidence.occurredAt != receipt.recordedAt { return "the record was made at \(evidence.occurredAt), the receipt says \(receipt.recordedAt)" }
        if evidence.entryHash != receipt.entryHash { return "the record's content no longer hashes to the receipt's entryHash: it was changed" }
        guard let key = keyring.key(at: receipt.recordedAt),
              ReceiptSigner.verify(signature: receipt.signature, entryHash: receipt.entryHash, publicKeyBase64: key.publicKey) else {
            return "the receipt's signature is not valid for the key in use at \(receipt.recordedAt)"
        }
        return nil
    }
}
