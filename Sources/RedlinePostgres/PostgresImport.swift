import Foundation
import PostgresNIO
import RedlineConsent

/// Filling an empty PostgreSQL store from another store (`redline db copy`): rows arrive exactly
/// as they were stored (ids, hashes, signatures and erasures untouched), all in one transaction,
/// so a copy that fails half way leaves the destination as empty as it was.
extension PostgresDatabase {
    /// A column value of a copied row.
    public enum CopiedValue: Sendable {
        case null, integer(Int64), text(String)
    }

    /// One table's rows, in the order its columns are named.
    public struct CopiedTable: Sendable {
        public let name: String
        public let columns: [String]
        public let rows: [[CopiedValue]]

        public init(name: String, columns: [String], rows: [[CopiedValue]]) {
            self.name = name
            self.columns = columns
            self.rows = rows
        }
    }

    /// The tables a copy fills, in an order that satisfies their references.
    public static let copiedTables = ["api_key", "app_user", "known_version", "notice_meta", "campaign", "outbox", "impression_count", "feedback_count", "feedback_comment"]

    /// How many rows the destination holds already in the tables a copy fills; a copy goes only into an empty store.
    public func rowsPresent() async throws -> Int {
        try await read { connection in
            var total: Int64 = 0
            for table in ["consent_record"] + Self.copiedTables {
                total += try await connection.query("SELECT COUNT(*) FROM \(unescaped: table)", logger: self.logger).first(Int64.self) ?? 0
            }
            return Int(total)
        }
    }

    /// Copies the notice tables, then the consent records page by page (`nextPage` returns an empty
    /// page at the end), and points the chain head and the id sequences past the copied rows.
    public func importStore(tables: [CopiedTable], nextPage: @escaping @Sendable () async throws -> [EvidenceFile.Row]) async throws -> Int {
        let logger = logger
        return try await transactionWithoutDeadline { connection in
            for table in tables where !table.rows.isEmpty {
                // SQLite keeps a boolean as 0 or 1; PostgreSQL's boolean columns take no number.
                var booleans: Set<String> = []
                for try await column in try await connection.query("""
                    SELECT column_name FROM information_schema.columns WHERE table_name = \(table.name) AND data_type = 'boolean'
                    """, logger: logger).decode(String.self) { booleans.insert(column) }
                for chunk in stride(from: 0, to: table.rows.count, by: 500).map({ Array(table.rows[$0..<min($0 + 500, table.rows.count)]) }) {
                    var binds = PostgresBindings()
                    var tuples: [String] = []
                    for row in chunk {
                        var placeholders: [String] = []
                        for (column, value) in zip(table.columns, row) {
                            switch value {
                            case .null: binds.appendNull()
                            case let .integer(number): binds.append(number)
                            case let .text(text): binds.append(text)
                            }
                            placeholders.append(booleans.contains(column) ? "($\(binds.count)::bigint <> 0)" : "$\(binds.count)")
                        }
                        tuples.append("(\(placeholders.joined(separator: ", ")))")
                    }
                    let sql = "INSERT INTO \(table.name) (\(table.columns.joined(separator: ", "))) VALUES \(tuples.joined(separator: ", "))"
                    try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
                }
                if table.columns.contains("id") {
                    try await connection.query(PostgresQuery(unsafeSQL: """
                        SELECT setval(pg_get_serial_sequence('\(table.name)', 'id'), (SELECT MAX(id) FROM \(table.name)))
                        """), logger: logger)
                }
            }
            var copied = 0
            while true {
                let rows = try await nextPage()
                guard let last = rows.last else { break }
                try await PostgresConsentStore.insertStored(rows, connection: connection, logger: logger)
                try await connection.query("UPDATE chain_head SET sequence = \(last.sequence), entry_hash = \(last.entryHash) WHERE id = 1", logger: logger)
                copied += rows.count
            }
            return copied
        }
    }

    /// A transaction that may take as long as it needs: a copy of millions of records is not a request.
    private func transactionWithoutDeadline<Result: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> Result) async throws -> Result {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error.beginError ?? error.commitError ?? error
        }
    }
}
