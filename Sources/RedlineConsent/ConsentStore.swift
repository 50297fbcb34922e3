import Foundation

/// A consent decision to record; the store stamps the time, the sequence and the hashes.
public struct ConsentSubmission: Sendable {
    public var event: String
    public var method: String
    public var validUntil: String?
    public var granted: [String]
    public var denied: [String]
    public var policies: [PolicyReference]
    public var notice: NoticeReference?
    public var gpc: GPCSignal
    public var idempotencyKey: String?
    public var personal: PersonalFields

    public init(event: String, method: String, validUntil: String? = nil, granted: [String], denied: [String],
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
    }
}

/// The outcome of one submission: a new record, or the one an earlier call with the same
/// idempotency key already made.
public struct AppendResult: Sendable, Equatable {
    public let record: ConsentRecord
    public let created: Bool
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
}
