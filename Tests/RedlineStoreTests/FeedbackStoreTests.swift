import Foundation
import RedlineConsent
import RedlineStores
import Testing

/// Docs feedback, held alike by SQLite and PostgreSQL: counts add up per page and version, from
/// several writers at once, and comments come back newest first with nothing about their writer.
@Suite struct FeedbackStoreTests {
    @Test(arguments: StoreKind.allCases) func countsAddUpAndCommentsComeBackNewestFirst(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        let database = try await fixture.open()
        let store = database.feedbackStore()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                group.addTask {
                    try await store.record(ReaderFeedback(page: "/docs/v2/webhooks/", version: "v2", helpful: index % 4 != 0,
                                                          comment: nil, day: "2026-12-08"))
                }
            }
            try await group.waitForAll()
        }
        try await store.record(ReaderFeedback(page: "/docs/v1/", version: "v1", helpful: false, comment: "first", day: "2026-12-07"))
        try await store.record(ReaderFeedback(page: "/docs/v1/", version: "v1", helpful: true, comment: "ünïcödé <b>", day: "2026-12-08"))
        #expect(try await store.counts() == [FeedbackCount(page: "/docs/v1/", version: "v1", helpful: 1, notHelpful: 1),
                                             FeedbackCount(page: "/docs/v2/webhooks/", version: "v2", helpful: 30, notHelpful: 10)])
        #expect(try await store.comments(limit: 10).map(\.comment) == ["ünïcödé <b>", "first"])
        #expect(try await store.comments(limit: 1).count == 1)
        let columns = try await fixture.rows("SELECT * FROM feedback_comment").first.map { Set($0.keys) }
        #expect(columns == ["id", "page", "version", "helpful", "comment", "day"], "nothing about who wrote it")
        await database.close()
    }
}
