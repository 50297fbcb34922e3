import Foundation
import Hummingbird
import HummingbirdTesting
import RedlineConsent
import Testing
@testable import RedlineServer

@Suite struct SiteServingTests {
    @Test func servesPagesWithTypesETagsAndCacheHeaders() async throws {
        let fixture = try ServerFixture()
        let (app, _) = try await fixture.makeApp()
        try await app.test(.router) { client in
            let page = try await client.execute(uri: "/privacy/", method: .get)
            #expect(page.status == .ok)
            #expect(page.text.contains("privacy"))
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(page.headers[.cacheControl] == "no-cache")
            let etag = try #require(page.headers[.eTag])

            let again = try await client.execute(uri: "/privacy/", method: .get, headers: [.ifNoneMatch: etag])
            #expect(again.status == .notModified)
            #expect(again.body.readableBytes == 0)

            #expect(try await client.execute(uri: "/assets/style.css", method: .get).headers[.contentType]?.hasPrefix("text/css") == true)
            #expect(try await client.execute(uri: "/assets/consent.js", method: .get).headers[.contentType]?.contains("javascript") == true)
            #expect(try await client.execute(uri: "/manifest.json", method: .get).headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(try await client.execute(uri: "/feed.xml", method: .get).headers[.contentType]?.contains("xml") == true)

            let redirect = try await client.execute(uri: "/privacy", method: .get)
            #expect(redirect.status == .movedPermanently)
            #expect(redirect.headers[.location] == "/privacy/")
        }
    }

    @Test func everyAnswerCarriesSecurityHeaders() async throws {
        let fixture = try ServerFixture()
        let (app, _) = try await fixture.makeApp()
        try await app.test(.router) { client in
            for uri in ["/", "/privacy/", "/api/v1/consent/nobody", "/missing/"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.headers[.xContentTypeOptions] == "nosniff", "\(uri)")
                #expect(response.headers[.referrerPolicy] == "strict-origin-when-cross-origin", "\(uri)")
                let csp = try #require(response.headers[.contentSecurityPolicy], "\(uri)")
                #expect(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "\(uri)")
            }
        }
    }

    @Test func unknownPathsGetTheSite404PageAndTraversalGetsNothing() async throws {
        let fixture = try ServerFixture()
        let (app, _) = try await fixture.makeApp()
        try await app.test(.router) { client in
            let missing = try await client.execute(uri: "/no/such/page/", method: .get)
            #expect(missing.status == .notFound)
            #expect(missing.text.contains("This page does not exist."))
            #expect(missing.headers[.contentType]?.hasPrefix("text/html") == true)

            for uri in ["/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt", "/assets/%2E%2E/%2E%2E/secret.txt"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status.code >= 400, "\(uri)")
                #expect(!response.text.contains("outside the site"), "\(uri)")
            }
        }
    }

    @Test func aPrecompressedFileGoesOutGzippedOnlyToBrowsersThatTakeIt() async throws {
        let fixture = try ServerFixture()
        fixture.directory.write("public/search/meta.json", "{\"version\":1}")
        fixture.directory.write("public/search/meta.json.gz", "pretend gzip")
        fixture.directory.write("secret.txt.gz", "outside the site")
        let (app, _) = try await fixture.makeApp()
        try await app.test(.router) { client in
            let zipped = try await client.execute(uri: "/search/meta.json?v=abc", method: .get, headers: [.acceptEncoding: "gzip, deflate, br"])
            #expect(zipped.status == .ok)
            #expect(zipped.text == "pretend gzip")
            #expect(zipped.headers[.contentEncoding] == "gzip")
            #expect(zipped.headers[.vary] == "Accept-Encoding")
            #expect(zipped.headers[.contentType] == "application/json; charset=utf-8")
            #expect(zipped.headers[.contentSecurityPolicy] != nil)
            let etag = try #require(zipped.headers[.eTag])
            #expect(try await client.execute(uri: "/search/meta.json", method: .get, headers: [.acceptEncoding: "gzip", .ifNoneMatch: etag]).status == .notModified)

            for refusal in ["identity", "gzip;q=0", "br"] {
                let plain = try await client.execute(uri: "/search/meta.json", method: .get, headers: [.acceptEncoding: refusal])
                #expect(plain.text == "{\"version\":1}", "\(refusal)")
                #expect(plain.headers[.contentEncoding] == nil && plain.headers[.vary] == "Accept-Encoding", "\(refusal)")
            }
            for uri in ["/search/meta.json.gz", "/../secret.txt", "/%2e%2e/secret.txt"] {
                let response = try await client.execute(uri: uri, method: .get, headers: [.acceptEncoding: "gzip"])
                #expect(response.headers[.contentEncoding] == nil, "\(uri)")
                #expect(!response.text.contains("outside the site"), "\(uri)")
            }
        }
    }

    @Test func healthMetricsKeyAndOpenAPIDescribeTheServer() async throws {
        let fixture = try ServerFixture()
        let (app, _) = try await fixture.makeApp()
        try await app.test(.router) { client in
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            #expect(health.json["status"] as? String == "ok")

            _ = try await client.postConsent(consentBody())
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            #expect(metrics.text.contains("redline_http_requests_total{"))
            #expect(metrics.text.contains(#"redline_consent_records_total{method="custom",outcome="created"} 1"#))
            #expect(metrics.text.contains("redline_consent_commit_batch_size_count 1"))
            #expect(!metrics.text.contains("subject-1"))

            let key = try await client.execute(uri: "/.well-known/redline-receipt-key", method: .get).json
            #expect(key["algorithm"] as? String == "Ed25519")
            #expect((key["publicKey"] as? String).flatMap { Data(base64Encoded: $0) }?.count == 32)

            let openapi = try await client.execute(uri: "/openapi.json", method: .get).json
            #expect(openapi["openapi"] as? String == "3.1.0")
            let paths = try #require(openapi["paths"] as? [String: Any])
            for path in ["/api/v1/consent", "/api/v1/consent/{subject}", "/api/v1/subjects/{subject}/records", "/api/v1/subjects/{subject}",
                         "/healthz", "/readyz", "/metrics", "/.well-known/redline-receipt-key", "/openapi.json",
                         "/api/v1/admin/users/{userId}", "/api/v1/admin/campaigns", "/api/v1/admin/campaigns/{id}",
                         "/api/v1/feedback", "/api/v1/admin/feedback", "/api/v1/admin/feedback.csv", "/api/v1/admin/feedback/comments.csv"] {
                #expect(paths[path] != nil, "\(path) is not documented")
            }
        }
    }

    @Test func aBrokenManifestKeepsTheLastGoodOne() async throws {
        let fixture = try ServerFixture()
        let (app, parts) = try await fixture.makeApp()
        try await app.test(.router) { client in
            fixture.directory.write("public/manifest.json", "{ not json")
            try await Task.sleep(for: .milliseconds(300))
            #expect(parts.catalog.manifest.documents.count == 2)
            #expect(try await client.postConsent(consentBody()).status == .created)
        }
    }

    @Test func refusesToStartWithoutABuiltSite() async throws {
        var settings = ServerSettings()
        settings.siteDirectory = "/nonexistent/public"
        await #expect(throws: CatalogError.self) { try await ServerApplication.open(settings) }
    }
}

