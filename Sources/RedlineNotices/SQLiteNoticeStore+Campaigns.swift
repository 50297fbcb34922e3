import Foundation
import GRDB
import RedlineConsent

extension SQLiteNoticeStore {
    // MARK: Versions and campaigns

    public func noteVersions(_ sightings: [VersionSighting], automatic: Bool, now: Date) async throws -> VersionNoting {
        let timestamp = UTCTime.timestamp(now)
        return try await database.write { db in
            var noting = VersionNoting()
            noting.firstStart = try String.fetchOne(db, sql: "SELECT value FROM notice_meta WHERE key = 'baseline'") == nil
            if noting.firstStart {
                try db.execute(sql: "INSERT INTO notice_meta (key, value) VALUES ('baseline', ?)", arguments: [timestamp])
            }
            for sighting in sightings {
                let unseen = try Self.noteVersion(db, document: sighting.document, version: sighting.version, now: timestamp)
                guard unseen, let draft = sighting.campaign else { continue }
                if noting.firstStart && sighting.historyAtFirstStart {
                    noting.history += 1
                    continue
                }
                let trigger: CampaignTrigger = noting.firstStart ? .upcomingAtFirstStart : .published
                let (campaign, isNew) = try Self.createCampaign(db, draft, trigger: trigger, now: timestamp)
                guard isNew else { continue }
                noting.created.append(automatic ? try Self.approve(db, id: campaign.id, by: "automatic", sendAfter: now, now: timestamp)
                                                : campaign)
            }
            return noting
        }
    }

    public func createCampaign(_ draft: CampaignDraft, trigger: CampaignTrigger) async throws -> (campaign: CampaignStatus, created: Bool) {
        let now = UTCTime.timestamp(Date())
        return try await database.write { db in
            _ = try Self.noteVersion(db, document: draft.document, version: draft.version, now: now)
            return try Self.createCampaign(db, draft, trigger: trigger, now: now)
        }
    }

    public func approve(_ id: Int64, by approver: String, sendAfter: Date?, now: Date) async throws -> CampaignStatus {
        try await database.write { db in
            try Self.approve(db, id: id, by: approver, sendAfter: sendAfter ?? now, now: UTCTime.timestamp(now))
        }
    }

    public func cancel(_ id: Int64, now: Date) async throws -> CampaignStatus {
        try await database.write { db in
            guard let state = try String.fetchOne(db, sql: "SELECT state FROM campaign WHERE id = ?", arguments: [id]) else {
                throw NoticeStoreError.noSuchCampaign(id)
            }
            if state != CampaignState.cancelled.rawValue {
                try db.execute(sql: "UPDATE campaign SET state = ?, cancelled_at = ? WHERE id = ?",
                               arguments: [CampaignState.cancelled.rawValue, UTCTime.timestamp(now), id])
                try db.execute(sql: "UPDATE outbox SET status = ? WHERE campaign_id = ? AND status = ?",
                               arguments: [OutboxState.cancelled.rawValue, id, OutboxState.queued.rawValue])
            }
            return try Self.status(db, id: id)!
        }
    }

