import Foundation
import PostgresNIO
import RedlineConsent

/// Docs feedback in PostgreSQL, shared by every server on the database.
public final class PostgresFeedbackStore: FeedbackStore {
    private let database: PostgresDatabase

    public init(database: PostgresDatabase) {
        self.database = database
    }

    public func record(_ feedback: ReaderFeedback) async throws {
        let logger = database.logger
        let yes: Int64 = feedback.helpful ? 1 : 0
        try await database.transaction { connection in
            try await connection.query("""
                INSERT INTO feedback_count (page, version, helpful, not_helpful) VALUES (\(feedback.page), \(feedback.version), \(yes), \(1 - yes))
                ON CONFLICT (page, version) DO UPDATE SET helpful = feedback_count.helpful + excluded.helpful,
                    not_helpful = feedback_count.not_helpful + excluded.not_helpful
                """, logger: logger)
            if let comment = feedback.comment {
                try await connection.query("""
                    INSERT INTO feedback_comment (page, version, helpful, comment, day)
                    VALUES (\(feedback.page), \(feedback.version), \(feedback.helpful), \(comment), \(feedback.day))
                    """, logger: logger)
            }
        }
    }

    public func counts() async throws -> [FeedbackCount] {
        let logger = database.logger
        return try await database.read { connection in
            var counts: [FeedbackCount] = []
            for try await (page, version, yes, no) in try await connection.query(
                "SELECT page, version, helpful, not_helpful FROM feedback_count ORDER BY page, version", logger: logger)
                .decode((String, String, Int64, Int64).self) {
                counts.append(FeedbackCount(page: page, version: version, helpful: Int(yes), notHelpful: Int(no)))
            }
            return counts
        }
    }

    public func comments(limit: Int) async throws -> [FeedbackComment] {
        let logger = database.logger
        return try await database.read { connection in
            var comments: [FeedbackComment] = []
            for try await (page, version, helpful, comment, day) in try await connection.query(
                "SELECT page, version, helpful, comment, day FROM feedback_comment ORDER BY id DESC LIMIT \(Int64(limit))", logger: logger)
                .decode((String, String, Bool, String, String).self) {
                comments.append(FeedbackComment(page: page, version: version, helpful: helpful, comment: comment, day: day))
            }
            return comments
        }
    }
}
