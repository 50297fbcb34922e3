import Foundation
import PostgresNIO
import RedlineConsent

/// The PostgreSQL schema, as named, append-only migrations with the same names as SQLite's
/// (see `SQLiteConsentStore` and `SQLiteNoticeStore`), applied in this order in one transaction.
/// An advisory lock makes servers that start together wait for each other instead of racing.
enum PostgresMigrations {
    static let all: [(name: String, statements: [String])] = [
        ("v1: consent records", [
            """
            CREATE TABLE consent_record (
                sequence BIGINT PRIMARY KEY,
                record_id TEXT NOT NULL UNIQUE,
                subject TEXT,
                personal_json TEXT,
                evidence_json TEXT NOT NULL,
                entry_hash TEXT NOT NULL,
                signature TEXT NOT NULL,
                idempotency_key_digest TEXT UNIQUE,
                erased_at TEXT
            )
            """,
            "CREATE INDEX consent_record_subject ON consent_record (subject)",
            // The chain's newest link in one row: every appending transaction locks it first,
            // so batches from any number of servers join the chain one after another.
            """
            CREATE TABLE chain_head (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                sequence BIGINT NOT NULL,
                entry_hash TEXT NOT NULL
            )
            """,
            "INSERT INTO chain_head (id, sequence, entry_hash) VALUES (1, 0, '\(ConsentEvidence.genesisHash)')",
        ]),
        ("v2: receipt key ids", [
            "ALTER TABLE consent_record ADD COLUMN key_id TEXT",
        ]),
        ("v2: keys, users, campaigns and outbox", [
            """
            CREATE TABLE api_key (
                id BIGSERIAL PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                prefix TEXT NOT NULL UNIQUE,
                hint TEXT NOT NULL,
                bcrypt_hash TEXT NOT NULL,
                created_at TEXT NOT NULL,
                last_used_at TEXT,
                revoked_at TEXT
            )
            """,
            """
            CREATE TABLE app_user (
                id BIGSERIAL PRIMARY KEY,
                user_id TEXT NOT NULL UNIQUE,
                email TEXT,
                locale TEXT NOT NULL,
                subject TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                deleted_at TEXT
            )
            """,
            """
            CREATE TABLE known_version (
                document TEXT NOT NULL,
                version TEXT NOT NULL,
                seen_at TEXT NOT NULL,
                PRIMARY KEY (document, version)
            )
            """,
            "CREATE TABLE notice_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            """
            CREATE TABLE campaign (
                id BIGSERIAL PRIMARY KEY,
                document TEXT NOT NULL,
                version TEXT NOT NULL,
                trigger TEXT NOT NULL,
                site_title TEXT NOT NULL,
                document_title TEXT NOT NULL,
                effective TEXT NOT NULL,
                summary TEXT NOT NULL,
                changes_url TEXT NOT NULL,
                version_url TEXT NOT NULL,
                created_at TEXT NOT NULL,
                recipients BIGINT NOT NULL,
                UNIQUE (document, version)
            )
            """,
            """
            CREATE TABLE outbox (
                id BIGSERIAL PRIMARY KEY,
                campaign_id BIGINT NOT NULL REFERENCES campaign (id),
                user_ref BIGINT NOT NULL REFERENCES app_user (id),
                status TEXT NOT NULL DEFAULT 'queued',
                attempts BIGINT NOT NULL DEFAULT 0,
                next_attempt_ms BIGINT NOT NULL DEFAULT 0,
                last_error TEXT,
                sent_at TEXT,
                UNIQUE (campaign_id, user_ref)
            )
            """,
            "CREATE INDEX outbox_due ON outbox (status, next_attempt_ms)",
        ]),
        ("v3: campaigns wait for approval", [
            "ALTER TABLE campaign ADD COLUMN state TEXT NOT NULL DEFAULT 'approved'",
            "ALTER TABLE campaign ADD COLUMN approved_at TEXT",
            "ALTER TABLE campaign ADD COLUMN approved_by TEXT",
            "ALTER TABLE campaign ADD COLUMN send_after_ms BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE campaign ADD COLUMN cancelled_at TEXT",
        ]),
        ("v4: outbox leases", [
            "ALTER TABLE outbox ADD COLUMN lease_until_ms BIGINT NOT NULL DEFAULT 0",
        ]),
        ("v5: campaigns keep their translations", [
            "ALTER TABLE campaign ADD COLUMN translations TEXT",
        ]),
        // Only what a counter is keyed by: nothing here could tell one visitor from another.
        ("v6: banner impression counters", [
            """
            CREATE TABLE impression_count (
                day TEXT NOT NULL,
                region TEXT NOT NULL,
                mode TEXT NOT NULL,
                notice TEXT NOT NULL,
                impressions BIGINT NOT NULL,
                PRIMARY KEY (day, region, mode, notice)
            )
            """,
        ]),
        // Set by a hard bounce; cleared when the user's address changes. No notice is sent to it meanwhile.
        ("v7: undeliverable addresses", [
            "ALTER TABLE app_user ADD COLUMN undeliverable_at TEXT",
            "ALTER TABLE app_user ADD COLUMN undeliverable_reason TEXT",
        ]),
        // Campaigns from before were all required notices; a user's opt-out covers optional ones only.
        ("v8: optional notices", [
            "ALTER TABLE campaign ADD COLUMN optional BOOLEAN NOT NULL DEFAULT false",
            "ALTER TABLE app_user ADD COLUMN unsubscribed_at TEXT",
        ]),
        // "Was this page helpful?": counts per page, and comments with their page and day; nothing about the reader.
        ("v9: docs feedback", [
            "CREATE TABLE feedback_count (page TEXT NOT NULL, version TEXT NOT NULL, helpful BIGINT NOT NULL, not_helpful BIGINT NOT NULL, PRIMARY KEY (page, version))",
            "CREATE TABLE feedback_comment (id BIGSERIAL PRIMARY KEY, page TEXT NOT NULL, version TEXT NOT NULL, helpful BOOLEAN NOT NULL, comment TEXT NOT NULL, day TEXT NOT NULL)",
        ]),
    ]

    /// An arbitrary number that names Redline's migration lock among the database's advisory locks.
    static let lockKey: Int64 = 0x7265_646C_696E_65

    static func apply(_ database: PostgresDatabase) async throws {
        try await database.transaction { connection in
            let logger = database.logger
            try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            try await connection.query("CREATE TABLE IF NOT EXISTS redline_migration (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)", logger: logger)
            var applied: Set<String> = []
            for try await name in try await connection.query("SELECT name FROM redline_migration", logger: logger).decode(String.self) {
                applied.insert(name)
            }
            for migration in all where !applied.contains(migration.name) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("INSERT INTO redline_migration (name, applied_at) VALUES (\(migration.name), \(UTCTime.timestamp(Date())))",
                                           logger: logger)
            }
        }
    }

    /// The names of the migrations a database has, for tests.
    static func appliedNames(_ database: PostgresDatabase) async throws -> [String] {
        try await database.read { connection in
            var names: [String] = []
            for try await name in try await connection.query("SELECT name FROM redline_migration ORDER BY name", logger: database.logger).decode(String.self) {
                names.append(name)
            }
            return names
        }
    }
}
