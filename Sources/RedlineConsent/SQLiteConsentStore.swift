import Foundation
import GRDB

/// Consent records in SQLite through GRDB: WAL journal, `synchronous=FULL` so that an
/// acknowledged write survives a power cut, and named, append-only migrations.
public final class SQLiteConsentStore: ConsentStore {
    private let database: DatabasePool
    private let signer: ReceiptSigner

    /// Uses a database opened by `RedlineDatabase.open`, shared with the other stores.
    public init(database: DatabasePool, signer: ReceiptSigner) {
        self.database = database
        self.signer = signer
    }

    // MARK: Migrations

    public static func registerMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v1: consent records") { db in
            try db.create(table: "consent_record") { table in
                table.primaryKey("sequence", .integer)
                table.column("record_id", .text).notNull().unique()
                // Personal: NULL after erasure.
                table.column("subject", .text).indexed()
                table.column("personal_json", .text)
                // Evidence: never changes once written.
                table.column("evidence_json", .text).notNull()
                table.column("entry_hash", .text).notNull()
                table.column("signature", .text).notNull()
                table.column("idempotency_key_digest", .text).unique()
                table.column("erased_at", .text)
            }
        }
        migrator.registerMigration("v2: receipt key ids") { db in
            // Which key signed the record, once keys can be rotated; NULL for records from before.
            try db.alter(table: "consent_record") { table in table.add(column: "key_id", .text) }
        }
    }

    // MARK: Writing

    public func append(_ submissions: [ConsentSubmission], at time: Date) async throws -> [AppendResult] {
        let occurredAt = UTCTime.timestamp(time)
        let signer = signer
        return try await database.write { db in
            var (sequence, previous) = try Self.chainHead(db)
            var results: [AppendResult] = []
            for submission in submissions {
                let keyDigest = submission.idempotencyKeyDigest
                if let keyDigest, let existing = try Self.fetch(db, sql: "SELECT * FROM consent_record WHERE idempotency_key_digest = ?", [keyDigest]).first {
                    results.append(AppendResult(record: existing, outcome: submission.isSameDecision(as: existing.evidence) ? .replayed : .conflict))
                    continue
                }
                // Statements are cached: preparing them anew cost more than running them.
                let event = try submission.event ?? (Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM consent_record WHERE subject = ? LIMIT 1"),
                                                                    arguments: [submission.personal.subject]) == true ? .updated : .given)
                sequence += 1
                let (record, evidenceJSON) = try submission.link(sequence: sequence, previousHash: previous, event: event,
                                                                 occurredAt: occurredAt, signer: signer)
                try db.cachedStatement(sql: """
                    INSERT INTO consent_record (sequence, record_id, subject, personal_json, evidence_json, entry_hash, signature, idempotency_key_digest, key_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """).execute(arguments: [sequence, submission.recordId, submission.personal.subject, submission.personalJSON,
                                             evidenceJSON, record.entryHash, record.signature, keyDigest, record.keyId])
                previous = record.entryHash
                results.append(AppendResult(record: record, outcome: .created))
            }
            return results
        }
    }

    public func appendNotices(_ leaves: [NoticeLeaf], at time: Date) async throws -> [NoticeAppendResult] {
        let occurredAt = UTCTime.timestamp(time)
        let signer = signer
        return try await database.write { db in
            var (sequence, previous) = try Self.chainHead(db)
            var results: [NoticeAppendResult] = []
            for leaf in leaves {
                if let digest = leaf.idempotencyKeyDigest,
                   let row = try Row.fetchOne(db, sql: "SELECT sequence, entry_hash FROM consent_record WHERE idempotency_key_digest = ?", arguments: [digest]) {
                    results.append(NoticeAppendResult(sequence: row["sequence"], entryHash: row["entry_hash"], created: false))
                    continue
                }
                sequence += 1
                let linked = try leaf.link(sequence: sequence, previousHash: previous, occurredAt: occurredAt, signer: signer)
                // No subject and no personal fields: a notice record names its recipient only by a keyed hash.
                try db.execute(sql: """
                    INSERT INTO consent_record (sequence, record_id, subject, personal_json, evidence_json, entry_hash, signature, idempotency_key_digest, key_id)
                    VALUES (?, ?, NULL, NULL, ?, ?, ?, ?, ?)
                    """, arguments: [sequence, leaf.recordId, linked.evidenceJSON, linked.entryHash, linked.signature, leaf.idempotencyKeyDigest, signer.keyId])
                previous = linked.entryHash
                results.append(NoticeAppendResult(sequence: sequence, entryHash: linked.entryHash, created: true))
            }
            return results
        }
    }

    /// The newest record's sequence and hash (0 and the genesis hash for an empty chain), read
    /// inside the write transaction that extends it.
    private static func chainHead(_ db: Database) throws -> (sequence: Int64, entryHash: String) {
        guard let row = try Row.fetchOne(db, sql: "SELECT sequence, entry_hash FROM consent_record ORDER BY sequence DESC LIMIT 1") else {
            return (0, ConsentEvidence.genesisHash)
        }
        return (row["sequence"], row["entry_hash"])
    }

    public func erase(subject: String) async throws -> Int {
        let now = UTCTime.timestamp(Date())
        return try await database.write { db in
            try db.execute(sql: "UPDATE consent_record SET subject = NULL, personal_json = NULL, erased_at = ? WHERE subject = ?",
                           arguments: [now, subject])
            return db.changesCount
        }
    }

    // MARK: Reading

    public func records(subject: String) async throws -> [ConsentRecord] {
        try await database.read { db in
            try Self.fetch(db, sql: "SELECT * FROM consent_record WHERE subject = ? ORDER BY sequence", [subject])
        }
    }

    public func checkReadable() async throws {
        _ = try await database.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
    }

    public func allRecords() async throws -> [ConsentRecord] {
        try await database.read { db in
            try Self.fetch(db, sql: "SELECT * FROM consent_record ORDER BY sequence", [])
        }
    }

    public func head() async throws -> (sequence: Int64, entryHash: String)? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT sequence, entry_hash FROM consent_record ORDER BY sequence DESC LIMIT 1")
                .map { (sequence: $0["sequence"], entryHash: $0["entry_hash"]) }
        }
    }

    public func entryHash(sequence: Int64) async throws -> String? {
        try await database.read { db in
            try String.fetchOne(db, sql: "SELECT entry_hash FROM consent_record WHERE sequence = ?", arguments: [sequence])
        }
    }

    /// Runs raw SQL; for tests that tamper with rows to prove verification catches it.
    public func unsafeExecute(_ sql: String) async throws {
        try await database.write { db in try db.execute(sql: sql) }
    }

    public func storedRows(after sequence: Int64, limit: Int) async throws -> [EvidenceFile.Row] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM consent_record WHERE sequence > ? ORDER BY sequence LIMIT ?", arguments: [sequence, limit])
                .map(EvidenceFile.Row.init)
        }
    }

    public func leaves(after sequence: Int64, limit: Int) async throws -> [(sequence: Int64, evidenceJSON: String)] {
        try await database.read { db in
            try Row.fetchAll(db.cachedStatement(sql: "SELECT sequence, evidence_json FROM consent_record WHERE sequence > ? ORDER BY sequence LIMIT ?"),
                             arguments: [sequence, limit]).map { ($0[0], $0[1]) }
        }
    }

    public func storedRow(recordId: String) async throws -> EvidenceFile.Row? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM consent_record WHERE record_id = ?", arguments: [recordId]).map(EvidenceFile.Row.init)
        }
    }

    private static func fetch(_ db: Database, sql: String, _ arguments: StatementArguments) throws -> [ConsentRecord] {
        try Row.fetchAll(db.cachedStatement(sql: sql), arguments: arguments).map { try ConsentRecord(stored: EvidenceFile.Row($0)) }
    }
}
