import Foundation

/// "Was this page helpful?" on a docs page: a yes or a no, and perhaps a short comment. Kept as
/// counts per page and docs version, and the comments with their page and day; nothing that
/// could tell one reader from another (no identifier, cookie, address or user agent).
public struct ReaderFeedback: Sendable, Equatable {
    /// The docs page's URL path, as the manifest lists it: `/docs/v2/webhooks/`.
    public let page: String
    /// Its docs version: `v2`.
    public let version: String
    public let helpful: Bool
    /// At most ``maxCommentLength`` characters of plain text; nil without one.
    public let comment: String?
    /// The UTC day it was given: `2026-12-08`.
    public let day: String

    public static let maxCommentLength = 1000

    public init(page: String, version: String, helpful: Bool, comment: String?, day: String) {
        self.page = page
        self.version = version
        self.helpful = helpful
        self.comment = comment
        self.day = day
    }
}

/// One page's answers.
public struct FeedbackCount: Sendable, Equatable, Encodable {
    public let page: String
    public let version: String
    public let helpful: Int
    public let notHelpful: Int

    public init(page: String, version: String, helpful: Int, notHelpful: Int) {
        self.page = page
        self.version = version
        self.helpful = helpful
        self.notHelpful = notHelpful
    }
}

/// A comment as kept: its page, the answer it came with, the day.
public struct FeedbackComment: Sendable, Equatable, Encodable {
    public let page: String
    public let version: String
    public let helpful: Bool
    public let comment: String
    public let day: String

    public init(page: String, version: String, helpful: Bool, comment: String, day: String) {
        self.page = page
        self.version = version
        self.helpful = helpful
        self.comment = comment
        self.day = day
    }
}

/// Where feedback is kept: SQLite or PostgreSQL, beside the consent records.
public protocol FeedbackStore: Sendable {
    /// Counts the answer and keeps its comment, in one transaction.
    func record(_ feedback: ReaderFeedback) async throws
    /// Every page's counts, by page and version.
    func counts() async throws -> [FeedbackCount]
    /// The comments, newest first, at most `limit`.
    func comments(limit: Int) async throws -> [FeedbackComment]
}

extension ReaderFeedback {
    /// The tables' names in both stores.
    public static let countTable = "feedback_count"
    public static let commentTable = "feedback_comment"
}
