import Foundation
import Hummingbird
import NIOCore
import RedlineConsent
import RedlineManifest

/// "Was this page helpful?" on docs pages: `POST /api/v1/feedback` with `{"page", "helpful",
/// "comment"?}` counts the answer for the page's docs version and keeps the comment, nothing about
/// the reader; the operator reads them back (`GET /api/v1/admin/feedback`, as JSON or CSV).
struct FeedbackRoutes: Sendable {
    /// Room for a 1,000-character comment in any script, every character a long emoji sequence
    /// JSON-escaped, and the rest; a body larger than this is refused unread.
    static let maxBodyBytes = 128 * 1024

    let catalog: SiteCatalog
    let store: any FeedbackStore
    let authentication: AdminAuthMiddleware
    var clock = ServerClock.system

    func add(to router: Router<ServerContext>) {
        router.post("/api/v1/feedback") { request, _ in try await record(request) }
        let admin = router.group("/api/v1/admin").add(middleware: authentication)
        admin.get("/feedback") { _, _ in try await summary() }
        admin.get("/feedback.csv") { _, _ in try await csv(comments: false) }
        admin.get("/feedback/comments.csv") { _, _ in try await csv(comments: true) }
    }

    func record(_ request: Request) async throws -> Response {
        try RequestBody.refuseDeclaredLength(of: request, over: Self.maxBodyBytes, tooLarge: Self.tooLarge)
        try RequestBody.requireJSONType(request)
        let body = try RequestBody.json(try await RequestBody.collect(request, maxBytes: Self.maxBodyBytes, tooLarge: Self.tooLarge))
        let feedback = try Self.parse(body, manifest: catalog.manifest, day: UTCTime.day(clock.now()))
        try await store.record(feedback)
        return Response(status: .noContent, headers: [.cacheControl: "no-store"])
    }

    /// The answer, if it names a docs page the site publishes and holds nothing else.
    static func parse(_ body: JSONValue, manifest: Manifest, day: String) throws -> ReaderFeedback {
        guard case let .object(object) = body else {
            throw APIError.validation([FieldProblem(field: "body", message: "must be an object with 'page' and 'helpful'")])
        }
        var problems = ProblemList()
        let page = problems.string(object, "page", maxLength: 512)
        var helpful: Bool?
        switch object["helpful"] {
        case let .bool(value): helpful = value
        case nil: problems.add("helpful", "is required: true or false")
        default: problems.add("helpful", "must be true or false")
        }
        var comment: String?
        switch object["comment"] {
        case nil, .null?: break
        case let .string(text)?:
            if text.count > ReaderFeedback.maxCommentLength { problems.add("comment", "must be at most \(ReaderFeedback.maxCommentLength) characters") }
            else { comment = text }
        default: problems.add("comment", "must be a string")
        }
        for key in object.keys.sorted() where !["page", "helpful", "comment"].contains(key) { problems.add(key, "is not a field of feedback") }
        let version = page.flatMap { docsVersion(of: $0, in: manifest) }
        if let page, version == nil { problems.add("page", "'\(page.prefix(80))' is not a docs page of this site") }
        guard problems.isEmpty, let page, let version, let helpful else { throw APIError.validation(problems.items) }
        let trimmed = comment?.trimmingCharacters(in: .whitespacesAndNewlines)
        return ReaderFeedback(page: page, version: version, helpful: helpful, comment: trimmed?.isEmpty == false ? trimmed : nil, day: day)
    }

    /// The docs version whose page has the URL path `page`.
    static func docsVersion(of page: String, in manifest: Manifest) -> String? {
        manifest.docs.first { version in version.pages.contains { URLComponents(string: $0.url)?.path == page } }?.version
    }

    func summary() async throws -> Response {
        struct Summary: Encodable {
            let pages: [FeedbackCount]
            let comments: [FeedbackComment]
        }
        return try ConsentRoutes.json(Summary(pages: try await store.counts(), comments: try await store.comments(limit: 500)), status: .ok)
    }

    func csv(comments: Bool) async throws -> Response {
        var lines: [[String]]
        if comments {
            lines = [["page", "version", "helpful", "comment", "day"]]
                + (try await store.comments(limit: 100_000)).map { [$0.page, $0.version, $0.helpful ? "yes" : "no", $0.comment, $0.day] }
        } else {
            lines = [["page", "version", "helpful", "not_helpful"]]
                + (try await store.counts()).map { [$0.page, $0.version, String($0.helpful), String($0.notHelpful)] }
        }
        let text = lines.map { $0.map(Self.csvField).joined(separator: ",") + "\r\n" }.joined()
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .cacheControl: "no-store",
                                               .contentDisposition: "attachment; filename=\"feedback\(comments ? "-comments" : "").csv\""],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// RFC 4180, and a leading `=`, `+`, `-` or `@` defused, so a spreadsheet never runs a comment as a formula.
    static func csvField(_ text: String) -> String {
        var value = text
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        guard value.contains(where: { ",\"\r\n".contains($0) }) || value != text else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static let tooLarge = APIError(.contentTooLarge, code: "body_too_large",
                                   message: "Feedback is at most \(maxBodyBytes) bytes, a comment at most \(ReaderFeedback.maxCommentLength) characters.")
}
