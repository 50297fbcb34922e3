import Foundation
import Hummingbird
import HummingbirdTesting
import RedlineConsent
import RedlineManifest
import Testing
@testable import RedlineServer

/// "Was this page helpful?": an answer about a docs page the site publishes is counted and its
/// comment kept as text; anything else is refused with a JSON 4xx and nothing stored.
@Suite struct FeedbackAPITests {
    static func manifest() -> Manifest {
        var manifest = ServerFixture.manifest()
        manifest.docs = [.init(version: "v2", latest: true, url: "https://legal.example.com/docs/v2/",
                               pages: [.init(path: "webhooks", title: "Webhooks", url: "https://legal.example.com/docs/v2/webhooks/",
                                             deprecated: false, sha256: String(repeating: "a", count: 64))])]
        return manifest
    }

    @Test func answersAreCountedPerPageAndCommentsKeptAsText() async throws {
        let fixture = try ServerFixture(manifest: Self.manifest())
        let (app, parts) = try await fixture.makeApp()
        let (key, _) = try await parts.notices.createKey(name: "ops")
        try await app.test(.router) { client in
            for body in [#"{"page": "/docs/v2/webhooks/", "helpful": true}"#,
                         #"{"page": "/docs/v2/webhooks/", "helpful": false, "comment": "  <script>alert(1)</script> =cmd|' /C calc'!A0  "}"#,
                         #"{"page": "/docs/v2/webhooks/", "helpful": true, "comment": "   "}"#,
                         #"{"page": "/docs/v2/webhooks/", "helpful": true, "comment": "=1+2, \"quoted\""}"#] {
                let response = try await client.execute(uri: "/api/v1/feedback", method: .post, headers: [.contentType: "application/json"],
                                                        body: ByteBuffer(string: body))
                #expect(response.status == .noContent, "\(body)")
                #expect(response.headers[.setCookie] == nil)
            }
            let summary = try await client.execute(uri: "/api/v1/admin/feedback", method: .get, headers: [.authorization: "Bearer \(key)"])
            #expect(summary.status == .ok)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(buffer: summary.body)) as? [String: Any])
            let pages = try #require(json["pages"] as? [[String: Any]])
            #expect(pages.count == 1 && pages[0]["helpful"] as? Int == 3 && pages[0]["notHelpful"] as? Int == 1 && pages[0]["version"] as? String == "v2")
            let comments = try #require(json["comments"] as? [[String: Any]])
            #expect(comments.map { $0["comment"] as? String } == ["=1+2, \"quoted\"", "<script>alert(1)</script> =cmd|' /C calc'!A0"],
                    "newest first, trimmed, blank ones dropped")
            // A spreadsheet opening the export runs no formula.
            let csv = try await client.execute(uri: "/api/v1/admin/feedback/comments.csv", method: .get, headers: [.authorization: "Bearer \(key)"])
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            let day = UTCTime.day(Date())
            #expect(String(buffer: csv.body) == "page,version,helpful,comment,day\r\n"
                    + "/docs/v2/webhooks/,v2,yes,\"'=1+2, \"\"quoted\"\"\",\(day)\r\n"
                    + "/docs/v2/webhooks/,v2,no,<script>alert(1)</script> =cmd|' /C calc'!A0,\(day)\r\n")
            #expect(try await client.execute(uri: "/api/v1/admin/feedback.csv", method: .get).status == .unauthorized)
        }
    }

    @Test(arguments: [
        (#"{"page": "/docs/v9/nowhere/", "helpful": true}"#, "page"),
        (#"{"page": "/docs/v2/webhooks/", "helpful": "yes"}"#, "helpful"),
        (#"{"page": "/docs/v2/webhooks/"}"#, "helpful"),
        (#"{"page": "/docs/v2/webhooks/", "helpful": true, "email": "a@example.com"}"#, "email"),
        (#"{"page": "/docs/v2/webhooks/", "helpful": true, "comment": 7}"#, "comment"),
        (#"[1]"#, "body"),
    ] as [(String, String)])
    func aBadAnswerIsRefusedAndNothingIsStored(body: String, field: String) async throws {
        let fixture = try ServerFixture(manifest: Self.manifest())
        let (app, parts) = try await fixture.makeApp()
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/feedback", method: .post, headers: [.contentType: "application/json"],
                                                    body: ByteBuffer(string: body))
            #expect(response.status == .unprocessableContent)
            #expect(response.problemFields.contains(field), "\(body)")
        }
        #expect(try await parts.feedback.counts().isEmpty)
    }

    @Test func aLongCommentOrAHugeBodyIsRefused() async throws {
        let fixture = try ServerFixture(manifest: Self.manifest())
        let (app, parts) = try await fixture.makeApp()
        try await app.test(.router) { client in
            let long = #"{"page": "/docs/v2/webhooks/", "helpful": true, "comment": ""# + String(repeating: "ü", count: 1001) + #""}"#
            let json: HTTPFields = [.contentType: "application/json"]
            let refused = try await client.execute(uri: "/api/v1/feedback", method: .post, headers: json, body: ByteBuffer(string: long))
            #expect(refused.status == .unprocessableContent)
            let huge = try await client.execute(uri: "/api/v1/feedback", method: .post, headers: json,
                                                body: ByteBuffer(string: String(repeating: "x", count: 10 * 1024 * 1024)))
            #expect(huge.status == .contentTooLarge)
            // A thousand of the longest characters there are, escaped as JSON encoders write them, fit.
            let family = "👨‍👩‍👧‍👦".utf16.map { String(format: "\\u%04x", $0) }.joined()
            let emoji = #"{"page": "/docs/v2/webhooks/", "helpful": true, "comment": ""# + String(repeating: family, count: 1000) + #""}"#
            let taken = try await client.execute(uri: "/api/v1/feedback", method: .post, headers: json, body: ByteBuffer(string: emoji))
            #expect(taken.status == .noContent)
            let form = try await client.execute(uri: "/api/v1/feedback", method: .post, headers: [.contentType: "text/plain"],
                                                body: ByteBuffer(string: #"{"page": "/docs/v2/webhooks/", "helpful": true}"#))
            #expect(form.status == .unsupportedMediaType)
        }
        #expect(try await parts.feedback.counts().map(\.helpful) == [1], "only the answer that fitted")
    }
}