    public func sample(campaign id: Int64) async throws -> (content: CampaignDraft, locale: String?)? {
        try await database.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM campaign WHERE id = ?", arguments: [id]) else { return nil }
            let locale = try String.fetchOne(db, sql: """
                SELECT u.locale FROM outbox o JOIN app_user u ON u.id = o.user_ref
                WHERE o.campaign_id = ? AND u.deleted_at IS NULL ORDER BY o.id LIMIT 1
                """, arguments: [id])
            return (try Self.draft(row), locale)
        }
    }

    private static func approve(_ db: Database, id: Int64, by approver: String, sendAfter: Date, now: String) throws -> CampaignStatus {
        guard let state = try String.fetchOne(db, sql: "SELECT state FROM campaign WHERE id = ?", arguments: [id]) else {
            throw NoticeStoreError.noSuchCampaign(id)
        }
        switch CampaignState(rawValue: state) {
        case .cancelled: throw NoticeStoreError.campaignCancelled(id)
        case .approved: return try status(db, id: id)!
        default: break
        }
        try db.execute(sql: "UPDATE campaign SET state = ?, approved_at = ?, approved_by = ?, send_after_ms = ? WHERE id = ?",
                       arguments: [CampaignState.approved.rawValue, now, approver, Int64(sendAfter.timeIntervalSince1970 * 1000), id])
        try db.execute(sql: "INSERT OR IGNORE INTO outbox (campaign_id, user_ref) SELECT ?, id FROM app_user WHERE deleted_at IS NULL ORDER BY id",
                       arguments: [id])
        try db.execute(sql: "UPDATE campaign SET recipients = (SELECT COUNT(*) FROM outbox WHERE campaign_id = ?) WHERE id = ?",
                       arguments: [id, id])
        return try status(db, id: id)!
    }

    public func campaign(_ id: Int64) async throws -> CampaignStatus? {
        try await database.read { db in try Self.status(db, id: id) }
    }

    public func campaigns() async throws -> [CampaignStatus] {
        try await database.read { db in
            try Int64.fetchAll(db, sql: "SELECT id FROM campaign ORDER BY id").compactMap { try Self.status(db, id: $0) }
        }
    }

    /// Marks a version as seen; true when it was not before.
    private static func noteVersion(_ db: Database, document: String, version: String, now: String) throws -> Bool {
        try db.execute(sql: "INSERT OR IGNORE INTO known_version (document, version, seen_at) VALUES (?, ?, ?)",
                       arguments: [document, version, now])
        return db.changesCount > 0
    }

    private static func createCampaign(_ db: Database, _ draft: CampaignDraft, trigger: CampaignTrigger, now: String) throws -> (CampaignStatus, Bool) {
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM campaign WHERE document = ? AND version = ?",
                                       arguments: [draft.document, draft.version]) {
            return (try status(db, id: id)!, false)
        }
        try db.execute(sql: """
            INSERT INTO campaign (document, version, trigger, site_title, document_title, effective, summary, changes_url, version_url, translations,
                                  optional, created_at, recipients, state)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)
            """, arguments: [draft.document, draft.version, trigger.rawValue, draft.siteTitle, draft.documentTitle, draft.effective, draft.summary,
                             draft.changesUrl, draft.versionUrl, draft.translationsJSON, draft.optional, now, CampaignState.pending.rawValue])
        let id = db.lastInsertedRowID
        // One statement, however many users: nothing about them passes through memory.
        try db.execute(sql: "INSERT OR IGNORE INTO outbox (campaign_id, user_ref) SELECT ?, id FROM app_user WHERE deleted_at IS NULL ORDER BY id",
                       arguments: [id])
        try db.execute(sql: "UPDATE campaign SET recipients = ? WHERE id = ?", arguments: [db.changesCount, id])
        return (try status(db, id: id)!, true)
    }

    private static func status(_ db: Database, id: Int64) throws -> CampaignStatus? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM campaign WHERE id = ?", arguments: [id]) else { return nil }
        var counts: [String: Int] = [:]
        for count in try Row.fetchAll(db, sql: "SELECT status, COUNT(*) AS n FROM outbox WHERE campaign_id = ? GROUP BY status", arguments: [id]) {
            counts[count["status"]] = count["n"]
        }
        let sendAfterMs: Int64 = row["send_after_ms"]
        let state: CampaignState = try NoticeStoreError.decode(row["state"], column: "campaign.state")
        return CampaignStatus(id: id, document: row["document"], version: row["version"],
                              trigger: try NoticeStoreError.decode(row["trigger"], column: "campaign.trigger"), state: state, optional: row["optional"],
                              createdAt: row["created_at"], approvedAt: row["approved_at"], approvedBy: row["approved_by"],
                              sendAfter: state == .approved ? UTCTime.timestamp(Date(timeIntervalSince1970: Double(sendAfterMs) / 1000)) : nil,
                              cancelledAt: row["cancelled_at"], recipients: row["recipients"], queued: counts["queued"] ?? 0,
                              sending: counts["sending"] ?? 0, sent: counts["sent"] ?? 0, failed: counts["failed"] ?? 0,
                              cancelled: counts["cancelled"] ?? 0)
    }

    private static func draft(_ row: Row) throws -> CampaignDraft {
        CampaignDraft(document: row["document"], version: row["version"], siteTitle: row["site_title"],
                      documentTitle: row["document_title"], effective: row["effective"], summary: row["summary"],
                      changesUrl: row["changes_url"], versionUrl: row["version_url"],
                      translations: try CampaignDraft.translations(fromJSON: row["translations"]), optional: row["optional"])
    }

    // MARK: Outbox

    public func claim(limit: Int, lease: Duration, now: Date) async throws -> [OutboxItem] {
        let nowMs = now.unixMilliseconds
        let leaseUntil = nowMs + OutboxLease.milliseconds(lease)
        return try await database.write { db in
            // Two lookups, each walking the outbox_due index in order and stopping at the limit:
            // one condition with OR made SQLite sort every due message of a 100,000-user campaign
            // for each batch. Leases that ran out go first: those messages waited longest.
            func due(_ condition: String, _ order: String, limit: Int) throws -> [Row] {
                try Row.fetchAll(db, sql: """
                    SELECT o.id, o.campaign_id, o.attempts, u.user_id, u.email, u.locale, c.*,
                           u.undeliverable_at AS undeliverable_at, u.undeliverable_reason AS undeliverable_reason,
                           u.unsubscribed_at AS unsubscribed_at
                    FROM outbox o JOIN app_user u ON u.id = o.user_ref JOIN campaign c ON c.id = o.campaign_id
                    WHERE \(condition) AND c.state = 'approved' AND c.send_after_ms <= ?
                    ORDER BY \(order) LIMIT ?
                    """, arguments: [nowMs, nowMs, limit])
            }
            var rows = try due("o.status = 'sending' AND o.lease_until_ms <= ?", "o.lease_until_ms, o.id", limit: limit)
            if rows.count < limit {
                rows += try due("o.status = 'queued' AND o.next_attempt_ms <= ?", "o.status, o.next_attempt_ms, o.id", limit: limit - rows.count)
            }
            var items: [OutboxItem] = []
            for row in rows {
                let id: Int64 = row[0]
                let content = try Self.draft(row)
                if let skip = OutboxItem.skip(email: row[4], undeliverableSince: row["undeliverable_at"], undeliverableReason: row["undeliverable_reason"],
                                              optional: content.optional, unsubscribedAt: row["unsubscribed_at"]) {
                    try db.execute(sql: "UPDATE outbox SET status = ?, last_error = COALESCE(?, last_error) WHERE id = ?",
                                   arguments: [skip.state.rawValue, skip.reason, id])
                    continue
                }
                try db.cachedStatement(sql: "UPDATE outbox SET status = 'sending', lease_until_ms = ? WHERE id = ?").execute(arguments: [leaseUntil, id])
                items.append(OutboxItem(id: id, campaignId: row[1], attempts: row[2], userId: row[3], email: row[4], locale: row[5],
                                        content: content))
            }
            return items
        }
    }

    public func extendLease(_ ids: [Int64], lease: Duration, now: Date) async throws {
        guard !ids.isEmpty else { return }
        let until = now.unixMilliseconds + OutboxLease.milliseconds(lease)
        try await database.write { db in
            for id in ids {
                try db.cachedStatement(sql: "UPDATE outbox SET lease_until_ms = ? WHERE id = ? AND status = 'sending'").execute(arguments: [until, id])
            }
        }
    }

    public func complete(_ results: [(id: Int64, result: OutboxResult)]) async throws {
        guard !results.isEmpty else { return }
        let now = UTCTime.timestamp(Date())
        try await database.write { db in
            for (id, result) in results {
                switch result {
                case .sent:
                    try db.cachedStatement(sql: "UPDATE outbox SET status = 'sent', attempts = attempts + 1, sent_at = ?, last_error = NULL WHERE id = ? AND status = 'sending'")
                        .execute(arguments: [now, id])
                case let .retry(at, reason):
                    try db.cachedStatement(sql: "UPDATE outbox SET status = 'queued', attempts = attempts + 1, next_attempt_ms = ?, last_error = ? WHERE id = ? AND status = 'sending'")
                        .execute(arguments: [Int64(at.timeIntervalSince1970 * 1000), reason, id])
                case let .failed(reason):
                    try db.cachedStatement(sql: "UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ? AND status = 'sending'")
                        .execute(arguments: [reason, id])
                }
            }
        }
    }

    public func failures(campaign id: Int64, limit: Int) async throws -> [(userId: String, reason: String)] {
        try await database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT u.user_id, o.last_error FROM outbox o JOIN app_user u ON u.id = o.user_ref
                WHERE o.campaign_id = ? AND o.status = 'failed' ORDER BY o.id LIMIT ?
                """, arguments: [id, limit]).map { ($0[0], $0[1] ?? "") }
        }
    }

    public func markUndeliverable(userId: String, reason: String, now: Date) async throws -> Bool {
        try await database.write { db in
            try db.execute(sql: """
                UPDATE app_user SET undeliverable_at = ?, undeliverable_reason = ?
                WHERE user_id = ? AND deleted_at IS NULL AND undeliverable_at IS NULL
                """, arguments: [UTCTime.timestamp(now), String(reason.prefix(300)), userId])
            return db.changesCount > 0
        }
    }

    public func unsubscribe(outboxId id: Int64, now: Date, belongsTo: @escaping @Sendable (String) -> Bool) async throws -> UnsubscribeOutcome {
        try await database.write { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT o.campaign_id, c.optional, u.id AS user_ref, u.user_id, u.unsubscribed_at FROM outbox o
                JOIN campaign c ON c.id = o.campaign_id JOIN app_user u ON u.id = o.user_ref
                WHERE o.id = ? AND u.deleted_at IS NULL
                """, arguments: [id]), belongsTo(row["user_id"]) else { return .unknown }
            let campaign: Int64 = row["campaign_id"]
            guard row["optional"] as Bool else { return .required }
            if (row["unsubscribed_at"] as String?) != nil { return .already(campaign: campaign) }
            try db.execute(sql: "UPDATE app_user SET unsubscribed_at = ? WHERE id = ?", arguments: [UTCTime.timestamp(now), row["user_ref"] as Int64])
            return .unsubscribed(campaign: campaign)
        }
    }

    public func undeliverableUsers() async throws -> [UndeliverableUser] {
        try await database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT user_id, undeliverable_at, undeliverable_reason FROM app_user
                WHERE deleted_at IS NULL AND undeliverable_at IS NOT NULL ORDER BY undeliverable_at, id
                """).map { UndeliverableUser(userId: $0[0], since: $0[1], reason: $0[2] ?? "") }
        }
    }

    public func recipients(campaign id: Int64) async throws -> [CampaignRecipient] {
        try await database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT u.user_id, o.status, o.last_error FROM outbox o JOIN app_user u ON u.id = o.user_ref
                WHERE o.campaign_id = ? ORDER BY o.id
                """, arguments: [id]).map { CampaignRecipient(userId: $0[0], status: $0[1], lastError: $0[2]) }
        }
    }

    public func checkReadable() async throws {
        _ = try await database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM campaign") }
    }
}
