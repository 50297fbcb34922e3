import Foundation
import PostgresNIO
import RedlineConsent
import RedlineNotices

extension PostgresNoticeStore {
    // MARK: Versions and campaigns

    public func noteVersions(_ sightings: [VersionSighting], automatic: Bool, now: Date) async throws -> VersionNoting {
        let timestamp = UTCTime.timestamp(now)
        let logger = logger
        return try await database.transaction { connection in
            var noting = VersionNoting()
            // Whoever inserts the baseline is the first start; a server starting beside it waits
            // for that transaction and then finds every version seen.
            noting.firstStart = try await connection.query("""
                INSERT INTO notice_meta (key, value) VALUES ('baseline', \(timestamp)) ON CONFLICT (key) DO NOTHING RETURNING key
                """, logger: logger).count() == 1
            for sighting in sightings {
                let unseen = try await Self.noteVersion(connection, document: sighting.document, version: sighting.version, now: timestamp, logger)
                guard unseen, let draft = sighting.campaign else { continue }
                if noting.firstStart && sighting.historyAtFirstStart {
                    noting.history += 1
                    continue
                }
                let trigger: CampaignTrigger = noting.firstStart ? .upcomingAtFirstStart : .published
                let (campaign, isNew) = try await Self.createCampaign(connection, draft, trigger: trigger, now: timestamp, logger)
                guard isNew else { continue }
                noting.created.append(automatic ? try await Self.approve(connection, id: campaign.id, by: "automatic", sendAfter: now, now: timestamp, logger)
                                                : campaign)
            }
            return noting
        }
    }

    public func createCampaign(_ draft: CampaignDraft, trigger: CampaignTrigger) async throws -> (campaign: CampaignStatus, created: Bool) {
        let now = UTCTime.timestamp(Date())
        let logger = logger
        return try await database.transaction { connection in
            _ = try await Self.noteVersion(connection, document: draft.document, version: draft.version, now: now, logger)
            return try await Self.createCampaign(connection, draft, trigger: trigger, now: now, logger)
        }
    }

    public func approve(_ id: Int64, by approver: String, sendAfter: Date?, now: Date) async throws -> CampaignStatus {
        let logger = logger
        return try await database.transaction { connection in
            try await Self.approve(connection, id: id, by: approver, sendAfter: sendAfter ?? now, now: UTCTime.timestamp(now), logger)
        }
    }

    public func cancel(_ id: Int64, now: Date) async throws -> CampaignStatus {
        let logger = logger
        let stamp = UTCTime.timestamp(now)
        return try await database.transaction { connection in
            guard let state = try await connection.query("SELECT state FROM campaign WHERE id = \(id) FOR UPDATE", logger: logger).first(String.self) else {
                throw NoticeStoreError.noSuchCampaign(id)
            }
            if state != CampaignState.cancelled.rawValue {
                try await connection.query("UPDATE campaign SET state = 'cancelled', cancelled_at = \(stamp) WHERE id = \(id)", logger: logger)
                try await connection.query("UPDATE outbox SET status = 'cancelled' WHERE campaign_id = \(id) AND status = 'queued'", logger: logger)
            }
            return try await Self.status(connection, id: id, logger)!
        }
    }

    public func sample(campaign id: Int64) async throws -> (content: CampaignDraft, locale: String?)? {
        let logger = logger
        return try await database.read { connection in
            guard let draft = try await Self.drafts(connection, "SELECT \(unescaped: Self.draftColumns) FROM campaign WHERE id = \(id)", logger).first else {
                return nil
            }
            let locale = try await connection.query("""
                SELECT u.locale FROM outbox o JOIN app_user u ON u.id = o.user_ref
                WHERE o.campaign_id = \(id) AND u.deleted_at IS NULL ORDER BY o.id LIMIT 1
                """, logger: logger).first(String.self)
            return (draft, locale)
        }
    }

    public func campaign(_ id: Int64) async throws -> CampaignStatus? {
        let logger = logger
        return try await database.read { connection in try await Self.status(connection, id: id, logger) }
    }

