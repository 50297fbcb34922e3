import Foundation
import GRDB

/// Docs feedback in the SQLite store's database.
public final class SQLiteFeedbackStore: FeedbackStore {
    private let database: DatabasePool

    public init(database: DatabasePool) {
        self.database = database
    }

    public static func registerMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v8: docs feedback") { db in
            try db.execute(sql: """
                CREATE TABLE \(ReaderFeedback.countTable) (
                    page TEXT NOT NULL,
                    version TEXT NOT NULL,
                    helpful INTEGER NOT NULL,
                    not_helpful INTEGER NOT NULL,
                    PRIMARY KEY (page, version)
                ) WITHOUT ROWID
                """)
            try db.execute(sql: """
                CREATE TABLE \(ReaderFeedback.commentTable) (
                    id INTEGER PRIMARY KEY,
                    page TEXT NOT NULL,
                    version TEXT NOT NULL,
                    helpful BOOLEAN NOT NULL,
                    comment TEXT NOT NULL,
                    day TEXT NOT NULL
                )
                """)
        }
    }

    public func record(_ feedback: ReaderFeedback) async throws {
        try await database.write { db in
            try db.execute(sql: """
                INSERT INTO \(ReaderFeedback.countTable) (page, version, helpful, not_helpful) VALUES (?, ?, ?, ?)
                ON CONFLICT (page, version) DO UPDATE SET helpful = helpful + excluded.helpful, not_helpful = not_helpful + excluded.not_helpful
                """, arguments: [feedback.page, feedback.version, feedback.helpful ? 1 : 0, feedback.helpful ? 0 : 1])
            if let comment = feedback.comment {
                try db.execute(sql: "INSERT INTO \(ReaderFeedback.commentTable) (page, version, helpful, comment, day) VALUES (?, ?, ?, ?, ?)",
                               arguments: [feedback.page, feedback.version, feedback.helpful, comment, feedback.day])
            }
        }
    }

    public func counts() async throws -> [FeedbackCount] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT page, version, helpful, not_helpful FROM \(ReaderFeedback.countTable) ORDER BY page, version").map {
                FeedbackCount(page: $0[0], version: $0[1], helpful: $0[2], notHelpful: $0[3])
            }
        }
    }

    public func comments(limit: Int) async throws -> [FeedbackComment] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT page, version, helpful, comment, day FROM \(ReaderFeedback.commentTable) ORDER BY id DESC LIMIT ?",
                             arguments: [limit]).map {
                FeedbackComment(page: $0[0], version: $0[1], helpful: $0[2], comment: $0[3], day: $0[4])
            }
        }
    }
}
