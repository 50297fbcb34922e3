import Foundation
import GRDB
import RedlineManifest

/// The impression counters in the SQLite store's database, beside the consent records.
public final class SQLiteImpressionStore: ImpressionStore {
    private let database: DatabasePool

    /// Uses a database opened by `RedlineDatabase.open`, shared with the other stores.
    public init(database: DatabasePool) {
        self.database = database
    }

    public static func registerMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v6: banner impression counters") { db in
            // Only what a counter is keyed by: nothing here could tell one visitor from another.
            try db.execute(sql: """
                CREATE TABLE \(ImpressionKey.table) (
                    day TEXT NOT NULL,
                    region TEXT NOT NULL,
                    mode TEXT NOT NULL,
                    notice TEXT NOT NULL,
                    impressions INTEGER NOT NULL,
                    PRIMARY KEY (day, region, mode, notice)
                ) WITHOUT ROWID
                """)
        }
    }

    public func add(_ counts: [ImpressionKey: Int]) async throws {
        guard !counts.isEmpty else { return }
        try await database.write { db in
            // One UPSERT per key, however many beacons it sums: the writer is held for a few rows.
            let statement = try db.cachedStatement(sql: """
                INSERT INTO \(ImpressionKey.table) (day, region, mode, notice, impressions) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (day, region, mode, notice) DO UPDATE SET impressions = impressions + excluded.impressions
                """)
            for (key, count) in counts {
                try statement.execute(arguments: [key.day, key.region, key.mode.rawValue, key.notice, count])
            }
        }
    }

    public func counts(from: String, to: String) async throws -> [ImpressionCount] {
        try await database.read { db in try Self.counts(db, from: from, to: to) }
    }

    /// The counters of a store opened only to be read (`consent stats`): nothing is created, and
    /// a database from before impressions were counted has none.
    public static func read(path: String, from: String, to: String) throws -> [ImpressionCount] {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: EvidenceFile.openingPath(path), configuration: configuration)
        return try queue.read { db in
            guard try db.tableExists(ImpressionKey.table) else { return [] }
            return try counts(db, from: from, to: to)
        }
    }

    private static func counts(_ db: Database, from: String, to: String) throws -> [ImpressionCount] {
        try Row.fetchAll(db, sql: """
            SELECT day, region, mode, notice, impressions FROM \(ImpressionKey.table) WHERE day >= ? AND day <= ? ORDER BY day, region, mode, notice
            """, arguments: [from, to]).compactMap { row in
            // A mode this version does not know is skipped rather than guessed.
            guard let mode = ConsentMode(rawValue: row["mode"]) else { return nil }
            return ImpressionCount(key: ImpressionKey(day: row["day"], region: row["region"], mode: mode, notice: row["notice"]),
                                   impressions: row["impressions"])
        }
    }
}
