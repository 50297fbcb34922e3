import Foundation
import PostgresNIO
import RedlineConsent
import RedlineManifest

/// The impression counters in PostgreSQL, shared by every server on the database: each adds
/// its batch with one UPSERT, so counts from several servers sum in the same rows.
public final class PostgresImpressionStore: ImpressionStore {
    private let database: PostgresDatabase

    public init(database: PostgresDatabase) {
        self.database = database
    }

    public func add(_ counts: [ImpressionKey: Int]) async throws {
        guard !counts.isEmpty else { return }
        // Rows are locked in key order, so two servers adding overlapping batches wait for each
        // other instead of deadlocking.
        let sorted = counts.sorted { ($0.key.day, $0.key.region, $0.key.mode.rawValue, $0.key.notice)
                                     < ($1.key.day, $1.key.region, $1.key.mode.rawValue, $1.key.notice) }
        let days = sorted.map(\.key.day), regions = sorted.map(\.key.region), modes = sorted.map(\.key.mode.rawValue)
        let notices = sorted.map(\.key.notice), amounts = sorted.map { Int64($0.value) }
        let logger = database.logger
        try await database.transaction { connection in
            try await connection.query("""
                INSERT INTO impression_count (day, region, mode, notice, impressions)
                SELECT d, r, m, n, c FROM UNNEST(\(days), \(regions), \(modes), \(notices), \(amounts)) WITH ORDINALITY AS t(d, r, m, n, c, i) ORDER BY i
                ON CONFLICT (day, region, mode, notice) DO UPDATE SET impressions = impression_count.impressions + excluded.impressions
                """, logger: logger)
        }
    }

    public func counts(from: String, to: String) async throws -> [ImpressionCount] {
        let logger = database.logger
        return try await database.read { connection in try await Self.counts(connection, from: from, to: to, logger) }
    }

    /// The counters of a database opened without migrating it (`consent stats`): none when it
    /// is from before impressions were counted.
    public static func read(_ database: PostgresDatabase, from: String, to: String) async throws -> [ImpressionCount] {
        let logger = database.logger
        return try await database.read { connection in
            let exists = try await connection.query("SELECT to_regclass('impression_count') IS NOT NULL", logger: logger).first(Bool.self) ?? false
            guard exists else { return [] }
            return try await counts(connection, from: from, to: to, logger)
        }
    }

    private static func counts(_ connection: PostgresConnection, from: String, to: String, _ logger: Logger) async throws -> [ImpressionCount] {
        var counts: [ImpressionCount] = []
        for try await (day, region, modeName, notice, impressions) in try await connection.query("""
            SELECT day, region, mode, notice, impressions FROM impression_count WHERE day >= \(from) AND day <= \(to) ORDER BY day, region, mode, notice
            """, logger: logger).decode((String, String, String, String, Int64).self) {
            // A mode this version does not know is skipped rather than guessed.
            guard let mode = ConsentMode(rawValue: modeName) else { continue }
            counts.append(ImpressionCount(key: ImpressionKey(day: day, region: region, mode: mode, notice: notice), impressions: Int(impressions)))
        }
        return counts
    }
}
