import Foundation
import PostgresNIO
import RedlineConsent

/// Consent records in PostgreSQL, for any number of servers on one database. Each server
/// groups concurrent requests into one transaction (as with SQLite); the transaction first
/// locks the chain head row, so batches from different servers join the one chain one after
/// another, and idempotency keys are looked up under that lock, so they hold across servers.
public final class PostgresConsentStore: ConsentStore {
    private let database: PostgresDatabase
    private let signer: ReceiptSigner

    public init(database: PostgresDatabase, signer: ReceiptSigner) {
        self.database = database
        self.signer = signer
    }

    static let columns = "sequence, record_id, subject, personal_json, evidence_json, entry_hash, signature, idempotency_key_digest, erased_at, key_id"

    // MARK: Writing

    public func append(_ submissions: [ConsentSubmission], at time: Date) async throws -> [AppendResult] {
        let occurredAt = UTCTime.timestamp(time)
        let signer = signer
        let logger = database.logger
        return try await database.transaction { connection in
            var (sequence, previous) = try await Self.chainHead(connection, locking: true, logger)
            // Four statements per batch, however large: what is already stored is looked up
            // in bulk, and what this batch adds is tracked here.
            let digests = submissions.compactMap(\.idempotencyKeyDigest)
            var byKey: [String: ConsentRecord] = [:]
            if !digests.isEmpty {
                for row in try await Self.rows(connection, "SELECT \(unescaped: Self.columns) FROM consent_record WHERE idempotency_key_digest = ANY(\(digests))", logger) {
                    if let digest = row.idempotencyKeyDigest { byKey[digest] = try ConsentRecord(stored: row) }
                }
            }
            var known: Set<String> = []
            let undecided = submissions.filter { $0.event == nil }.map(\.personal.subject)
            if !undecided.isEmpty {
                for try await subject in try await connection.query("SELECT DISTINCT subject FROM consent_record WHERE subject = ANY(\(undecided))",
                                                                    logger: logger).decode(String.self) {
                    known.insert(subject)
                }
            }
            var results: [AppendResult] = []
            var inserts = Inserts()
            for submission in submissions {
                if let digest = submission.idempotencyKeyDigest, let existing = byKey[digest] {
                    results.append(AppendResult(record: existing, outcome: submission.isSameDecision(as: existing.evidence) ? .replayed : .conflict))
                    continue
                }
                let event = submission.event ?? (known.contains(submission.personal.subject) ? .updated : .given)
                sequence += 1
                let (record, evidenceJSON) = try submission.link(sequence: sequence, previousHash: previous, event: event,
                                                                 occurredAt: occurredAt, signer: signer)
                inserts.add(submission, record: record, evidenceJSON: evidenceJSON)
                if let digest = submission.idempotencyKeyDigest { byKey[digest] = record }
                known.insert(submission.personal.subject)
                previous = record.entryHash
                results.append(AppendResult(record: record, outcome: .created))
            }
            if !inserts.sequence.isEmpty {
                try await connection.query("""
                    INSERT INTO consent_record (sequence, record_id, subject, personal_json, evidence_json, entry_hash, signature, idempotency_key_digest, key_id)
                    SELECT s, r, subj, p, e, h, sig, NULLIF(k, ''), NULLIF(kid, '')
                    FROM UNNEST(\(inserts.sequence), \(inserts.recordId), \(inserts.subject), \(inserts.personal), \(inserts.evidence),
                                \(inserts.hash), \(inserts.signature), \(inserts.keyDigest), \(inserts.keyId)) AS t(s, r, subj, p, e, h, sig, k, kid)
                    """, logger: logger)
                try await connection.query("UPDATE chain_head SET sequence = \(sequence), entry_hash = \(previous) WHERE id = 1", logger: logger)
            }
            return results
        }
    }

