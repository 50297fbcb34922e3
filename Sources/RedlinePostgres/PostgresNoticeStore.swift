import Foundation
import PostgresNIO
import RedlineConsent
import RedlineNotices

/// API keys, users, campaigns and the outbox in PostgreSQL, shared by several servers: a
/// version's campaign is created once however many servers see it at the same moment (unique
/// keys and `ON CONFLICT`), and workers lease outbox rows with `FOR UPDATE SKIP LOCKED`, so no
/// two take the same message and a dead worker's lease runs out for another to take.
public final class PostgresNoticeStore: NoticeStore {
    let database: PostgresDatabase
    private let keyGate: APIKeyGate

    public init(database: PostgresDatabase, bcryptCost: UInt8 = 12) {
        self.database = database
        keyGate = APIKeyGate(bcryptCost: bcryptCost)
    }

    var logger: Logger { database.logger }

    // MARK: API keys

    public func createKey(name: String) async throws -> (key: String, info: APIKeyInfo) {
        let made = keyGate.newKey()
        let now = UTCTime.timestamp(Date())
        let logger = logger
        let id = try await database.transaction { connection -> Int64? in
            try await connection.query("""
                INSERT INTO api_key (name, prefix, hint, bcrypt_hash, created_at) VALUES (\(name), \(made.prefix), \(made.hint), \(made.hash), \(now))
                ON CONFLICT (name) DO NOTHING RETURNING id
                """, logger: logger).first(Int64.self)
        }
        guard let id else { throw NoticeStoreError.keyNameTaken(name) }
        return (made.key, APIKeyInfo(id: id, name: name, prefix: made.prefix, hint: made.hint, createdAt: now, lastUsedAt: nil, revokedAt: nil))
    }

    static let keyColumns = "id, name, prefix, hint, created_at, last_used_at, revoked_at, bcrypt_hash"

    public func keys() async throws -> [APIKeyInfo] {
        let logger = logger
        return try await database.read { connection in
            try await Self.keyRows(connection, "SELECT \(unescaped: Self.keyColumns) FROM api_key ORDER BY id", logger).map(\.info)
        }
    }

    public func revokeKey(_ nameOrPrefix: String) async throws -> Bool {
        let now = UTCTime.timestamp(Date())
        let logger = logger
        return try await database.transaction { connection in
            try await connection.query("""
                UPDATE api_key SET revoked_at = \(now) WHERE (name = \(nameOrPrefix) OR prefix = \(nameOrPrefix)) AND revoked_at IS NULL RETURNING id
                """, logger: logger).count() > 0
        }
    }

    public func isProven(_ presented: String) -> Bool { keyGate.isProven(presented) }

    public func authenticate(_ presented: String, client: String) async throws -> APIKeyInfo? {
        let prefix = keyGate.prefix(of: presented) ?? ""
        let logger = logger
        let found = try await database.read { connection in
            try await Self.keyRows(connection, "SELECT \(unescaped: Self.keyColumns) FROM api_key WHERE prefix = \(prefix) AND revoked_at IS NULL", logger).first
        }
        guard let info = try await keyGate.check(presented, against: found, client: client) else { return nil }
        let now = Date()
        if APIKeyGate.isStale(info.lastUsedAt, now: now) {
            let stamp = UTCTime.timestamp(now)
            try await database.read { connection in
                _ = try await connection.query("UPDATE api_key SET last_used_at = \(stamp) WHERE id = \(info.id)", logger: logger).collect()
            }
        }
        return info
    }

    private static func keyRows(_ connection: PostgresConnection, _ query: PostgresQuery, _ logger: Logger) async throws -> [(info: APIKeyInfo, hash: String)] {
        var keys: [(info: APIKeyInfo, hash: String)] = []
        for try await (id, name, prefix, hint, created, used, revoked, hash) in try await connection.query(query, logger: logger)
            .decode((Int64, String, String, String, String, String?, String?, String).self) {
            keys.append((APIKeyInfo(id: id, name: name, prefix: prefix, hint: hint, createdAt: created, lastUsedAt: used, revokedAt: revoked), hash))
        }
        return keys
    }

    // MARK: Users

    public func putUser(_ input: UserInput) async throws -> (user: UserRecord, created: Bool) {
        let now = UTCTime.timestamp(Date())
        let logger = logger
        return try await database.transaction { connection in
            let created = try await Self.upsert(connection, [input], now: now, logger) == 1
            guard let user = try await Self.user(connection, input.userId, logger) else { throw StoreUnavailable("the user vanished while being written") }
            return (user, created)
        }
    }

    public func putUsers(_ inputs: [UserInput]) async throws -> (created: Int, updated: Int) {
        guard !inputs.isEmpty else { return (0, 0) }
        let now = UTCTime.timestamp(Date())
        let logger = logger
        return try await database.transaction { connection in
            let created = try await Self.upsert(connection, inputs, now: now, logger)
            return (created, inputs.count - created)
        }
    }

