import Foundation

/// A consent decision to record; the store stamps the time, the sequence and the hashes.
public struct ConsentSubmission: Sendable {
    /// nil: the store decides between `given` (the subject's first record) and `updated`.
    public var event: ConsentEvent?
    public var method: ConsentMethod
    public var validUntil: String?
    public var granted: [String]
    public var denied: [String]
    public var policies: [PolicyReference]
    public var notice: NoticeReference?
    public var gpc: GPCSignal
    public var jurisdiction: Jurisdiction?
    public var gpp: String?
    public let idempotencyKey: String?
    public let personal: PersonalFields

    // Worked out when the submission is made, on the request's own thread, so that the
    // store's single writer does as little as possible per record.
    /// UUIDv7 of the record to be.
    public let recordId: String
    public let personalJSON: String
    public let personalDigest: String
    public let idempotencyKeyDigest: String?

    public init(event: ConsentEvent?, method: ConsentMethod, validUntil: String? = nil, granted: [String], denied: [String],
                policies: [PolicyReference], notice: NoticeReference?, gpc: GPCSignal, idempotencyKey: String?, personal: PersonalFields,
                jurisdiction: Jurisdiction? = nil, gpp: String? = nil) {
        self.jurisdiction = jurisdiction
        self.gpp = gpp
        self.event = event
        self.method = method
        self.validUntil = validUntil
        self.granted = granted
        self.denied = denied
        self.policies = policies
        self.notice = notice
        self.gpc = gpc
        self.idempotencyKey = idempotencyKey
        self.personal = personal
        recordId = Canonical.uuidV7()
        let json = Canonical.json(personal)
        personalJSON = String(decoding: json, as: UTF8.self)
        personalDigest = Canonical.sha256Hex(json)
        // Idempotency keys are the client's, so they are scoped to the subject: two people
        // who happen to pick the same key never see each other's receipts.
        idempotencyKeyDigest = idempotencyKey.map { Canonical.sha256Hex(Data("\(personal.subject)\n\($0)".utf8)) }
    }
}

/// The outcome of one submission.
public struct AppendResult: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// A new record.
        case created
        /// The same subject sent the same idempotency key and the same decision before: `record` is that earlier one.
        case replayed
        /// The idempotency key was used before for a different decision: nothing was stored.
        case conflict
    }

    public let record: ConsentRecord
    public let outcome: Outcome

    public init(record: ConsentRecord, outcome: Outcome) {
        self.record = record
        self.outcome = outcome
    }

    public var created: Bool { outcome == .created }
}

extension ConsentSubmission {
    /// Whether `evidence` records this same decision: what makes a repeated idempotency key a replay.
    public func isSameDecision(as evidence: ConsentEvidence) -> Bool {
        evidence.method == method && evidence.granted == granted && evidence.denied == denied
            && evidence.policies.map { [$0.id, $0.version] } == policies.map { [$0.id, $0.version] }
            && (event == nil || evidence.event == event)
    }

    /// The record this submission becomes as link `sequence` of the chain, after `previousHash`,
    /// with its canonical evidence JSON as stored. The same for every store, so a chain copied
    /// from one to another keeps its hashes.
    public func link(sequence: Int64, previousHash: String, event: ConsentEvent, occurredAt: String,
                     signer: ReceiptSigner) throws -> (record: ConsentRecord, evidenceJSON: String) {
        let evidence = ConsentEvidence(
            recordId: recordId, sequence: sequence,
            event: event, method: method, occurredAt: occurredAt, validUntil: validUntil,
            granted: granted, denied: denied, policies: policies, notice: notice,
            gpc: gpc, idempotencyKeyDigest: idempotencyKeyDigest, personalDigest: personalDigest, previousHash: previousHash,
            jurisdiction: jurisdiction, gpp: gpp)
        let evidenceJSON = Canonical.json(evidence)
        let entryHash = Canonical.sha256Hex(evidenceJSON)
        let record = ConsentRecord(evidence: evidence, entryHash: entryHash, signature: try signer.sign(entryHash: entryHash),
                                   personal: personal, keyId: signer.keyId)
        return (record, String(decoding: evidenceJSON, as: UTF8.self))
    }

}

/// Where consent records live. Append-only: records are never changed, except that erasure
/// removes their personal fields.
public protocol ConsentStore: Sendable {
    /// Appends every submission in one transaction and one fsync, in order: the unit of group commit.
    func append(_ submissions: [ConsentSubmission], at time: Date) async throws -> [AppendResult]
    /// Every record of a subject, oldest first.
    func records(subject: String) async throws -> [ConsentRecord]
    /// Removes the personal fields of every record of `subject`; returns how many records it touched.
    func erase(subject: String) async throws -> Int
    /// Every record in chain order, for verification.
    func allRecords() async throws -> [ConsentRecord]
    /// Throws unless the store answers a read now (for `/readyz`).
    func checkReadable() async throws
    /// The newest record's sequence and entry hash: what a checkpoint signs. nil while the chain is empty.
    func head() async throws -> (sequence: Int64, entryHash: String)?
    /// The entry hash of record `sequence`, or nil when there is none.
    func entryHash(sequence: Int64) async throws -> String?
    /// Every row exactly as stored, in chain order, `limit` at a time after sequence `after`:
    /// what verification checks column by column and what a copy to another store carries over.
    func storedRows(after sequence: Int64, limit: Int) async throws -> [EvidenceFile.Row]
    /// The evidence JSON of `limit` records after sequence `after`, in chain order: all the Merkle
    /// log reads of a record, so catching up costs one column, not a whole row.
    func leaves(after sequence: Int64, limit: Int) async throws -> [(sequence: Int64, evidenceJSON: String)]
    /// The row of the record a receipt names, or nil when there is none: what its proof is made of.
    func storedRow(recordId: String) async throws -> EvidenceFile.Row?
    /// Appends change-notice outcomes to the same chain, in one transaction; a leaf whose
    /// idempotency key was recorded before gives that record back instead.
    func appendNotices(_ leaves: [NoticeLeaf], at time: Date) async throws -> [NoticeAppendResult]
}

extension ConsentStore {
    /// Every row as stored, in chain order.
    public func allStoredRows() async throws -> [EvidenceFile.Row] {
        var rows: [EvidenceFile.Row] = []
        while true {
            let page = try await storedRows(after: rows.last?.sequence ?? 0, limit: 10_000)
            rows += page
            if page.count < 10_000 { return rows }
        }
    }
}

extension ConsentRecord {
    /// The record a stored row holds; throws when its JSON does not decode.
    public init(stored row: EvidenceFile.Row) throws {
        guard let evidence = try? JSONDecoder().decode(ConsentEvidence.self, from: Data(row.evidenceJSON.utf8)) else {
            throw ConsentStoreError.corruptRow(row.sequence, "evidence is not valid JSON")
        }
        let personal = try row.personalJSON.map { try JSONDecoder().decode(PersonalFields.self, from: Data($0.utf8)) }
        self.init(evidence: evidence, entryHash: row.entryHash, signature: row.signature, personal: personal, keyId: row.keyId)
    }
}

/// The database did not answer in time or is gone: the request may be retried later
/// (the API answers 503 with Retry-After), and the server keeps running until it is back.
public struct StoreUnavailable: Error, CustomStringConvertible {
    public let reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { "the database is unavailable: \(reason)" }
}
