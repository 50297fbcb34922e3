import Foundation
import GRDB
import RedlineConsent
import RedlinePostgres

/// `redline db copy`: moves a SQLite store into an empty PostgreSQL database — consent records
/// with their chain exactly as stored (no hash, signature or erasure changes), and the keys,
/// users, campaigns and outbox — then reads the destination back and compares every record.
/// The source is opened read-only and never written.
public enum StoreCopy {
    public struct Report: Sendable {
        public let records: Int
        public let head: (sequence: Int64, entryHash: String)?
        public let tables: [(name: String, rows: Int)]
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func copy(from source: String, to destination: String) async throws -> Report {
        guard !StoreDatabase.isURL(source) else { throw Failure(description: "--from must be a SQLite file; \(StoreDatabase.redacting(source)) is a URL") }
        guard StoreDatabase.isURL(destination) else { throw Failure(description: "--to must be a postgres:// URL") }
        let evidence = try EvidenceFile(path: source)
        let tables = try readNoticeTables(source)
        guard case let .postgres(database) = try await StoreDatabase.open(destination) else { throw Failure(description: "--to must be a postgres:// URL") }
        defer { Task { await database.close() } }
        let present = try await database.rowsPresent()
        guard present == 0 else {
            throw Failure(description: "\(database.location) already holds \(present) rows; copy only into an empty database")
        }
        let sourceRows = try evidence.rows()
        let pages = PageFeed(sourceRows, size: 5_000)
        let copied = try await database.importStore(tables: tables, nextPage: { pages.next() })

        // Read back: every record identical, column by column, and the head where the source's was.
        let store = PostgresConsentStore(database: database, signer: ReceiptSigner(key: .init()))
        let copiedRows = try await store.allStoredRows()
        guard copiedRows.count == sourceRows.count else {
            throw Failure(description: "verification failed: \(sourceRows.count) records in the source, \(copiedRows.count) in the copy")
        }
        for (original, copy) in zip(sourceRows, copiedRows) where !same(original, copy) {
            throw Failure(description: "verification failed: record \(original.sequence) differs in the copy")
        }
        let head = try await store.head()
        if let last = sourceRows.last, head?.sequence != last.sequence || head?.entryHash != last.entryHash {
            throw Failure(description: "verification failed: the copy's chain head is not the source's last record")
        }
        return Report(records: copied, head: head, tables: tables.map { ($0.name, $0.rows.count) })
    }

    static func same(_ a: EvidenceFile.Row, _ b: EvidenceFile.Row) -> Bool {
        a.sequence == b.sequence && a.recordId == b.recordId && a.subject == b.subject && a.personalJSON == b.personalJSON
            && a.evidenceJSON == b.evidenceJSON && a.entryHash == b.entryHash && a.signature == b.signature
            && a.idempotencyKeyDigest == b.idempotencyKeyDigest && a.erasedAt == b.erasedAt && a.keyId == b.keyId
    }

    /// The notice tables of a SQLite store, read-only; tables a store from before notices lacks are empty.
    static func readNoticeTables(_ path: String) throws -> [PostgresDatabase.CopiedTable] {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: EvidenceFile.openingPath(path), configuration: configuration)
        return try queue.read { db in
            try PostgresDatabase.copiedTables.map { name in
                guard try db.tableExists(name) else { return PostgresDatabase.CopiedTable(name: name, columns: [], rows: []) }
                let columns = try db.columns(in: name).map(\.name)
                // In primary-key order: the rowid where the table has one, its key where it has none (`WITHOUT ROWID`).
                let order = try db.primaryKey(name).columns.joined(separator: ", ")
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM \(name) ORDER BY \(order)").map { row in
                    columns.map { column -> PostgresDatabase.CopiedValue in
                        switch (row[column] as DatabaseValue).storage {
                        case .null: return .null
                        case let .int64(value): return .integer(value)
                        case let .double(value): return .integer(Int64(value))
                        case let .string(value): return .text(value)
                        case let .blob(value): return .text(String(decoding: value, as: UTF8.self))
                        }
                    }
                }
                return PostgresDatabase.CopiedTable(name: name, columns: columns, rows: rows)
            }
        }
    }
}

/// Hands out a list in pages, for a transaction that pulls them.
private final class PageFeed: @unchecked Sendable {
    private var remaining: ArraySlice<EvidenceFile.Row>
    private let size: Int
    private let lock = NSLock()

    init(_ rows: [EvidenceFile.Row], size: Int) {
        remaining = rows[...]
        self.size = size
    }

    func next() -> [EvidenceFile.Row] {
        lock.withLock {
            let page = Array(remaining.prefix(size))
            remaining = remaining.dropFirst(size)
            return page
        }
    }
}