    /// Inserts or updates users in one statement; returns how many were new or came back from deletion.
    /// (A later row with the same user id wins, as it would one statement at a time.)
    private static func upsert(_ connection: PostgresConnection, _ inputs: [UserInput], now: String, _ logger: Logger) async throws -> Int {
        var latest: [String: UserInput] = [:]
        var order: [String] = []
        for input in inputs {
            if latest.updateValue(input, forKey: input.userId) == nil { order.append(input.userId) }
        }
        let users = order.map { latest[$0]! }
        // xmax = 0 on the returned row: it was inserted, not updated. A deleted user brought back counts as new, as with SQLite.
        var created = 0
        for try await (inserted, wasDeleted) in try await connection.query("""
            WITH previous AS (SELECT user_id, deleted_at IS NOT NULL AS deleted FROM app_user WHERE user_id = ANY(\(users.map(\.userId))))
            INSERT INTO app_user (user_id, email, locale, subject, created_at, updated_at)
            SELECT u, e, l, NULLIF(s, E'\\x01'), \(now), \(now)
            FROM UNNEST(\(users.map(\.userId)), \(users.map(\.email)), \(users.map(\.locale)), \(users.map { $0.subject ?? "\u{1}" })) AS t(u, e, l, s)
            ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, locale = excluded.locale, subject = excluded.subject,
                updated_at = excluded.updated_at, deleted_at = NULL,
                undeliverable_at = CASE WHEN app_user.email = excluded.email THEN app_user.undeliverable_at END,
                undeliverable_reason = CASE WHEN app_user.email = excluded.email THEN app_user.undeliverable_reason END,
                unsubscribed_at = CASE WHEN app_user.deleted_at IS NULL THEN app_user.unsubscribed_at END
            RETURNING (xmax = 0), COALESCE((SELECT deleted FROM previous WHERE previous.user_id = app_user.user_id), false)
            """, logger: logger).decode((Bool, Bool).self) where inserted || wasDeleted {
            created += 1
        }
        return created
    }

    public func deleteUser(_ userId: String) async throws -> Bool {
        let now = UTCTime.timestamp(Date())
        let logger = logger
        return try await database.transaction { connection in
            try await connection.query("""
                UPDATE app_user SET email = NULL, subject = NULL, deleted_at = \(now), updated_at = \(now)
                WHERE user_id = \(userId) AND deleted_at IS NULL RETURNING id
                """, logger: logger).count() > 0
        }
    }

    public func user(_ userId: String) async throws -> UserRecord? {
        let logger = logger
        return try await database.read { connection in try await Self.user(connection, userId, logger) }
    }

    public func users(limit: Int, after: String?) async throws -> [UserRecord] {
        let logger = logger
        return try await database.read { connection in
            try await Self.users(connection, """
                SELECT user_id, email, locale, subject, created_at, updated_at, unsubscribed_at FROM app_user
                WHERE deleted_at IS NULL AND id > COALESCE((SELECT id FROM app_user WHERE user_id = \(after ?? "")), 0)
                ORDER BY id LIMIT \(Int64(limit))
                """, logger)
        }
    }

    public func activeUserCount() async throws -> Int {
        let logger = logger
        return try await database.read { connection in
            Int(try await connection.query("SELECT COUNT(*) FROM app_user WHERE deleted_at IS NULL", logger: logger).first(Int64.self) ?? 0)
        }
    }

    private static func user(_ connection: PostgresConnection, _ userId: String, _ logger: Logger) async throws -> UserRecord? {
        try await users(connection, """
            SELECT user_id, email, locale, subject, created_at, updated_at, unsubscribed_at FROM app_user WHERE user_id = \(userId) AND deleted_at IS NULL
            """, logger).first
    }

    private static func users(_ connection: PostgresConnection, _ query: PostgresQuery, _ logger: Logger) async throws -> [UserRecord] {
        var users: [UserRecord] = []
        for try await (userId, email, locale, subject, created, updated, unsubscribed) in try await connection.query(query, logger: logger)
            .decode((String, String?, String, String?, String, String, String?).self) {
            users.append(UserRecord(userId: userId, email: email ?? "", locale: locale, subject: subject, createdAt: created, updatedAt: updated,
                                    unsubscribedAt: unsubscribed))
        }
        return users
    }

    public func checkReadable() async throws {
        let logger = logger
        try await database.read { connection in
            _ = try await connection.query("SELECT COUNT(*) FROM campaign", logger: logger).collect()
        }
    }
}

extension PostgresRowSequence {
    /// The first column of the first row, or nil when there is none.
    func first<Value: PostgresDecodable>(_ type: Value.Type) async throws -> Value? {
        for try await value in decode(Value.self) { return value }
        return nil
    }

    /// How many rows there are (e.g. of an UPDATE … RETURNING).
    func count() async throws -> Int {
        var count = 0
        for try await _ in self { count += 1 }
        return count
    }
}