    public func campaigns() async throws -> [CampaignStatus] {
        let logger = logger
        return try await database.read { connection in
            var ids: [Int64] = []
            for try await id in try await connection.query("SELECT id FROM campaign ORDER BY id", logger: logger).decode(Int64.self) { ids.append(id) }
            var found: [CampaignStatus] = []
            for id in ids { if let status = try await Self.status(connection, id: id, logger) { found.append(status) } }
            return found
        }
    }

    private static func approve(_ connection: PostgresConnection, id: Int64, by approver: String, sendAfter: Date, now: String,
                                _ logger: Logger) async throws -> CampaignStatus {
        // Locked, so two servers approving at once add the users once and agree on who approved.
        guard let state = try await connection.query("SELECT state FROM campaign WHERE id = \(id) FOR UPDATE", logger: logger).first(String.self) else {
            throw NoticeStoreError.noSuchCampaign(id)
        }
        switch CampaignState(rawValue: state) {
        case .cancelled: throw NoticeStoreError.campaignCancelled(id)
        case .approved: return try await status(connection, id: id, logger)!
        default: break
        }
        try await connection.query("""
            UPDATE campaign SET state = 'approved', approved_at = \(now), approved_by = \(approver), send_after_ms = \(sendAfter.unixMilliseconds)
            WHERE id = \(id)
            """, logger: logger)
        try await connection.query("""
            INSERT INTO outbox (campaign_id, user_ref) SELECT \(id), id FROM app_user WHERE deleted_at IS NULL ORDER BY id ON CONFLICT DO NOTHING
            """, logger: logger)
        try await connection.query("UPDATE campaign SET recipients = (SELECT COUNT(*) FROM outbox WHERE campaign_id = \(id)) WHERE id = \(id)",
                                   logger: logger)
        return try await status(connection, id: id, logger)!
    }

    /// Marks a version as seen; true when it was not before (and no other server's transaction saw it first).
    private static func noteVersion(_ connection: PostgresConnection, document: String, version: String, now: String, _ logger: Logger) async throws -> Bool {
        try await connection.query("""
            INSERT INTO known_version (document, version, seen_at) VALUES (\(document), \(version), \(now))
            ON CONFLICT (document, version) DO NOTHING RETURNING document
            """, logger: logger).count() == 1
    }

    private static func createCampaign(_ connection: PostgresConnection, _ draft: CampaignDraft, trigger: CampaignTrigger, now: String,
                                       _ logger: Logger) async throws -> (CampaignStatus, Bool) {
        let inserted = try await connection.query("""
            INSERT INTO campaign (document, version, trigger, site_title, document_title, effective, summary, changes_url, version_url, translations,
                                  optional, created_at, recipients, state)
            VALUES (\(draft.document), \(draft.version), \(trigger.rawValue), \(draft.siteTitle), \(draft.documentTitle), \(draft.effective),
                    \(draft.summary), \(draft.changesUrl), \(draft.versionUrl), \(draft.translationsJSON), \(draft.optional), \(now), 0, 'pending')
            ON CONFLICT (document, version) DO NOTHING RETURNING id
            """, logger: logger).first(Int64.self)
        guard let id = inserted else {
            let existing = try await connection.query("SELECT id FROM campaign WHERE document = \(draft.document) AND version = \(draft.version)",
                                                      logger: logger).first(Int64.self)
            return (try await status(connection, id: existing ?? -1, logger)!, false)
        }
        // One statement, however many users: nothing about them passes through memory.
        try await connection.query("""
            INSERT INTO outbox (campaign_id, user_ref) SELECT \(id), id FROM app_user WHERE deleted_at IS NULL ORDER BY id ON CONFLICT DO NOTHING
            """, logger: logger)
        try await connection.query("UPDATE campaign SET recipients = (SELECT COUNT(*) FROM outbox WHERE campaign_id = \(id)) WHERE id = \(id)",
                                   logger: logger)
        return (try await status(connection, id: id, logger)!, true)
    }

