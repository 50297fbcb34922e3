import Foundation
import Hummingbird
import HummingbirdTesting
import RedlineConsent
import RedlineManifest
import Testing
@testable import RedlineServer

/// `POST /api/v1/consent/impressions`: a beacon counts one impression, a refused one nothing.
@Suite struct ImpressionAPITests {
    func beacon(_ client: some TestClientProtocol, _ body: String, type: String? = "application/json") async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let type { headers[.contentType] = type }
        return try await client.execute(uri: "/api/v1/consent/impressions", method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    @Test func aBeaconCountsOnceAndARefusedOneNothing() async throws {
        let fixture = try ServerFixture()
        let (app, parts) = try await fixture.makeApp()
        try await app.test(.router) { client in
            // As sendBeacon sends a Blob, a string, and a body without a type.
            for type in ["application/json", "text/plain;charset=UTF-8", nil] {
                #expect(try await beacon(client, #"{"notice": "abc123"}"#, type: type).status == .noContent)
            }
            // Counted once each, wherever they are now: the server's own flush may have stored some.
            try await parts.impressions.flush()
            let today = UTCTime.day(Date())
            #expect(try await parts.impressions.counts(from: today, to: today).map(\.impressions) == [3])
            let refused: [(String, String?, HTTPResponse.Status)] = [
                (#"{"notice": "abc124"}"#, "application/json", .unprocessableContent),
                (#"{"notice": "not hex"}"#, "application/json", .unprocessableContent),
                (#"{"notice": "abc123", "subject": "s-1"}"#, "application/json", .unprocessableContent),
                (#"{"version": "abc123"}"#, "application/json", .unprocessableContent),
                (#"["abc123"]"#, "application/json", .unprocessableContent),
                (#"{"notice": "abc123""#, "application/json", .badRequest),
                (#"{"notice": "abc123", "pad": "\#(String(repeating: "x", count: 600))"}"#, "application/json", .contentTooLarge),
                (#"{"notice": "abc123"}"#, "application/x-www-form-urlencoded", .unsupportedMediaType),
            ]
            for (body, type, status) in refused {
                let response = try await beacon(client, body, type: type)
                #expect(response.status == status, "\(body)")
                #expect(response.errorCode != nil, "the usual JSON error shape")
            }
            try await parts.impressions.flush()
            #expect(parts.impressions.unflushed == 0)
            let counts = try await parts.impressions.counts(from: today, to: today)
            #expect(counts == [ImpressionCount(key: ImpressionKey(day: today, region: "", mode: .optIn, notice: "abc123"), impressions: 3)],
                    "a refused beacon changes no counter")
        }
    }

    @Test func theStatsAPIReportsImpressionsAndRatesAndThePageHasNoInlineCode() async throws {
        let fixture = try ServerFixture()
        let (app, parts) = try await fixture.makeApp()
        let (key, _) = try await parts.notices.createKey(name: "ops")
        try await app.test(.router) { client in
            for _ in 0..<4 { #expect(try await beacon(client, #"{"notice": "abc123"}"#).status == .noContent) }
            #expect(try await client.postConsent(consentBody(granted: #"["analytics", "marketing"]"#, denied: "[]",
                                                             method: #""accept-all""#)).status == .created)
            let stats = try await client.execute(uri: "/api/v1/admin/consent/stats", method: .get, headers: [.authorization: "Bearer \(key)"])
            #expect(stats.status == .ok)
            let reach = try #require(stats.json["reach"] as? [String: Any])
            #expect(reach["impressions"] as? Int == 4 && reach["decisions"] as? Int == 1)
            #expect(reach["interactionRate"] as? Double == 0.25 && reach["acceptanceRate"] as? Double == 1)
            let notices = try #require(stats.json["byNotice"] as? [[String: Any]])
            #expect(notices.map { $0["notice"] as? String } == ["abc123"])

            let page = try await client.execute(uri: AdminPage.path, method: .get)
            #expect(page.status == .ok && page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(page.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            #expect(!page.text.contains("<script>") && !page.text.contains("style="), "no inline script or style: the CSP forbids them")
            for asset in ["stats.js", "stats.css"] {
                #expect(try await client.execute(uri: "\(AdminPage.path)/\(asset)", method: .get).status == .ok)
            }
        }
    }
}
