import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import RedlineConsent
import RedlineManifest
import RedlineTestSupport
import Testing
@testable import RedlineServer

/// A built site (a hand-written manifest and a few pages) and a fresh database in a temporary folder.
final class ServerFixture: @unchecked Sendable {
    let directory = TemporaryDirectory("redline-server")
    var settings = ServerSettings()

    var sitePath: String { directory.subpath("public") }

    /// privacy: a first version, an editorial one, a material one in force, and a material one far ahead.
    static func manifest(extraPrivacyVersions: [Manifest.Version] = [], allowedOrigins: [String] = ["https://app.example.com"]) -> Manifest {
        func version(_ day: Day, material: Bool, status: VersionStatus, first: Bool = false) -> Manifest.Version {
            Manifest.Version(effective: day, title: "Privacy policy", material: material, summary: material ? "Changes on \(day)." : nil,
                             published: day.description, status: status, url: "https://legal.example.com/privacy/\(day)/",
                             sha256: String(repeating: day.description.last!, count: 64),
                             changesUrl: first ? nil : "https://legal.example.com/privacy/changes/\(day)/")
        }
        let privacy = Manifest.Document(
            id: "privacy", title: "Privacy policy", url: "https://legal.example.com/privacy/", historyUrl: "https://legal.example.com/privacy/versions/",
            versions: [version("2025-01-01", material: true, status: .archived, first: true),
                       version("2025-06-01", material: false, status: .archived),
                       version("2026-01-01", material: true, status: .current),
                       version("2099-01-01", material: true, status: .upcoming)] + extraPrivacyVersions)
        let cookies = Manifest.Document(
            id: "cookies", title: "Cookie policy", url: "https://legal.example.com/cookies/", historyUrl: "https://legal.example.com/cookies/versions/",
            versions: [version("2025-01-01", material: true, status: .current, first: true)])
        let consent = Manifest.Consent(
            notice: .init(version: "abc123", locale: "en-GB"),
            categories: [.init(id: "necessary", label: "Necessary", required: true, gpc: false),
                         .init(id: "analytics", label: "Analytics", required: false, gpc: false),
                         .init(id: "marketing", label: "Marketing", required: false, gpc: true)],
            documents: ["privacy", "cookies"], allowedOrigins: allowedOrigins, maxAgeDays: 395,
            configUrl: "https://legal.example.com/consent/config.json")
        return Manifest(generatedAt: "2026-03-01T00:00:00Z", buildDate: "2026-03-01",
                        site: .init(title: "Example", baseURL: "https://legal.example.com/", language: "en-GB"),
                        documents: [privacy, cookies], docs: [], consent: consent)
    }

    init(manifest: Manifest = ServerFixture.manifest()) throws {
        try write(manifest)
        directory.write("public/index.html", "<!doctype html><title>Home</title><p>home")
        directory.write("public/privacy/index.html", "<!doctype html><title>Privacy</title><p>privacy")
        directory.write("public/404.html", "<!doctype html><title>Not found</title><p>This page does not exist.")
        directory.write("public/assets/style.css", "body { color: black; }")
        directory.write("public/assets/consent.js", "(function () {})();")
        directory.write("public/feed.xml", "<?xml version=\"1.0\"?><feed/>")
        directory.write("secret.txt", "outside the site")
        settings.siteDirectory = sitePath
        settings.databasePath = directory.subpath("data/redline.sqlite")
        settings.manifestPollInterval = .milliseconds(50)
        settings.templatesDirectory = Repository.templates
        settings.delivery.pollInterval = .milliseconds(20)
        settings.delivery.ratePerSecond = 0
    }

    func write(_ manifest: Manifest) throws {
        directory.write("public/manifest.json", String(decoding: try manifest.encoded(), as: UTF8.self))
    }

    func makeApp(_ parts: ServerApplication.Parts? = nil) async throws -> (some ApplicationProtocol, ServerApplication.Parts) {
        let opened: ServerApplication.Parts
        if let parts { opened = parts } else { opened = try await ServerApplication.open(settings) }
        let parts = opened
        var logger = Logger(label: "redline-test")
        logger.logLevel = .warning
        return (try ServerApplication.make(settings, parts: parts, logger: logger), parts)
    }
}

/// Request helpers for the consent API.
extension TestClientProtocol {
    func postConsent(_ json: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        var fields: HTTPFields = [.contentType: "application/json"]
        for field in headers { fields[field.name] = field.value }
        return try await execute(uri: "/api/v1/consent", method: .post, headers: fields, body: ByteBuffer(string: json))
    }
}

extension TestResponse {
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
    }

    var text: String { String(buffer: body) }

    /// The `code` of an error answer.
    var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }

    /// The fields named in an error answer's details.
    var problemFields: [String] {
        ((json["error"] as? [String: Any])?["details"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
    }
}

/// A valid request body, with fields overridden as JSON fragments.
func consentBody(subject: String = "subject-1", granted: String = #"["analytics"]"#, denied: String = #"["marketing"]"#,
                 method: String = #""custom""#, policies: String = #"[{"id": "privacy", "version": "2026-01-01"}, {"id": "cookies", "version": "2025-01-01"}]"#,
                 key: String? = nil) -> String {
    var body = #"{"subject": "\#(subject)", "granted": \#(granted), "denied": \#(denied), "method": \#(method), "policies": \#(policies), "notice": {"version": "abc123", "locale": "en-GB"}"#
    if let key { body += #", "idempotencyKey": "\#(key)""# }
    return body + "}"
}

/// A client of a live server that waits as long as the server takes. HummingbirdTesting's `.live`
/// client gives up on an answer after 20 seconds, which a busy 2-core machine can exceed (a flood
/// of bcrypt checks behind another build): a test's result must not depend on the machine's speed.
struct PatientClient: Sendable {
    let client: TestClient

    func execute(uri: String, method: HTTPRequest.Method, headers: HTTPFields = [:], body: ByteBuffer? = nil) async throws -> TestClient.Response {
        var headers = headers
        headers[.connection] = "keep-alive"
        return try await client.execute(TestClient.Request(uri, method: method, authority: "localhost", headers: headers, body: body))
    }

    func postConsent(_ json: String, headers: HTTPFields = [:]) async throws -> TestClient.Response {
        var fields: HTTPFields = [.contentType: "application/json"]
        for field in headers { fields[field.name] = field.value }
        return try await execute(uri: "/api/v1/consent", method: .post, headers: fields, body: ByteBuffer(string: json))
    }
}

extension ApplicationProtocol {
    /// Runs the application on a real socket and hands `body` a ``PatientClient`` of it.
    func testLive<Value: Sendable>(_ body: @Sendable (PatientClient) async throws -> Value) async throws -> Value {
        try await test(.live) { live in
            let client = TestClient(host: "localhost", port: try #require(live.port), configuration: .init(timeout: .seconds(86_400)))
            client.connect()
            do {
                let value = try await body(PatientClient(client: client))
                try await client.shutdown()
                return value
            } catch {
                try? await client.shutdown()
                throw error
            }
        }
    }
}

extension TestClient.Response {
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data((body ?? ByteBuffer()).readableBytesView))) as? [String: Any] ?? [:]
    }

    var text: String { String(buffer: body ?? ByteBuffer()) }
}