    private static func status(_ connection: PostgresConnection, id: Int64, _ logger: Logger) async throws -> CampaignStatus? {
        var found: (String, String, String, String, String, String?, String?, Int64, String?, Int64, Bool)?
        for try await row in try await connection.query("""
            SELECT document, version, trigger, state, created_at, approved_at, approved_by, send_after_ms, cancelled_at, recipients, optional
            FROM campaign WHERE id = \(id)
            """, logger: logger).decode((String, String, String, String, String, String?, String?, Int64, String?, Int64, Bool).self) {
            found = row
        }
        guard let (document, version, trigger, stateText, createdAt, approvedAt, approvedBy, sendAfterMs, cancelledAt, recipients, optional) = found else {
            return nil
        }
        var counts: [String: Int] = [:]
        for try await (status, count) in try await connection.query("SELECT status, COUNT(*) FROM outbox WHERE campaign_id = \(id) GROUP BY status",
                                                                   logger: logger).decode((String, Int64).self) {
            counts[status] = Int(count)
        }
        let state: CampaignState = try NoticeStoreError.decode(stateText, column: "campaign.state")
        return CampaignStatus(id: id, document: document, version: version, trigger: try NoticeStoreError.decode(trigger, column: "campaign.trigger"),
                              state: state, optional: optional,
                              createdAt: createdAt, approvedAt: approvedAt, approvedBy: approvedBy,
                              sendAfter: state == .approved ? UTCTime.timestamp(Date(timeIntervalSince1970: Double(sendAfterMs) / 1000)) : nil,
                              cancelledAt: cancelledAt, recipients: Int(recipients), queued: counts["queued"] ?? 0,
                              sending: counts["sending"] ?? 0, sent: counts["sent"] ?? 0, failed: counts["failed"] ?? 0,
                              cancelled: counts["cancelled"] ?? 0)
    }

    static let draftColumns = "document, version, site_title, document_title, effective, summary, changes_url, version_url, translations, optional"

    private static func drafts(_ connection: PostgresConnection, _ query: PostgresQuery, _ logger: Logger) async throws -> [CampaignDraft] {
        var drafts: [CampaignDraft] = []
        for try await (document, version, siteTitle, title, effective, summary, changes, versionURL, translations, optional)
            in try await connection.query(query, logger: logger)
            .decode((String, String, String, String, String, String, String, String, String?, Bool).self) {
            drafts.append(CampaignDraft(document: document, version: version, siteTitle: siteTitle, documentTitle: title, effective: effective,
                                        summary: summary, changesUrl: changes, versionUrl: versionURL,
                                        translations: try CampaignDraft.translations(fromJSON: translations), optional: optional))
        }
        return drafts
    }

    // MARK: Outbox

    public func claim(limit: Int, lease: Duration, now: Date) async throws -> [OutboxItem] {
        let nowMs = now.unixMilliseconds
        let leaseUntil = nowMs + OutboxLease.milliseconds(lease)
        let logger = logger
        return try await database.transaction { connection in
            // Two lookups, as with SQLite: leases that ran out first, then queued messages in the
            // order of the outbox_due index, each stopping at the limit instead of sorting every due row.
            var items: [OutboxItem] = []
            var skipped: [(id: Int64, skip: OutboxItem.Skip)] = []
            for expired in [true, false] where items.count + skipped.count < limit {
                try await Self.due(connection, expired: expired, limit: limit - items.count - skipped.count, nowMs: nowMs, logger,
                                   items: &items, skipped: &skipped)
            }
            for (id, skip) in skipped {
                try await connection.query("""
                    UPDATE outbox SET status = \(skip.state.rawValue), last_error = COALESCE(\(skip.reason), last_error) WHERE id = \(id)
                    """, logger: logger)
            }
            if !items.isEmpty {
                try await connection.query("UPDATE outbox SET status = 'sending', lease_until_ms = \(leaseUntil) WHERE id = ANY(\(items.map(\.id)))",
                                           logger: logger)
            }
            return items
        }
    }

