import Foundation
import GRDB
import RedlineConsent

/// API keys, users, campaigns and the outbox in SQLite, in the same database as the consent records.
public final class SQLiteNoticeStore: NoticeStore {
    let database: DatabasePool
    private let keyGate: APIKeyGate

    public init(database: DatabasePool, bcryptCost: UInt8 = 12) {
        self.database = database
        keyGate = APIKeyGate(bcryptCost: bcryptCost)
    }

    public static func registerMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2: keys, users, campaigns and outbox") { db in
            try createKeysAndUsers(db)
            try createCampaignsAndOutbox(db)
        }
        migrator.registerMigration("v3: campaigns wait for approval") { db in
            // Campaigns from before approval existed were sending already: they count as approved.
            try db.alter(table: "campaign") { table in
                table.add(column: "state", .text).notNull().defaults(to: CampaignState.approved.rawValue)
                table.add(column: "approved_at", .text)
                table.add(column: "approved_by", .text)
                table.add(column: "send_after_ms", .integer).notNull().defaults(to: 0)
                table.add(column: "cancelled_at", .text)
            }
        }
        migrator.registerMigration("v4: outbox leases") { db in
            // Until when the worker that claimed a message holds it; 0 (expired) for rows from before.
            try db.alter(table: "outbox") { table in table.add(column: "lease_until_ms", .integer).notNull().defaults(to: 0) }
        }
        migrator.registerMigration("v5: campaigns keep their translations") { db in
            // JSON by locale; NULL for campaigns from before, which read the live manifest as they did.
            try db.alter(table: "campaign") { table in table.add(column: "translations", .text) }
        }
        migrator.registerMigration("v6: undeliverable addresses") { db in
            // Set by a hard bounce; cleared when the user's address changes. No notice is sent to it meanwhile.
            try db.alter(table: "app_user") { table in
                table.add(column: "undeliverable_at", .text)
                table.add(column: "undeliverable_reason", .text)
            }
        }
        migrator.registerMigration("v7: optional notices") { db in
            // Campaigns from before were all required notices; a user's opt-out covers optional ones only.
            try db.alter(table: "campaign") { table in table.add(column: "optional", .boolean).notNull().defaults(to: false) }
            try db.alter(table: "app_user") { table in table.add(column: "unsubscribed_at", .text) }
        }
    }

    private static func createKeysAndUsers(_ db: Database) throws {
        try db.create(table: "api_key") { table in
            table.primaryKey("id", .integer)
            table.column("name", .text).notNull().unique()
            table.column("prefix", .text).notNull().unique()
            table.column("hint", .text).notNull()
            table.column("bcrypt_hash", .text).notNull()
            table.column("created_at", .text).notNull()
            table.column("last_used_at", .text)
            table.column("revoked_at", .text)
        }
        try db.create(table: "app_user") { table in
            table.primaryKey("id", .integer)
            table.column("user_id", .text).notNull().unique()
            // NULL once the user is deleted: the row stays so that a notice is never sent twice.
            table.column("email", .text)
            table.column("locale", .text).notNull()
            table.column("subject", .text)
            table.column("created_at", .text).notNull()
            table.column("updated_at", .text).notNull()
            table.column("deleted_at", .text)
        }
        try db.create(table: "known_version") { table in
            table.column("document", .text).notNull()
            table.column("version", .text).notNull()
            table.column("seen_at", .text).notNull()
            table.primaryKey(["document", "version"])
        }
        try db.create(table: "notice_meta") { table in
            table.column("key", .text).primaryKey()
            table.column("value", .text).notNull()
        }
    }

    private static func createCampaignsAndOutbox(_ db: Database) throws {
        try db.create(table: "campaign") { table in
            table.primaryKey("id", .integer)
            table.column("document", .text).notNull()
            table.column("version", .text).notNull()
            table.column("trigger", .text).notNull()
            table.column("site_title", .text).notNull()
            table.column("document_title", .text).notNull()
            table.column("effective", .text).notNull()
            table.column("summary", .text).notNull()
            table.column("changes_url", .text).notNull()
            table.column("version_url", .text).notNull()
            table.column("created_at", .text).notNull()
            table.column("recipients", .integer).notNull()
            table.uniqueKey(["document", "version"])
        }
        try db.create(table: "outbox") { table in
            table.primaryKey("id", .integer)
            table.column("campaign_id", .integer).notNull().references("campaign")
            table.column("user_ref", .integer).notNull().references("app_user")
            // queued → sending → sent | failed | cancelled (user deleted); sending → queued after a crash.
            table.column("status", .text).notNull().defaults(to: "queued")
            table.column("attempts", .integer).notNull().defaults(to: 0)
            table.column("next_attempt_ms", .integer).notNull().defaults(to: 0)
            table.column("last_error", .text)
            table.column("sent_at", .text)
            table.uniqueKey(["campaign_id", "user_ref"])
        }
        try db.create(index: "outbox_due", on: "outbox", columns: ["status", "next_attempt_ms"])
    }

    // MARK: API keys

    public func createKey(name: String) async throws -> (key: String, info: APIKeyInfo) {
        let made = keyGate.newKey()
        let now = UTCTime.timestamp(Date())
        let info = try await database.write { db -> APIKeyInfo in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM api_key WHERE name = ?", arguments: [name]) == true {
                throw NoticeStoreError.keyNameTaken(name)
            }
            try db.execute(sql: "INSERT INTO api_key (name, prefix, hint, bcrypt_hash, created_at) VALUES (?, ?, ?, ?, ?)",
                           arguments: [name, made.prefix, made.hint, made.hash, now])
            return APIKeyInfo(id: db.lastInsertedRowID, name: name, prefix: made.prefix, hint: made.hint,
                              createdAt: now, lastUsedAt: nil, revokedAt: nil)
        }
        return (made.key, info)
    }

    public func keys() async throws -> [APIKeyInfo] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM api_key ORDER BY id").map(Self.keyInfo)
        }
    }

    public func revokeKey(_ nameOrPrefix: String) async throws -> Bool {
        let now = UTCTime.timestamp(Date())
        return try await database.write { db in
            try db.execute(sql: "UPDATE api_key SET revoked_at = ? WHERE (name = ? OR prefix = ?) AND revoked_at IS NULL",
                           arguments: [now, nameOrPrefix, nameOrPrefix])
            return db.changesCount > 0
        }
    }

    public func isProven(_ presented: String) -> Bool { keyGate.isProven(presented) }

    public func authenticate(_ presented: String, client: String) async throws -> APIKeyInfo? {
        let prefix = keyGate.prefix(of: presented) ?? ""
        let found = try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM api_key WHERE prefix = ? AND revoked_at IS NULL", arguments: [prefix])
                .map { (info: Self.keyInfo($0), hash: $0["bcrypt_hash"] as String) }
        }
        guard let info = try await keyGate.check(presented, against: found, client: client) else { return nil }
        let now = Date()
        if APIKeyGate.isStale(info.lastUsedAt, now: now) {
            try await database.write { db in
                try db.execute(sql: "UPDATE api_key SET last_used_at = ? WHERE id = ?", arguments: [UTCTime.timestamp(now), info.id])
            }
        }
        return info
    }

    private static func keyInfo(_ row: Row) -> APIKeyInfo {
        APIKeyInfo(id: row["id"], name: row["name"], prefix: row["prefix"], hint: row["hint"], createdAt: row["created_at"],
                   lastUsedAt: row["last_used_at"], revokedAt: row["revoked_at"])
    }

    // MARK: Users

    public func putUser(_ input: UserInput) async throws -> (user: UserRecord, created: Bool) {
        let now = UTCTime.timestamp(Date())
        return try await database.write { db in
            let created = try Self.upsert(db, input, now: now)
            return (try Self.user(db, input.userId)!, created)
        }
    }

    public func putUsers(_ inputs: [UserInput]) async throws -> (created: Int, updated: Int) {
        let now = UTCTime.timestamp(Date())
        return try await database.write { db in
            var created = 0
            for input in inputs where try Self.upsert(db, input, now: now) { created += 1 }
            return (created, inputs.count - created)
        }
    }

    public func deleteUser(_ userId: String) async throws -> Bool {
        let now = UTCTime.timestamp(Date())
        return try await database.write { db in
            try db.execute(sql: "UPDATE app_user SET email = NULL, subject = NULL, deleted_at = ?, updated_at = ? WHERE user_id = ? AND deleted_at IS NULL",
                           arguments: [now, now, userId])
            return db.changesCount > 0
        }
    }

    public func user(_ userId: String) async throws -> UserRecord? {
        try await database.read { db in try Self.user(db, userId) }
    }

    public func users(limit: Int, after: String?) async throws -> [UserRecord] {
        try await database.read { db in
            let afterRef = try after.flatMap { try Int64.fetchOne(db, sql: "SELECT id FROM app_user WHERE user_id = ?", arguments: [$0]) } ?? 0
            return try String.fetchAll(db, sql: "SELECT user_id FROM app_user WHERE deleted_at IS NULL AND id > ? ORDER BY id LIMIT ?",
                                       arguments: [afterRef, limit]).compactMap { try Self.user(db, $0) }
        }
    }

    public func activeUserCount() async throws -> Int {
        try await database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM app_user WHERE deleted_at IS NULL") ?? 0 }
    }

    private static func upsert(_ db: Database, _ input: UserInput, now: String) throws -> Bool {
        let exists = try Bool.fetchOne(db.cachedStatement(sql: "SELECT deleted_at IS NULL FROM app_user WHERE user_id = ?"),
                                       arguments: [input.userId])
        try db.cachedStatement(sql: """
            INSERT INTO app_user (user_id, email, locale, subject, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, locale = excluded.locale, subject = excluded.subject,
                updated_at = excluded.updated_at, deleted_at = NULL,
                undeliverable_at = CASE WHEN app_user.email = excluded.email THEN app_user.undeliverable_at END,
                undeliverable_reason = CASE WHEN app_user.email = excluded.email THEN app_user.undeliverable_reason END,
                unsubscribed_at = CASE WHEN app_user.deleted_at IS NULL THEN app_user.unsubscribed_at END
            """).execute(arguments: [input.userId, input.email, input.locale, input.subject, now, now])
        return exists != true
    }

    private static func user(_ db: Database, _ userId: String) throws -> UserRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM app_user WHERE user_id = ? AND deleted_at IS NULL", arguments: [userId]).map { row in
            UserRecord(userId: row["user_id"], email: row["email"], locale: row["locale"], subject: row["subject"],
                       createdAt: row["created_at"], updatedAt: row["updated_at"], unsubscribedAt: row["unsubscribed_at"])
        }
    }
}
