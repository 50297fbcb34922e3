import Foundation
import GRDB
import GRDBSQLite

/// A consent database opened only to be checked: read-only, so verifying never creates a
/// file, a table or a key, and a file that is not a Redline store is said to be one.
public struct EvidenceFile {
    /// One row as stored: every column that carries meaning, beside the evidence it must agree with.
    public struct Row: Sendable {
        public let sequence: Int64
        public let recordId: String
        public let subject: String?
        public let personalJSON: String?
        public let evidenceJSON: String
        public let entryHash: String
        public let signature: String
        public let idempotencyKeyDigest: String?
        public let erasedAt: String?
        public let keyId: String?

        public init(sequence: Int64, recordId: String, subject: String?, personalJSON: String?, evidenceJSON: String, entryHash: String,
                    signature: String, idempotencyKeyDigest: String?, erasedAt: String?, keyId: String?) {
            self.sequence = sequence
            self.recordId = recordId
            self.subject = subject
            self.personalJSON = personalJSON
            self.evidenceJSON = evidenceJSON
            self.entryHash = entryHash
            self.signature = signature
            self.idempotencyKeyDigest = idempotencyKeyDigest
            self.erasedAt = erasedAt
            self.keyId = keyId
        }

        /// The row of a SQLite result with Redline's columns.
        init(_ row: GRDB.Row) {
            self.init(sequence: row["sequence"], recordId: row["record_id"], subject: row["subject"], personalJSON: row["personal_json"],
                      evidenceJSON: row["evidence_json"], entryHash: row["entry_hash"], signature: row["signature"],
                      idempotencyKeyDigest: row["idempotency_key_digest"], erasedAt: row["erased_at"], keyId: row["key_id"])
        }
    }

    public enum OpenError: Error, CustomStringConvertible {
        case missing(String)
        case notAStore(String, String)

        public var description: String {
            switch self {
            case let .missing(path): return "\(path): no such database"
            case let .notAStore(path, reason): return "\(path) is not a Redline consent store: \(reason)"
            }
        }
    }

    private let queue: DatabaseQueue
    public let path: String

    public init(path: String) throws {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else { throw OpenError.missing(path) }
        var configuration = Configuration()
        configuration.readonly = true
        do {
            queue = try DatabaseQueue(path: Self.openingPath(path), configuration: configuration)
            let columns = try queue.read { db -> Set<String> in
                guard try db.tableExists("consent_record") else { return [] }
                return Set(try db.columns(in: "consent_record").map(\.name))
            }
            let required: Set = ["sequence", "record_id", "subject", "personal_json", "evidence_json", "entry_hash", "signature",
                                 "idempotency_key_digest", "erased_at"]
            guard required.isSubset(of: columns) else {
                throw OpenError.notAStore(path, "it has no consent_record table with Redline's columns")
            }
        } catch let error as OpenError {
            throw error
        } catch let error as DatabaseError {
            throw OpenError.notAStore(path, error.message ?? "\(error.resultCode)")
        }
    }

    /// A database in WAL mode is opened with its `-wal` and `-shm` files, which a read-only
    /// connection would create when they are absent. Absent means no server has it open and
    /// every write is in the main file: then it is opened as immutable, which creates nothing.
    /// (Through a URI, which Debian's SQLite reads by default; elsewhere the plain path.)
    public static func openingPath(_ path: String) -> String {
        let quiet = !FileManager.default.fileExists(atPath: path + "-wal") && !FileManager.default.fileExists(atPath: path + "-shm")
        guard quiet, sqlite3_compileoption_used("USE_URI") == 1 else { return path }
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let escaped = absolute.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "?#"))) ?? absolute
        return "file:\(escaped)?immutable=1"
    }

    /// Every row in sequence order.
    public func rows() throws -> [Row] {
        try queue.read { db in
            let hasKeyId = try db.columns(in: "consent_record").contains { $0.name == "key_id" }
            return try GRDB.Row.fetchAll(db, sql: "SELECT *\(hasKeyId ? "" : ", NULL AS key_id") FROM consent_record ORDER BY sequence").map(Row.init)
        }
    }

    /// Each record's sequence, receipt id and evidence JSON in sequence order, one at a time:
    /// what the Merkle tree is built from, without holding a million rows at once.
    public func forEachLeaf(_ body: (Int64, String, String) throws -> Void) throws {
        try queue.read { db in
            let cursor = try GRDB.Row.fetchCursor(db, sql: "SELECT sequence, record_id, evidence_json FROM consent_record ORDER BY sequence")
            while let row = try cursor.next() { try body(row[0], row[1], row[2]) }
        }
    }
}
