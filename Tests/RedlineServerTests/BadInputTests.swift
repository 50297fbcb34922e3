import Foundation
import Hummingbird
import HummingbirdTesting
import RedlineConsent
import Testing
@testable import RedlineServer

/// Every bad request gets a JSON error with a 4xx, and nothing is stored.
@Suite struct BadInputTests {
    @Test func malformedJSONIs400() async throws {
        let fixture = try ServerFixture()
        let (app, parts) = try await fixture.makeApp()
        try await app.test(.router) { client in
            let response = try await client.postConsent(#"{"subject": "s", "granted": [}"#)
            #expect(response.status == .badRequest)
            #expect(response.errorCode == "malformed_json")
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            let message = (response.json["error"] as? [String: Any])?["message"] as? String ?? ""
            #expect(!message.contains("Foundation") && !message.contains(".swift"))
        }
        #expect(try await parts.store.allRecords().isEmpty)
    }

    @Test func aBodyOver16KiBIs413() async throws {
        let fixture = try ServerFixture()
        let (app, parts) = try await fixture.makeApp()
        try await app.test(.router) { client in
            let padding = String(repeating: "x", count: 17 * 1024)
            let response = try await client.postConsent(consentBody(subject: "s").replacingOccurrences(of: "\"custom\"", with: "\"custom\", \"pad\": \"\(padding)\""))
            #expect(response.status == .contentTooLarge)
            #expect(response.errorCode == "body_too_large")
        }
        #expect(try await parts.store.allRecords().isEmpty)
    }

    @Test func aBodyThatIsNotJSONIs415() async throws {
        let fixture = try ServerFixture()
        let (app, _) = try await fixture.makeApp()
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/consent", method: .post, headers: [.contentType: "text/plain"],
                                                    body: ByteBuffer(string: consentBody()))
            #expect(response.status == .unsupportedMediaType)
            #expect(response.errorCode == "unsupported_media_type")
        }
    }

    @Test func every422ProblemIsListedAtOnce() async throws {
        let fixture = try ServerFixture()
        let (app, parts) = try await fixture.makeApp()
        try await app.test(.router) { client in
            let body = #"""
                {"granted": ["analytics", "tracking"], "denied": ["necessary"], "method": "nod",
                 "policies": [{"id": "privacy", "version": "1999-01-01"}, {"id": "refunds", "version": "2025-01-01"}],
                 "notice": {"version": "v1", "locale": "en GB"}}
                """#
            let response = try await client.postConsent(body)
            #expect(response.status == .unprocessableContent)
            #expect(response.errorCode == "validation_failed")
            let fields = response.problemFields
            #expect(fields.contains("subject"))              // missing field
            #expect(fields.contains("granted[1]"))           // unknown category
            #expect(fields.contains("denied"))               // a required category denied
            #expect(fields.contains("method"))               // bad method
            #expect(fields.contains("policies[0].version"))  // unknown version
            #expect(fields.contains("policies[1].id"))       // unknown policy id
            #expect(fields.contains("notice.locale"))
            let message = (response.json["error"] as? [String: Any])?["message"] as? String
            #expect(message?.contains("\(fields.count) problems") == true)
        }
        #expect(try await parts.store.allRecords().isEmpty)
    }

    @Test func wrongTypesAndEmptyPoliciesAre422() async throws {
        let fixture = try ServerFixture()
        let (app, _) = try await fixture.makeApp()
        try await app.test(.router) { client in
            let notAnObject = try await client.postConsent("[1, 2]")
            #expect(notAnObject.status == .unprocessableContent)
            let response = try await client.postConsent(#"{"subject": 42, "granted": "analytics", "denied": [], "method": "api", "policies": [], "notice": {"version": "abc123", "locale": "en-GB"}}"#)
            #expect(response.status == .unprocessableContent)
            #expect(Set(response.problemFields) == ["subject", "granted", "policies"])
            let injected = try await client.postConsent(consentBody(subject: "a/../b\\n"))
            #expect(injected.problemFields == ["subject"])
            #expect(try await client.postConsent(consentBody(subject: "jö")).problemFields == ["subject"])
            #expect(try await client.postConsent(consentBody(subject: "Ab-9_.:x")).status == .created)
        }
    }

    @Test func tooManyRequestsFromOneClientIs429WithRetryAfter() async throws {
        let fixture = try ServerFixture()
        fixture.settings.rateLimitPerMinute = 6
        fixture.settings.rateLimitBurst = 2
        let (app, _) = try await fixture.makeApp()
        try await app.test(.router) { client in
            #expect(try await client.postConsent(consentBody(subject: "a")).status == .created)
            #expect(try await client.postConsent(consentBody(subject: "b")).status == .created)
            let limited = try await client.postConsent(consentBody(subject: "c"))
            #expect(limited.status == .tooManyRequests)
            #expect(limited.errorCode == "rate_limited")
            let retryAfter = try #require(limited.headers[.retryAfter].flatMap(Int.init))
            #expect((1...10).contains(retryAfter))
            // Pages and health checks are not API calls and stay available.
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
        }
    }

    @Test func crossOriginRequestsComeOnlyFromConfiguredOrigins() async throws {
        let fixture = try ServerFixture()
        let (app, parts) = try await fixture.makeApp()
        try await app.test(.router) { client in
            let preflight = try await client.execute(uri: "/api/v1/consent", method: .options,
                                                     headers: [.origin: "https://app.example.com", .accessControlRequestMethod: "POST"])
            #expect(preflight.status == .noContent)
            #expect(preflight.headers[.accessControlAllowOrigin] == "https://app.example.com")
            #expect(preflight.headers[.accessControlAllowMethods]?.contains("POST") == true)

            let allowed = try await client.postConsent(consentBody(subject: "from-app"), headers: [.origin: "https://app.example.com"])
            #expect(allowed.status == .created)
            #expect(allowed.headers[.accessControlAllowOrigin] == "https://app.example.com")

            let siteOrigin = try await client.postConsent(consentBody(subject: "from-site"), headers: [.origin: "https://legal.example.com"])
            #expect(siteOrigin.status == .created)

            let evilPreflight = try await client.execute(uri: "/api/v1/consent", method: .options,
                                                         headers: [.origin: "https://evil.example", .accessControlRequestMethod: "POST"])
            #expect(evilPreflight.status == .forbidden)
            #expect(evilPreflight.headers[.accessControlAllowOrigin] == nil)
            let evil = try await client.postConsent(consentBody(subject: "from-evil"), headers: [.origin: "https://evil.example"])
            #expect(evil.status == .forbidden)
            #expect(evil.errorCode == "origin_not_allowed")
            #expect(evil.headers[.accessControlAllowOrigin] == nil)
        }
        #expect(try await parts.store.records(subject: "from-evil").isEmpty)
        #expect(try await parts.store.allRecords().count == 2)
    }

    @Test func unknownAPIPathsAnswerJSON404() async throws {
        let fixture = try ServerFixture()
        let (app, _) = try await fixture.makeApp()
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/nothing-here", method: .get)
            #expect(response.status == .notFound)
            #expect(response.errorCode == "not_found")
        }
    }
}