    public func appendNotices(_ leaves: [NoticeLeaf], at time: Date) async throws -> [NoticeAppendResult] {
        let occurredAt = UTCTime.timestamp(time)
        let signer = signer
        let logger = database.logger
        return try await database.transaction { connection in
            var (sequence, previous) = try await Self.chainHead(connection, locking: true, logger)
            var results: [NoticeAppendResult] = []
            for leaf in leaves {
                if let digest = leaf.idempotencyKeyDigest {
                    var existing: NoticeAppendResult?
                    for try await (number, hash) in try await connection.query(
                        "SELECT sequence, entry_hash FROM consent_record WHERE idempotency_key_digest = \(digest)", logger: logger).decode((Int64, String).self) {
                        existing = NoticeAppendResult(sequence: number, entryHash: hash, created: false)
                    }
                    if let existing { results.append(existing); continue }
                }
                sequence += 1
                let linked = try leaf.link(sequence: sequence, previousHash: previous, occurredAt: occurredAt, signer: signer)
                try await connection.query("""
                    INSERT INTO consent_record (sequence, record_id, subject, personal_json, evidence_json, entry_hash, signature, idempotency_key_digest, key_id)
                    VALUES (\(sequence), \(leaf.recordId), NULL, NULL, \(linked.evidenceJSON), \(linked.entryHash), \(linked.signature),
                            \(leaf.idempotencyKeyDigest), \(signer.keyId))
                    """, logger: logger)
                previous = linked.entryHash
                results.append(NoticeAppendResult(sequence: sequence, entryHash: linked.entryHash, created: true))
            }
            if results.contains(where: \.created) {
                try await connection.query("UPDATE chain_head SET sequence = \(sequence), entry_hash = \(previous) WHERE id = 1", logger: logger)
            }
            return results
        }
    }

    /// Columns of the records a batch adds, sent as arrays in one statement.
    private struct Inserts {
        var sequence: [Int64] = []
        var recordId: [String] = []
        var subject: [String] = []
        var personal: [String] = []
        var evidence: [String] = []
        var hash: [String] = []
        var signature: [String] = []
        /// "" for none: arrays of optionals are not bound; NULLIF turns it back into NULL.
        var keyDigest: [String] = []
        var keyId: [String] = []

        mutating func add(_ submission: ConsentSubmission, record: ConsentRecord, evidenceJSON: String) {
            sequence.append(record.evidence.sequence)
            recordId.append(submission.recordId)
            subject.append(submission.personal.subject)
            personal.append(submission.personalJSON)
            evidence.append(evidenceJSON)
            hash.append(record.entryHash)
            signature.append(record.signature)
            keyDigest.append(submission.idempotencyKeyDigest ?? "")
            keyId.append(record.keyId ?? "")
        }
    }

    public func erase(subject: String) async throws -> Int {
        let now = UTCTime.timestamp(Date())
        let logger = database.logger
        return try await database.transaction { connection in
            var count = 0
            for try await _ in try await connection.query("""
                UPDATE consent_record SET subject = NULL, personal_json = NULL, erased_at = \(now) WHERE subject = \(subject) RETURNING sequence
                """, logger: logger) { count += 1 }
            return count
        }
    }

    // MARK: Reading

    public func records(subject: String) async throws -> [ConsentRecord] {
        let logger = database.logger
        return try await database.read { connection in
            try await Self.rows(connection, "SELECT \(unescaped: Self.columns) FROM consent_record WHERE subject = \(subject) ORDER BY sequence", logger)
                .map(ConsentRecord.init(stored:))
        }
    }

    public func allRecords() async throws -> [ConsentRecord] {
        try await allStoredRows().map(ConsentRecord.init(stored:))
    }

    public func storedRows(after sequence: Int64, limit: Int) async throws -> [EvidenceFile.Row] {
        let logger = database.logger
        return try await database.read { connection in
            try await Self.rows(connection, "SELECT \(unescaped: Self.columns) FROM consent_record WHERE sequence > \(sequence) ORDER BY sequence LIMIT \(Int64(limit))", logger)
        }
    }

    public func leaves(after sequence: Int64, limit: Int) async throws -> [(sequence: Int64, evidenceJSON: String)] {
        let logger = database.logger
        return try await database.read { connection in
            var found: [(sequence: Int64, evidenceJSON: String)] = []
            for try await (number, evidence) in try await connection.query(
                "SELECT sequence, evidence_json FROM consent_record WHERE sequence > \(sequence) ORDER BY sequence LIMIT \(Int64(limit))",
                logger: logger).decode((Int64, String).self) {
                found.append((number, evidence))
            }
            return found
        }
    }