    /// Up to `limit` due messages, locked: those to send into `items`, the others into `skipped`.
    /// SKIP LOCKED: rows another worker is claiming right now are left to it, not waited for.
    private static func due(_ connection: PostgresConnection, expired: Bool, limit: Int, nowMs: Int64, _ logger: Logger,
                            items: inout [OutboxItem], skipped: inout [(id: Int64, skip: OutboxItem.Skip)]) async throws {
        let columns = """
            o.id, o.campaign_id, o.attempts, u.user_id, u.email, u.locale,
            c.document, c.version, c.site_title, c.document_title, c.effective, c.summary, c.changes_url, c.version_url, c.translations,
            c.optional, u.undeliverable_at, u.undeliverable_reason, u.unsubscribed_at
            """
        let query: PostgresQuery = expired ? """
            SELECT \(unescaped: columns) FROM outbox o JOIN app_user u ON u.id = o.user_ref JOIN campaign c ON c.id = o.campaign_id
            WHERE o.status = 'sending' AND o.lease_until_ms <= \(nowMs) AND c.state = 'approved' AND c.send_after_ms <= \(nowMs)
            ORDER BY o.lease_until_ms, o.id LIMIT \(Int64(limit)) FOR UPDATE OF o SKIP LOCKED
            """ : """
            SELECT \(unescaped: columns) FROM outbox o JOIN app_user u ON u.id = o.user_ref JOIN campaign c ON c.id = o.campaign_id
            WHERE o.status = 'queued' AND o.next_attempt_ms <= \(nowMs) AND c.state = 'approved' AND c.send_after_ms <= \(nowMs)
            ORDER BY o.next_attempt_ms, o.id LIMIT \(Int64(limit)) FOR UPDATE OF o SKIP LOCKED
            """
        for try await (id, campaignId, attempts, userId, email, locale, document, version, siteTitle, title, effective, summary, changes, versionURL,
                       translations, optional, bouncedAt, bounceReason, unsubscribedAt)
            in try await connection.query(query, logger: logger)
            .decode((Int64, Int64, Int64, String, String?, String, String, String, String, String, String, String, String, String, String?,
                     Bool, String?, String?, String?).self) {
            if let skip = OutboxItem.skip(email: email, undeliverableSince: bouncedAt, undeliverableReason: bounceReason, optional: optional,
                                          unsubscribedAt: unsubscribedAt) {
                skipped.append((id, skip))
                continue
            }
            let content = CampaignDraft(document: document, version: version, siteTitle: siteTitle, documentTitle: title, effective: effective,
                                        summary: summary, changesUrl: changes, versionUrl: versionURL,
                                        translations: try CampaignDraft.translations(fromJSON: translations), optional: optional)
            items.append(OutboxItem(id: id, campaignId: campaignId, attempts: Int(attempts), userId: userId, email: email ?? "", locale: locale,
                                    content: content))
        }
    }

    public func extendLease(_ ids: [Int64], lease: Duration, now: Date) async throws {
        guard !ids.isEmpty else { return }
        let until = now.unixMilliseconds + OutboxLease.milliseconds(lease)
        let logger = logger
        try await database.read { connection in
            _ = try await connection.query("UPDATE outbox SET lease_until_ms = \(until) WHERE id = ANY(\(ids)) AND status = 'sending'", logger: logger).collect()
        }
    }

    public func complete(_ results: [(id: Int64, result: OutboxResult)]) async throws {
        guard !results.isEmpty else { return }
        let now = UTCTime.timestamp(Date())
        let logger = logger
        let outcomes = results.map { ($0.id, $0.result) }
        try await database.transaction { connection in
            for (id, result) in outcomes {
                switch result {
                case .sent:
                    try await connection.query("""
                        UPDATE outbox SET status = 'sent', attempts = attempts + 1, sent_at = \(now), last_error = NULL WHERE id = \(id) AND status = 'sending'
                        """, logger: logger)
                case let .retry(at, reason):
                    try await connection.query("""
                        UPDATE outbox SET status = 'queued', attempts = attempts + 1, next_attempt_ms = \(at.unixMilliseconds), last_error = \(reason)
                        WHERE id = \(id) AND status = 'sending'
                        """, logger: logger)
                case let .failed(reason):
                    try await connection.query("""
                        UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = \(reason) WHERE id = \(id) AND status = 'sending'
                        """, logger: logger)
                }
            }
        }
    }

