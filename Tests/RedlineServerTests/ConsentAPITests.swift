import Foundation
import Hummingbird
import HummingbirdTesting
import RedlineConsent
import RedlineManifest
import Testing
@testable import RedlineServer

@Suite struct ConsentAPITests {
    @Test func recordsConsentWithASignedReceiptAndTheExactPolicyHashes() async throws {
        let fixture = try ServerFixture()
        let (app, parts) = try await fixture.makeApp()
        try await app.test(.router) { client in
            let response = try await client.postConsent(consentBody(), headers: [.referer: "https://legal.example.com/privacy/?utm=x#top",
                                                                                  .userAgent: "Mozilla/5.0 Firefox/140.0"])
            #expect(response.status == .created)
            let receipt = response.json
            let receiptId = try #require(receipt["receiptId"] as? String)
            let entryHash = try #require(receipt["entryHash"] as? String)
            let signature = try #require(receipt["signature"] as? String)
            #expect(receipt["recordedAt"] is String)

            let key = try await client.execute(uri: "/.well-known/redline-receipt-key", method: .get).json
            let publicKey = try #require(key["publicKey"] as? String)
            #expect(ReceiptSigner.verify(signature: signature, entryHash: entryHash, publicKeyBase64: publicKey))

            let records = try await parts.store.records(subject: "subject-1")
            let record = try #require(records.first)
            #expect(record.evidence.recordId == receiptId)
            #expect(record.evidence.event == .given)
            #expect(record.evidence.granted == ["necessary", "analytics"])
            #expect(record.evidence.denied == ["marketing"])
            #expect(record.evidence.policies == [PolicyReference(id: "privacy", version: "2026-01-01", sha256: String(repeating: "1", count: 64)),
                                                 PolicyReference(id: "cookies", version: "2025-01-01", sha256: String(repeating: "1", count: 64))])
            #expect(record.evidence.notice == NoticeReference(version: "abc123", locale: "en-GB"))
            #expect(record.evidence.validUntil != nil)
            #expect(record.personal?.pagePath == "/privacy/")
            #expect(record.personal?.browser == "Firefox")
            #expect(record.personal?.ipToken == nil)
        }
    }

    @Test func theSameIdempotencyKeyAnswersTheSameReceiptAndStoresNothingNew() async throws {
        let fixture = try ServerFixture()
        let (app, parts) = try await fixture.makeApp()
        try await app.test(.router) { client in
            let first = try await client.postConsent(consentBody(key: "choice-1"))
            let again = try await client.postConsent(consentBody(key: "choice-1"))
            #expect(first.status == .created)
            #expect(again.status == .ok)
            #expect(first.json["receiptId"] as? String == again.json["receiptId"] as? String)
            #expect(first.json["signature"] as? String == again.json["signature"] as? String)

            let different = try await client.postConsent(consentBody(granted: "[]", denied: #"["analytics", "marketing"]"#, key: "choice-1"))
            #expect(different.status == .conflict)
            #expect(different.errorCode == "idempotency_key_reused")

            // Keys are scoped to the subject: another person's identical key is a new record.
            let otherSubject = try await client.postConsent(consentBody(subject: "subject-2", key: "choice-1"))
            #expect(otherSubject.status == .created)
            #expect(try await parts.store.allRecords().count == 2)
        }
    }

    @Test func rejectAllIsRecordedAsARefusalWithEveryCategoryListed() async throws {
        let fixture = try ServerFixture()
        let (app, parts) = try await fixture.makeApp()
        try await app.test(.router) { client in
            let response = try await client.postConsent(consentBody(granted: "[]", denied: "[]", method: #""reject-all""#))
            #expect(response.status == .created)
            let record = try #require(try await parts.store.records(subject: "subject-1").first)
            #expect(record.evidence.event == .refused)
            #expect(record.evidence.method == .rejectAll)
            #expect(record.evidence.granted == ["necessary"])
            #expect(record.evidence.denied == ["analytics", "marketing"])

            _ = try await client.postConsent(consentBody(granted: #"["analytics", "marketing"]"#, denied: "[]", method: #""accept-all""#))
            let later = try await parts.store.records(subject: "subject-1")
            #expect(later.map(\.evidence.event) == [.refused, .updated])
        }
    }

    @Test func globalPrivacyControlDeniesMarketingWhateverTheBodySays() async throws {
        let fixture = try ServerFixture()
        let (app, parts) = try await fixture.makeApp()
        try await app.test(.router) { client in
            let response = try await client.postConsent(consentBody(granted: #"["analytics", "marketing"]"#, denied: "[]", method: #""accept-all""#),
                                                        headers: [.secGPC: "1"])
            #expect(response.status == .created)
            let record = try #require(try await parts.store.records(subject: "subject-1").first)
            #expect(record.evidence.granted == ["necessary", "analytics"])
            #expect(record.evidence.denied == ["marketing"])
            #expect(record.evidence.gpc == GPCSignal(sent: true, honoured: true))

            _ = try await client.postConsent(consentBody(subject: "gpc-only", granted: "[]", denied: "[]", method: #""gpc""#), headers: [.secGPC: "1"])
            let gpcRecord = try #require(try await parts.store.records(subject: "gpc-only").first)
            #expect(gpcRecord.evidence.method == .gpc)
            #expect(gpcRecord.evidence.denied.contains("marketing"))
            #expect(gpcRecord.evidence.event == .given)
        }
    }

    @Test func theStateSaysWhenAMaterialVersionHasTakenEffectSinceTheConsent() async throws {
        let fixture = try ServerFixture()
        let (app, _) = try await fixture.makeApp()
        try await app.test(.router) { client in
            // Consented to the editorial 2025-06-01 version; the material 2026-01-01 one is in force now.
            _ = try await client.postConsent(consentBody(subject: "old", policies: #"[{"id": "privacy", "version": "2025-06-01"}, {"id": "cookies", "version": "2025-01-01"}]"#))
            let old = try await client.execute(uri: "/api/v1/consent/old", method: .get)
            #expect(old.status == .ok)
            #expect(old.json["reconsentRequired"] as? Bool == true)
            let changes = try #require(old.json["changes"] as? [[String: Any]])
            #expect(changes.count == 1)
            #expect(changes.first?["document"] as? String == "privacy")
            #expect(changes.first?["fromVersion"] as? String == "2025-06-01")
            #expect(changes.first?["toVersion"] as? String == "2026-01-01")
            #expect(changes.first?["changesUrl"] as? String == "https://legal.example.com/privacy/changes/2026-01-01/")

            // Consented to the current version: the upcoming material one has not taken effect.
            _ = try await client.postConsent(consentBody(subject: "current"))
            let current = try await client.execute(uri: "/api/v1/consent/current", method: .get).json
            #expect(current["reconsentRequired"] as? Bool == false)
            #expect((current["changes"] as? [Any])?.isEmpty == true)
            #expect(current["granted"] as? [String] == ["necessary", "analytics"])

            let unknown = try await client.execute(uri: "/api/v1/consent/nobody", method: .get)
            #expect(unknown.status == .notFound)
            #expect(unknown.errorCode == "not_found")
        }
    }

    @Test func aReloadedManifestWithAnEditorialVersionDoesNotAskAgainButAMaterialOneDoes() async throws {
        let fixture = try ServerFixture()
        let (app, parts) = try await fixture.makeApp()
        try await app.test(.router) { client in
            _ = try await client.postConsent(consentBody())

            func editorial(_ day: Day) -> RedlineManifest.Manifest.Version {
                .init(effective: day, title: "Privacy policy", material: false, summary: nil, published: day.description, status: .current,
                      url: "https://legal.example.com/privacy/\(day)/", sha256: String(repeating: "e", count: 64),
                      changesUrl: "https://legal.example.com/privacy/changes/\(day)/")
            }
            var manifest = ServerFixture.manifest()
            manifest.documents[0].versions.insert(editorial("2026-02-01"), at: 3)
            manifest.buildDate = "2026-02-02"
            try fixture.write(manifest)
            try await waitFor { parts.catalog.manifest.buildDate == "2026-02-02" }
            let afterEditorial = try await client.execute(uri: "/api/v1/consent/subject-1", method: .get).json
            #expect(afterEditorial["reconsentRequired"] as? Bool == false)

            var material = editorial("2026-03-01")
            material.material = true
            material.summary = "We now share delivery data with a new carrier."
            manifest.documents[0].versions.insert(material, at: 4)
            manifest.buildDate = "2026-03-02"
            try fixture.write(manifest)
            try await waitFor { parts.catalog.manifest.buildDate == "2026-03-02" }
            let afterMaterial = try await client.execute(uri: "/api/v1/consent/subject-1", method: .get).json
            #expect(afterMaterial["reconsentRequired"] as? Bool == true)
            let changes = try #require(afterMaterial["changes"] as? [[String: Any]])
            #expect(changes.map { $0["toVersion"] as? String } == ["2026-03-01"])
            #expect(changes.first?["fromVersion"] as? String == "2026-01-01")
            #expect(changes.first?["summary"] as? String == "We now share delivery data with a new carrier.")
            #expect(afterMaterial["reasons"] as? [String] == ["material-change"])

            // A version the new manifest names can now be consented to, with its own hash.
            let renewed = try await client.postConsent(consentBody(policies: #"[{"id": "privacy", "version": "2026-03-01"}, {"id": "cookies", "version": "2025-01-01"}]"#))
            #expect(renewed.status == .created)
            let state = try await client.execute(uri: "/api/v1/consent/subject-1", method: .get).json
            #expect(state["reconsentRequired"] as? Bool == false)
        }
    }

    @Test func exportListsEveryRecordAndErasureKeepsTheChainVerifiable() async throws {
        let fixture = try ServerFixture()
        let (app, parts) = try await fixture.makeApp()
        try await app.test(.router) { client in
            _ = try await client.postConsent(consentBody(subject: "alice"))
            _ = try await client.postConsent(consentBody(subject: "bob"))
            _ = try await client.postConsent(consentBody(subject: "alice", granted: "[]", denied: "[]", method: #""reject-all""#))

            let export = try await client.execute(uri: "/api/v1/subjects/alice/records", method: .get)
            #expect(export.status == .ok)
            let records = try #require(export.json["records"] as? [[String: Any]])
            #expect(records.count == 2)
            #expect(records.compactMap { ($0["evidence"] as? [String: Any])?["method"] as? String } == ["custom", "reject-all"])
            #expect(records.allSatisfy { ($0["receipt"] as? [String: Any])?["signature"] is String })

            let erased = try await client.execute(uri: "/api/v1/subjects/alice", method: .delete)
            #expect(erased.status == .ok)
            #expect(erased.json["erasedRecords"] as? Int == 2)
            #expect(try await client.execute(uri: "/api/v1/consent/alice", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/api/v1/subjects/alice/records", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/api/v1/subjects/alice", method: .delete).status == .notFound)
            #expect(try await client.execute(uri: "/api/v1/consent/bob", method: .get).status == .ok)

            let all = try await parts.store.allRecords()
            #expect(all.count == 3)
            #expect(all.filter { $0.personal == nil }.count == 2)
            #expect(ChainVerifier.verify(all, publicKeyBase64: parts.signer.publicKeyBase64).isIntact)
        }
    }

    @Test func recordsSurviveARestartAndTheChainContinues() async throws {
        let fixture = try ServerFixture()
        let firstReceipt: String
        do {
            let (app, _) = try await fixture.makeApp()
            firstReceipt = try await app.test(.router) { client in
                try #require(try await client.postConsent(consentBody(key: "k")).json["receiptId"] as? String)
            }
        }
        let (app, parts) = try await fixture.makeApp()
        try await app.test(.router) { client in
            let state = try await client.execute(uri: "/api/v1/consent/subject-1", method: .get).json
            #expect(state["receiptId"] as? String == firstReceipt)
            let replay = try await client.postConsent(consentBody(key: "k"))
            #expect(replay.status == .ok)
            #expect(replay.json["receiptId"] as? String == firstReceipt)
            #expect(try await client.postConsent(consentBody(subject: "after-restart")).status == .created)
        }
        let all = try await parts.store.allRecords()
        #expect(all.map(\.evidence.sequence) == [1, 2])
        #expect(ChainVerifier.verify(all, publicKeyBase64: parts.signer.publicKeyBase64).isIntact)
    }
}

/// Polls `condition` until it holds (the manifest watcher runs on its own schedule). The
/// timeout only ends a test that is broken: a busy machine never gets near it.
func waitFor(_ condition: @Sendable () -> Bool, timeout: Duration = .seconds(300)) async throws {
    try await waitUntil(timeout: timeout) { condition() }
}

/// The same for a condition that has to ask the stores or the server.
func waitUntil(timeout: Duration = .seconds(300), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else { throw WaitTimedOut() }
        try await Task.sleep(for: .milliseconds(20))
    }
}

struct WaitTimedOut: Error {}
