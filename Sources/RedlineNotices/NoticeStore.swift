import Foundation

/// API keys, users, campaigns and the outbox: what the change-notice side of `redline serve`
/// keeps. One implementation per database (SQLite, PostgreSQL), both held to the same tests.
public protocol NoticeStore: Sendable {
    // MARK: API keys
    /// Creates a key and returns it in full: the only time it is ever shown.
    func createKey(name: String) async throws -> (key: String, info: APIKeyInfo)
    func keys() async throws -> [APIKeyInfo]
    /// Revokes the key with this name or prefix; false when there is none (or it was revoked).
    func revokeKey(_ nameOrPrefix: String) async throws -> Bool
    /// Whether `presented` was checked with bcrypt before and found good: such a key costs no bcrypt now.
    func isProven(_ presented: String) -> Bool
    /// The live key that `presented` is, or nil: unknown, malformed, wrong or revoked alike.
    /// A key not proven before costs a bcrypt check from `client`'s budget (its address, or any
    /// name for local callers); ``KeyCheckRefused`` when that budget is spent.
    func authenticate(_ presented: String, client: String) async throws -> APIKeyInfo?

    // MARK: Users
    /// Creates or updates a user; `created` says which. A deleted user comes back to life.
    func putUser(_ input: UserInput) async throws -> (user: UserRecord, created: Bool)
    /// Creates or updates many users in one transaction; returns how many were new.
    func putUsers(_ inputs: [UserInput]) async throws -> (created: Int, updated: Int)
    /// Deletes a user: their e-mail address and subject go, and no further notice is sent.
    func deleteUser(_ userId: String) async throws -> Bool
    func user(_ userId: String) async throws -> UserRecord?
    /// Active users in the order they were registered, `limit` at a time after `after` (a user id).
    func users(limit: Int, after: String?) async throws -> [UserRecord]
    func activeUserCount() async throws -> Int

    // MARK: Versions and campaigns
    /// Takes note of the versions in a manifest and creates the campaigns they call for, in
    /// one transaction, so that a version is never marked as seen without its campaign.
    /// On the first call against a database, sightings classified as history are only recorded;
    /// the others (upcoming material versions) are still announced, since nobody has been told yet.
    /// Several servers noting the same manifest at once create each campaign once.
    /// - Parameters:
    ///   - automatic: approve new campaigns at once (`notices.approval: automatic` in site.yaml).
    func noteVersions(_ sightings: [VersionSighting], automatic: Bool, now: Date) async throws -> VersionNoting
    /// Creates the campaign for a version, pending approval, or finds the one that exists:
    /// `created` says which. Every active user gets one outbox row, in the same transaction.
    func createCampaign(_ draft: CampaignDraft, trigger: CampaignTrigger) async throws -> (campaign: CampaignStatus, created: Bool)
    /// Lets a pending campaign send, from `sendAfter` on (nil: now). Users registered since it
    /// was created are added. Approving an approved campaign changes nothing.
    /// - Throws: ``NoticeStoreError`` when there is no such campaign or it was cancelled.
    func approve(_ id: Int64, by approver: String, sendAfter: Date?, now: Date) async throws -> CampaignStatus
    /// Stops a pending or sending campaign: queued messages are cancelled; sent ones stay recorded.
    func cancel(_ id: Int64, now: Date) async throws -> CampaignStatus
    /// The message one recipient of a campaign would get, for a test send: the first active
    /// user's, or one in the site's language when there is nobody yet.
    func sample(campaign id: Int64) async throws -> (content: CampaignDraft, locale: String?)?
    func campaign(_ id: Int64) async throws -> CampaignStatus?
    func campaigns() async throws -> [CampaignStatus]

    // MARK: Outbox
    /// Leases up to `limit` due messages for `lease` and returns them, oldest first: queued
    /// ones whose time has come, and ones another worker leased and did not finish in time
    /// (it stopped or died). Messages to users deleted since the campaign began, and optional
    /// notices to users who unsubscribed, are cancelled instead.
    func claim(limit: Int, lease: Duration, now: Date) async throws -> [OutboxItem]
    /// Keeps claimed messages that are still being sent this worker's for `lease` from `now`:
    /// a slow mail server must not let another worker take a batch that is still going out.
    func extendLease(_ ids: [Int64], lease: Duration, now: Date) async throws
    /// Records what became of claimed messages, all in one transaction.
    func complete(_ results: [(id: Int64, result: OutboxResult)]) async throws
    /// Failed messages of a campaign with the reason, for the status report.
    func failures(campaign id: Int64, limit: Int) async throws -> [(userId: String, reason: String)]
    /// Everyone the campaign was addressed to (the active users when it was made), with where
    /// their message stands: what `notify verify` holds the log against.
    func recipients(campaign id: Int64) async throws -> [CampaignRecipient]
    /// Marks a user's address as not taking mail (a hard bounce): nothing more is sent to it
    /// until the address changes. false when there is no such active user.
    func markUndeliverable(userId: String, reason: String, now: Date) async throws -> Bool
    /// Users whose address bounced, for follow-up by other means.
    func undeliverableUsers() async throws -> [UndeliverableUser]
    /// The one-click unsubscribe (RFC 8058) of the optional notice that outbox message `id` was:
    /// its user gets no more optional notices. Required notices still reach them.
    /// `belongsTo` checks the link was made for the message's user; ``UnsubscribeOutcome/unknown`` when not.
    func unsubscribe(outboxId id: Int64, now: Date, belongsTo: @escaping @Sendable (String) -> Bool) async throws -> UnsubscribeOutcome

    /// Throws unless the store answers a read now (for `/readyz`).
    func checkReadable() async throws
}

/// What taking note of a manifest did.
public struct VersionNoting: Sendable {
    /// Campaigns created, pending approval unless approval is automatic.
    public var created: [CampaignStatus] = []
    /// On the first call against a database: versions taken as history, never announced.
    public var history: Int = 0
    public var firstStart = false

    public init() {}
}

extension NoticeStore {
    public func users(limit: Int) async throws -> [UserRecord] { try await users(limit: limit, after: nil) }
    public func noteVersions(_ sightings: [VersionSighting], automatic: Bool = false) async throws -> VersionNoting {
        try await noteVersions(sightings, automatic: automatic, now: Date())
    }
    public func approve(_ id: Int64, by approver: String, sendAfter: Date? = nil) async throws -> CampaignStatus {
        try await approve(id, by: approver, sendAfter: sendAfter, now: Date())
    }
    public func cancel(_ id: Int64) async throws -> CampaignStatus { try await cancel(id, now: Date()) }
    public func claim(limit: Int, now: Date = Date()) async throws -> [OutboxItem] {
        try await claim(limit: limit, lease: OutboxLease.standard, now: now)
    }
    public func failures(campaign id: Int64) async throws -> [(userId: String, reason: String)] {
        try await failures(campaign: id, limit: 20)
    }
}

/// How long a worker holds the messages it claimed before another may take them.
public enum OutboxLease {
    /// Long beside one batch at the slowest pace (200 messages at 2 a second): a worker that is
    /// alive finishes well before, and one that died leaves its batch for two minutes at most.
    public static let standard: Duration = .seconds(120)

    package static func milliseconds(_ lease: Duration) -> Int64 {
        lease.components.seconds * 1000 + lease.components.attoseconds / 1_000_000_000_000_000
    }
}

extension Date {
    /// Unix milliseconds, as the outbox stores times.
    package var unixMilliseconds: Int64 { Int64(timeIntervalSince1970 * 1000) }
}