    public func failures(campaign id: Int64, limit: Int) async throws -> [(userId: String, reason: String)] {
        let logger = logger
        return try await database.read { connection in
            var found: [(userId: String, reason: String)] = []
            for try await (userId, reason) in try await connection.query("""
                SELECT u.user_id, o.last_error FROM outbox o JOIN app_user u ON u.id = o.user_ref
                WHERE o.campaign_id = \(id) AND o.status = 'failed' ORDER BY o.id LIMIT \(Int64(limit))
                """, logger: logger).decode((String, String?).self) {
                found.append((userId, reason ?? ""))
            }
            return found
        }
    }

    public func recipients(campaign id: Int64) async throws -> [CampaignRecipient] {
        let logger = logger
        return try await database.read { connection in
            var found: [CampaignRecipient] = []
            for try await (userId, status, error) in try await connection.query("""
                SELECT u.user_id, o.status, o.last_error FROM outbox o JOIN app_user u ON u.id = o.user_ref
                WHERE o.campaign_id = \(id) ORDER BY o.id
                """, logger: logger).decode((String, String, String?).self) {
                found.append(CampaignRecipient(userId: userId, status: status, lastError: error))
            }
            return found
        }
    }

    public func markUndeliverable(userId: String, reason: String, now: Date) async throws -> Bool {
        let logger = logger
        let since = UTCTime.timestamp(now)
        let text = String(reason.prefix(300))
        return try await database.transaction { connection in
            var changed = false
            for try await _ in try await connection.query("""
                UPDATE app_user SET undeliverable_at = \(since), undeliverable_reason = \(text)
                WHERE user_id = \(userId) AND deleted_at IS NULL AND undeliverable_at IS NULL RETURNING id
                """, logger: logger).decode(Int64.self) { changed = true }
            return changed
        }
    }

    public func unsubscribe(outboxId id: Int64, now: Date, belongsTo: @escaping @Sendable (String) -> Bool) async throws -> UnsubscribeOutcome {
        let logger = logger
        let stamp = UTCTime.timestamp(now)
        return try await database.transaction { connection in
            var found: (campaign: Int64, optional: Bool, user: Int64, userId: String, since: String?)?
            for try await row in try await connection.query("""
                SELECT o.campaign_id, c.optional, u.id, u.user_id, u.unsubscribed_at FROM outbox o
                JOIN campaign c ON c.id = o.campaign_id JOIN app_user u ON u.id = o.user_ref
                WHERE o.id = \(id) AND u.deleted_at IS NULL FOR UPDATE OF u
                """, logger: logger).decode((Int64, Bool, Int64, String, String?).self) { found = row }
            guard let found, belongsTo(found.userId) else { return .unknown }
            guard found.optional else { return .required }
            if found.since != nil { return .already(campaign: found.campaign) }
            try await connection.query("UPDATE app_user SET unsubscribed_at = \(stamp) WHERE id = \(found.user)", logger: logger)
            return .unsubscribed(campaign: found.campaign)
        }
    }

    public func undeliverableUsers() async throws -> [UndeliverableUser] {
        let logger = logger
        return try await database.read { connection in
            var found: [UndeliverableUser] = []
            for try await (userId, since, reason) in try await connection.query("""
                SELECT user_id, undeliverable_at, undeliverable_reason FROM app_user
                WHERE deleted_at IS NULL AND undeliverable_at IS NOT NULL ORDER BY undeliverable_at, id
                """, logger: logger).decode((String, String, String?).self) {
                found.append(UndeliverableUser(userId: userId, since: since, reason: reason ?? ""))
            }
            return found
        }
    }
}
