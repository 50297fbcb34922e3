import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import RedlineServer

/// What the API believes of a request: its Content-Type and, for browsers, its Origin.
@Suite struct RequestTrustTests {
    @Test func jsonEndpointsTakeExactlyApplicationJSON() async throws {
        let fixture = try ServerFixture()
        let (app, parts) = try await fixture.makeApp()
        try await app.test(.router) { client in
            for type in ["application/jsonx", "application/json-patch+json", "application/jsonx; charset=utf-8", "text/json", "application/json5"] {
                let response = try await client.execute(uri: "/api/v1/consent", method: .post, headers: [.contentType: type],
                                                        body: ByteBuffer(string: consentBody(subject: "refused")))
                #expect(response.status == .unsupportedMediaType, "\(type)")
                #expect(response.errorCode == "unsupported_media_type", "\(type)")
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            }
            for (number, type) in ["application/json; charset=utf-8", "Application/JSON", "application/json ;charset=UTF-8"].enumerated() {
                let response = try await client.execute(uri: "/api/v1/consent", method: .post, headers: [.contentType: type],
                                                        body: ByteBuffer(string: consentBody(subject: "taken-\(number)")))
                #expect(response.status == .created, "\(type)")
            }
        }
        #expect(try await parts.store.records(subject: "refused").isEmpty)
    }

    /// A DNS-rebinding page at http://evil.example:8080 (its name resolved to this server) makes
    /// the browser send `Host: evil.example:8080` and a matching Origin; that is no same origin.
    @Test func anOriginMatchingAHostileHostIsNotTheSitesOwn() async throws {
        let fixture = try ServerFixture()
        let (_, parts) = try await fixture.makeApp()
        let middleware = APIMiddleware(catalog: parts.catalog, limiter: RateLimiter(perMinute: 0, burst: 1), metrics: ServerMetrics())
        func request(_ authority: String) -> Request {
            Request(head: HTTPRequest(method: .post, scheme: "http", authority: authority, path: "/api/v1/consent"), body: RequestBody(buffer: ByteBuffer()))
        }
        #expect(!middleware.isAllowed(origin: "http://evil.example:8080", request: request("evil.example:8080")))
        #expect(!middleware.isAllowed(origin: "https://evil.example", request: request("evil.example"), scheme: "https"))
        #expect(!middleware.isAllowed(origin: "http://127.0.0.1.evil.example", request: request("127.0.0.1.evil.example")))
        // The configured origins, whatever the Host.
        #expect(middleware.isAllowed(origin: "https://legal.example.com", request: request("evil.example")))
        #expect(middleware.isAllowed(origin: "https://app.example.com", request: request("evil.example")))
        // A server reached on loopback (make run, tests): a browser sends such a Host only for a page loaded from there.
        #expect(middleware.isAllowed(origin: "http://127.0.0.1:8080", request: request("127.0.0.1:8080")))
        #expect(middleware.isAllowed(origin: "http://localhost:8080", request: request("localhost:8080")))
        #expect(middleware.isAllowed(origin: "http://[::1]:8080", request: request("[::1]:8080")))
        #expect(!middleware.isAllowed(origin: "http://127.0.0.1:8080", request: request("127.0.0.1:8080"), scheme: "https"))
        #expect(!middleware.isAllowed(origin: "http://127.0.0.1:9999", request: request("127.0.0.1:8080")))
    }
}