    public func storedRow(recordId: String) async throws -> EvidenceFile.Row? {
        let logger = database.logger
        return try await database.read { connection in
            try await Self.rows(connection, "SELECT \(unescaped: Self.columns) FROM consent_record WHERE record_id = \(recordId)", logger).first
        }
    }

    public func checkReadable() async throws {
        let logger = database.logger
        try await database.read { connection in
            _ = try await connection.query("SELECT sequence FROM chain_head WHERE id = 1", logger: logger).collect()
        }
    }

    public func head() async throws -> (sequence: Int64, entryHash: String)? {
        let logger = database.logger
        let head = try await database.read { connection in try await Self.chainHead(connection, locking: false, logger) }
        return head.sequence > 0 ? head : nil
    }

    /// The chain's newest link: sequence 0 and the genesis hash while it is empty. `locking` holds
    /// the row until the transaction ends, which is what puts appending batches one after another.
    static func chainHead(_ connection: PostgresConnection, locking: Bool, _ logger: Logger) async throws -> (sequence: Int64, entryHash: String) {
        let query: PostgresQuery = locking ? "SELECT sequence, entry_hash FROM chain_head WHERE id = 1 FOR UPDATE"
                                           : "SELECT sequence, entry_hash FROM chain_head WHERE id = 1"
        for try await head in try await connection.query(query, logger: logger).decode((Int64, String).self) { return head }
        return (0, ConsentEvidence.genesisHash)
    }

    public func entryHash(sequence: Int64) async throws -> String? {
        let logger = database.logger
        return try await database.read { connection in
            for try await hash in try await connection.query("SELECT entry_hash FROM consent_record WHERE sequence = \(sequence)",
                                                            logger: logger).decode(String.self) {
                return hash
            }
            return nil
        }
    }

    /// Runs raw SQL; for tests that tamper with rows to prove verification catches it.
    public func unsafeExecute(_ sql: String) async throws {
        let logger = database.logger
        try await database.read { connection in
            _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect()
        }
    }

    /// Inserts rows exactly as another store kept them (hashes, signatures and erasures untouched).
    static func insertStored(_ rows: [EvidenceFile.Row], connection: PostgresConnection, logger: Logger) async throws {
        // Arrays cannot hold NULL here: \u{1}, which no stored text contains, stands for it.
        func column(_ value: (EvidenceFile.Row) -> String?) -> [String] { rows.map { value($0) ?? "\u{1}" } }
        try await connection.query("""
            INSERT INTO consent_record (sequence, record_id, subject, personal_json, evidence_json, entry_hash, signature,
                                        idempotency_key_digest, erased_at, key_id)
            SELECT s, r, NULLIF(subj, E'\\x01'), NULLIF(p, E'\\x01'), e, h, sig, NULLIF(k, E'\\x01'), NULLIF(er, E'\\x01'), NULLIF(kid, E'\\x01')
            FROM UNNEST(\(rows.map(\.sequence)), \(rows.map(\.recordId)), \(column(\.subject)), \(column(\.personalJSON)),
                        \(rows.map(\.evidenceJSON)), \(rows.map(\.entryHash)), \(rows.map(\.signature)), \(column(\.idempotencyKeyDigest)),
                        \(column(\.erasedAt)), \(column(\.keyId))) AS t(s, r, subj, p, e, h, sig, k, er, kid)
            """, logger: logger)
    }

    static func rows(_ connection: PostgresConnection, _ query: PostgresQuery, _ logger: Logger) async throws -> [EvidenceFile.Row] {
        var rows: [EvidenceFile.Row] = []
        for try await (sequence, recordId, subject, personal, evidence, hash, signature, keyDigest, erasedAt, keyId) in
            try await connection.query(query, logger: logger)
            .decode((Int64, String, String?, String?, String, String, String, String?, String?, String?).self) {
            rows.append(EvidenceFile.Row(sequence: sequence, recordId: recordId, subject: subject, personalJSON: personal, evidenceJSON: evidence,
                                         entryHash: hash, signature: signature, idempotencyKeyDigest: keyDigest, erasedAt: erasedAt,
                                         keyId: keyId))
        }
        return rows
    }
}
