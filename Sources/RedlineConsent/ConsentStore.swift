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
    public let idempotencyKey: String?
    public let personal: PersonalFields

    // Worked out when the submission is made, on the request's own thread, so that the
    // store's single writer does as little as possible per record.
    /// UUIDv7 of the record to be.
    let recordId: String
    let personalJSON: String
    let personalDigest: String
    let idempotencyKeyDigest: String?

    public init(event: ConsentEvent?, method: ConsentMethod, validUntil: String? = nil, granted: [String], denied: [String],
                policies: [PolicyReference], notice: NoticeReference?, gpc: GPCSignal, idempotencyKey: String?, personal: PersonalFields) {
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
    func isSameDecision(as evidence: ConsentEvidence) -> Bool {
        evidence.method == method && evidence.granted == granted && evidence.denied == denied
            && evidence.policies.map { [$0.id, $0.version] } == policies.map { [$0.id, $0.version] }
            && (event == nil || evidence.event == event)
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
}
