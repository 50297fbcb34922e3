import Foundation
import Hummingbird
import HummingbirdTesting
import RedlineConsent
import RedlineNotices
import RedlineManifest
import Testing
@testable import RedlineServer

@Suite struct AdminAPITests {
    func put(_ client: some TestClientProtocol, _ path: String, _ json: String, key: String?) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let key { headers[.authorization] = "Bearer \(key)" }
        return try await client.execute(uri: path, method: .put, headers: headers, body: ByteBuffer(string: json))
    }

    func post(_ client: some TestClientProtocol, _ path: String, _ json: String, key: String) async throws -> TestResponse {
        try await client.execute(uri: path, method: .post, headers: [.contentType: "application/json", .authorization: "Bearer \(key)"],
                                 body: ByteBuffer(string: json))
    }

    @Test func everyBadKeyGetsTheSame401() async throws {
        let fixture = try ServerFixture()
        let (app, parts) = try await fixture.makeApp()
        let (key, _) = try await parts.notices.createKey(name: "ops")
        let (revoked, _) = try await parts.notices.createKey(name: "old")
        _ = try await parts.notices.revokeKey("old")
        // The key with its last character changed (to one it is not).
        let altered = key.dropLast() + (key.last == "0" ? "1" : "0")
        try await app.test(.router) { client in
            var bodies: Set<String> = []
            for header in [nil, "Bearer", "Bearer nonsense", "Basic \(key)", "Bearer \(altered)", "Bearer \(revoked)",
                           "Bearer rlk_00000000_\(String(repeating: "0", count: 40))"] {
                var headers: HTTPFields = [:]
                if let header { headers[.authorization] = header }
                let response = try await client.execute(uri: "/api/v1/admin/campaigns", method: .get, headers: headers)
                #expect(response.status == .unauthorized, "\(header ?? "no header")")
                #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                bodies.insert(response.text)
            }
            #expect(bodies.count == 1)
            #expect(try await client.execute(uri: "/api/v1/admin/campaigns", method: .get, headers: [.authorization: "Bearer \(key)"]).status == .ok)
        }
    }

    @Test func usersAreCreatedUpdatedValidatedAndDeleted() async throws {
        let fixture = try ServerFixture()
        let (app, parts) = try await fixture.makeApp()
        let (key, _) = try await parts.notices.createKey(name: "ops")
        try await app.test(.router) { client in
            let created = try await put(client, "/api/v1/admin/users/u-1", #"{"email": "ana@example.com", "locale": "en-GB", "subject": "s-1"}"#, key: key)
            #expect(created.status == .created)
            #expect(created.json["email"] as? String == "ana@example.com")
            let updated = try await put(client, "/api/v1/admin/users/u-1", #"{"email": "ana@example.org", "locale": "de"}"#, key: key)
            #expect(updated.status == .ok)
            #expect(try await client.execute(uri: "/api/v1/admin/users/u-1", method: .get, headers: [.authorization: "Bearer \(key)"]).json["locale"] as? String == "de")

            let bad = try await put(client, "/api/v1/admin/users/bad%20id", #"{"email": "a@example.com\r\nBcc: x@example.com", "locale": "en_GB", "subject": "", "admin": true}"#, key: key)
            #expect(bad.status == .unprocessableContent)
            #expect(Set(bad.problemFields) == ["userId", "email", "locale", "subject", "admin"])
            let missing = try await put(client, "/api/v1/admin/users/u-2", #"{}"#, key: key)
            #expect(Set(missing.problemFields) == ["email", "locale"])
            #expect(try await put(client, "/api/v1/admin/users/u-2", #"{"email": "#, key: key).status == .badRequest)
            #expect(try await parts.notices.user("u-2") == nil)

            let deleted = try await client.execute(uri: "/api/v1/admin/users/u-1", method: .delete, headers: [.authorization: "Bearer \(key)"])
            #expect(deleted.status == .noContent)
            let again = try await client.execute(uri: "/api/v1/admin/users/u-1", method: .delete, headers: [.authorization: "Bearer \(key)"])
            #expect(again.status == .notFound)
        }
    }

    @Test func campaignsAreOnlyForMaterialChangesAndOnlyOnce() async throws {
        let fixture = try ServerFixture()
        let (app, parts) = try await fixture.makeApp()
        let (key, _) = try await parts.notices.createKey(name: "ops")
        _ = try await parts.notices.putUsers([UserInput(userId: "u1", email: "a@example.com", locale: "en")])
        // Every version of the fixture is history here, as if the server had started long ago.
        _ = try await parts.notices.noteVersions(NoticePlanner.sightings(ServerFixture.manifest(), today: "2199-01-01"))
        try await app.test(.router) { client in
            for (body, reason) in [(#"{"document": "privacy", "version": "2025-01-01"}"#, "first version"),
                                   (#"{"document": "privacy", "version": "2025-06-01"}"#, "editorial"),
                                   (#"{"document": "privacy", "version": "2031-01-01"}"#, "unknown version"),
                                   (#"{"document": "nope", "version": "2026-01-01"}"#, "unknown document")] {
                let refused = try await post(client, "/api/v1/admin/campaigns", body, key: key)
                #expect(refused.status == .unprocessableContent, "\(reason)")
                #expect(refused.errorCode == "not_announceable" || reason.hasPrefix("unknown"))
            }
            #expect(try await parts.notices.campaigns().isEmpty)

            let created = try await post(client, "/api/v1/admin/campaigns", #"{"document": "privacy", "version": "2099-01-01"}"#, key: key)
            #expect(created.status == .created)
            #expect(created.json["recipients"] as? Int == 1)
            let id = try #require(created.json["id"] as? Int)
            let twice = try await post(client, "/api/v1/admin/campaigns", #"{"document": "privacy", "version": "2099-01-01"}"#, key: key)
            #expect(twice.status == .ok && twice.json["id"] as? Int == id && twice.json["recipients"] as? Int == 1)

            let status = try await client.execute(uri: "/api/v1/admin/campaigns/\(id)", method: .get, headers: [.authorization: "Bearer \(key)"])
            #expect(status.status == .ok)
            for field in ["queued", "sending", "sent", "failed", "recipients", "document", "version"] { #expect(status.json[field] != nil, "\(field)") }
            #expect(try await client.execute(uri: "/api/v1/admin/campaigns/999", method: .get, headers: [.authorization: "Bearer \(key)"]).status == .notFound)
        }
    }

    @Test func aNewMaterialVersionInTheManifestIsAnnouncedAndWrittenAsAnEmlFile() async throws {
        let fixture = try ServerFixture()
        let (app, parts) = try await fixture.makeApp()
        _ = try await parts.notices.putUsers([UserInput(userId: "u1", email: "a@example.com", locale: "en"),
                                              UserInput(userId: "u2", email: "b@example.com", locale: "en")])
        let (key, _) = try await parts.notices.createKey(name: "ops")
        try await app.testLive { client in
            // The first look: versions in force are history; the upcoming material one waits for approval.
            var campaigns: [CampaignStatus] = []
            try await waitUntil {
                campaigns = try await parts.notices.campaigns()
                return !(campaigns.isEmpty)
            }
            #expect(campaigns.map(\.version) == ["2099-01-01"])
            #expect(campaigns.first?.state == .pending && campaigns.first?.trigger == .upcomingAtFirstStart)
            try fixture.write(ServerFixture.manifest(extraPrivacyVersions: Self.editorialThenMaterial()))

            try await waitUntil {
                campaigns = try await parts.notices.campaigns()
                return !(campaigns.count < 2)
            }
            #expect(campaigns.map(\.version) == ["2099-01-01", "2100-01-01"])
            #expect(campaigns.allSatisfy { $0.state == .pending })
            try await Task.sleep(for: .milliseconds(300))
            let outbox = fixture.directory.subpath("data/outbox")
            #expect(!FileManager.default.fileExists(atPath: outbox), "nothing is sent before approval")

            // Review: a test copy to one reviewer, then approval of the new one and cancellation of the other.
            let headers: HTTPFields = [.authorization: "Bearer \(key)", .contentType: "application/json"]
            let id = campaigns[1].id
            let test = try await client.execute(uri: "/api/v1/admin/campaigns/\(id)/test", method: .post, headers: headers,
                                                body: ByteBuffer(string: #"{"to": "reviewer@example.com"}"#))
            #expect(test.status == .ok, "\(test.text)")
            let badTest = try await client.execute(uri: "/api/v1/admin/campaigns/\(id)/test", method: .post, headers: headers,
                                                   body: ByteBuffer(string: #"{"to": "not an address"}"#))
            #expect(badTest.status == .unprocessableContent)
            let approve = try await client.execute(uri: "/api/v1/admin/campaigns/\(id)/approve", method: .post, headers: headers)
            #expect(approve.status == .ok && approve.json["state"] as? String == "approved" && approve.json["approvedBy"] as? String == "ops")
            let cancel = try await client.execute(uri: "/api/v1/admin/campaigns/\(campaigns[0].id)/cancel", method: .post, headers: headers)
            #expect(cancel.status == .ok && cancel.json["state"] as? String == "cancelled")
            let again = try await client.execute(uri: "/api/v1/admin/campaigns/\(campaigns[0].id)/approve", method: .post, headers: headers)
            #expect(again.status == .conflict)

            try await waitUntil {
                campaigns = try await parts.notices.campaigns()
                return !(campaigns.last?.sent != 2)
            }
            #expect(campaigns.last?.sent == 2 && campaigns.first?.sent == 0)
            let files = try FileManager.default.contentsOfDirectory(atPath: outbox).sorted()
            #expect(files.count == 3, "two notices and the reviewer's test copy: \(files)")
            let messages = try files.map { try String(contentsOfFile: "\(outbox)/\($0)", encoding: .utf8) }
            #expect(messages.filter { $0.contains("X-Redline-Test: yes") && $0.contains("To: reviewer@example.com") }.count == 1)
            #expect(messages.allSatisfy { $0.contains("https://legal.example.com/privacy/changes/2100-01-01/") })

            let users = try await client.execute(uri: "/api/v1/admin/users?limit=1", method: .get, headers: headers)
            #expect(users.status == .ok && users.json["count"] as? Int == 2 && users.json["next"] as? String == "u1")
        }
    }

    /// Two versions published later: an editorial one, then a material one.
    static func editorialThenMaterial() -> [Manifest.Version] {
        let editorial = Manifest.Version(effective: "2099-06-01", title: "Privacy policy", material: false, summary: nil, published: nil,
                                         status: .upcoming, url: "https://legal.example.com/privacy/2099-06-01/", sha256: String(repeating: "e", count: 64),
                                         changesUrl: "https://legal.example.com/privacy/changes/2099-06-01/")
        var material = editorial
        material.effective = "2100-01-01"
        material.material = true
        material.summary = "We now keep logs for 30 days."
        material.url = "https://legal.example.com/privacy/2100-01-01/"
        material.changesUrl = "https://legal.example.com/privacy/changes/2100-01-01/"
        return [editorial, material]
    }
}