@Suite struct ReadinessTests {
    /// A store that has lost its database: every read fails, as a deleted or unreachable one would.
    struct LostStore: ConsentStore {
        struct Lost: Error {}
        func append(_ submissions: [ConsentSubmission], at time: Date) async throws -> [AppendResult] { throw Lost() }
        func records(subject: String) async throws -> [ConsentRecord] { throw Lost() }
        func erase(subject: String) async throws -> Int { throw Lost() }
        func allRecords() async throws -> [ConsentRecord] { throw Lost() }
        func checkReadable() async throws { throw Lost() }
        func head() async throws -> (sequence: Int64, entryHash: String)? { throw Lost() }
        func entryHash(sequence: Int64) async throws -> String? { throw Lost() }
        func storedRows(after sequence: Int64, limit: Int) async throws -> [EvidenceFile.Row] { throw Lost() }
        func storedRow(recordId: String) async throws -> EvidenceFile.Row? { throw Lost() }
        func leaves(after sequence: Int64, limit: Int) async throws -> [(sequence: Int64, evidenceJSON: String)] { throw Lost() }
        func appendNotices(_ leaves: [NoticeLeaf], at time: Date) async throws -> [NoticeAppendResult] { throw Lost() }
    }

    @Test func readyWithTheManifestAndTheDatabaseAndNotWithoutTheDatabase() async throws {
        let fixture = try ServerFixture()
        let (app, parts) = try await fixture.makeApp()
        try await app.test(.router) { client in
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .ok && ready.json["status"] as? String == "ready")
        }
        // The same routes over a store whose database is gone.
        let router = Router(context: ServerContext.self)
        ServiceRoutes(catalog: parts.catalog, signer: parts.signer, keyring: parts.keyring, checkpoints: parts.checkpoints,
                      metrics: parts.metrics, store: LostStore()).add(to: router)
        try await Application(router: router).test(.router) { client in
            let unready = try await client.execute(uri: "/readyz", method: .get)
            #expect(unready.status == .serviceUnavailable)
            #expect(unready.headers[.retryAfter] == "5")
            #expect(unready.json["status"] as? String == "unavailable")
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok, "alive, just not ready")
        }
    }
}
