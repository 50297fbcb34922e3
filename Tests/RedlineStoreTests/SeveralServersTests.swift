import Foundation
import RedlineConsent
import RedlineNotices
import RedlineStores
import RedlineTestSupport
import Testing

/// Several servers on one database: each opens the database itself, as `redline serve`
/// processes do, and they write at the same time.
@Suite struct SeveralServersTests {
    func submission(_ subject: String, key: String? = nil) -> ConsentSubmission {
        ConsentSubmission(event: nil, method: .custom, granted: ["necessary"], denied: ["marketing"],
                          policies: [PolicyReference(id: "privacy", version: "2026-06-01", sha256: String(repeating: "b", count: 64))],
                          notice: nil, gpc: GPCSignal(sent: false, honoured: false), idempotencyKey: key, personal: PersonalFields(subject: subject))
    }

    func draft(_ version: String) -> CampaignDraft {
        CampaignDraft(document: "privacy", version: version, siteTitle: "Example", documentTitle: "Privacy Policy", effective: version,
                      summary: "We change things.", changesUrl: "https://x.example/changes/", versionUrl: "https://x.example/v/")
    }

    @Test(arguments: StoreKind.allCases)
    func batchesFromSeveralServersFormOneUnbrokenChain(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        let signer = try ReceiptSigner.loadOrCreate(at: fixture.keyPath)
        var servers: [any ConsentStore] = []
        for _ in 0..<3 { servers.append(try await fixture.open().consentStore(signer: signer)) }
        let stores = servers
        // 3 servers × 8 writers × 10 batches of 5, all at once.
        let created = try await withThrowingTaskGroup(of: Int.self) { group in
            for (server, store) in stores.enumerated() {
                for writer in 0..<8 {
                    group.addTask {
                        var created = 0
                        for batch in 0..<10 {
                            let results = try await store.append((0..<5).map { submission("s\(server)-\(writer)-\(batch)-\($0)") }, at: Date())
                            created += results.filter(\.created).count
                        }
                        return created
                    }
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(created == 3 * 8 * 10 * 5)
        let records = try await stores[0].allRecords()
        #expect(records.map(\.evidence.sequence) == Array(1...Int64(created)))
        #expect(ChainVerifier.verify(records, publicKeyBase64: signer.publicKeyBase64).isIntact)
        #expect(try await stores[1].head()?.sequence == Int64(created))
    }

    @Test(arguments: StoreKind.allCases)
    func anIdempotencyKeyHoldsAcrossServers(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        let signer = try ReceiptSigner.loadOrCreate(at: fixture.keyPath)
        let first = try await fixture.open().consentStore(signer: signer)
        let second = try await fixture.open().consentStore(signer: signer)
        // The same client retries the same request at both servers at once, twenty times over.
        let outcomes = try await withThrowingTaskGroup(of: AppendResult.self) { group in
            for index in 0..<20 {
                let store = index.isMultiple(of: 2) ? first : second
                group.addTask { try await store.append([submission("alice", key: "retry-1")], at: Date())[0] }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter(\.created).count == 1)
        #expect(outcomes.filter { $0.outcome == .replayed }.count == 19)
        #expect(Set(outcomes.map(\.record.receipt.receiptId)).count == 1, "every retry gets the one receipt")
        #expect(try await second.allRecords().count == 1)
    }

    @Test(arguments: StoreKind.allCases)
    func aNewVersionSeenByEveryServerAtOnceMakesOneCampaign(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        var servers: [any NoticeStore] = []
        for _ in 0..<4 { servers.append(try await fixture.open().noticeStore(bcryptCost: 4)) }
        let stores = servers
        _ = try await stores[0].putUsers((1...30).map { UserInput(userId: "u\($0)", email: "u\($0)@example.com", locale: "en") })
        let history = [VersionSighting(document: "privacy", version: "2026-01-01", campaign: draft("2026-01-01"), historyAtFirstStart: true)]
        _ = try await stores[0].noteVersions(history)
        let published = history + [VersionSighting(document: "privacy", version: "2027-01-01", campaign: draft("2027-01-01"), historyAtFirstStart: false)]
        let created = try await withThrowingTaskGroup(of: Int.self) { group in
            for store in stores {
                group.addTask { try await store.noteVersions(published, automatic: true).created.count }
            }
            return try await group.reduce(0, +)
        }
        #expect(created == 1)
        let campaigns = try await stores[3].campaigns()
        #expect(campaigns.map(\.version) == ["2027-01-01"])
        #expect(campaigns.first?.recipients == 30 && campaigns.first?.queued == 30)
    }

    @Test(arguments: StoreKind.allCases)
    func workersOfSeveralServersNeverTakeTheSameMessage(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        var servers: [any NoticeStore] = []
        for _ in 0..<3 { servers.append(try await fixture.open().noticeStore(bcryptCost: 4)) }
        let stores = servers
        _ = try await stores[0].putUsers((1...200).map { UserInput(userId: "u\($0)", email: "u\($0)@example.com", locale: "en") })
        let (campaign, _) = try await stores[0].createCampaign(draft("2027-02-01"), trigger: .manual)
        _ = try await stores[0].approve(campaign.id, by: "ops")
        let claimed = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for store in stores {
                for _ in 0..<2 {
                    group.addTask {
                        var mine: [Int64] = []
                        while true {
                            let batch = try await store.claim(limit: 7)
                            if batch.isEmpty { return mine }
                            mine += batch.map(\.id)
                            try await store.complete(batch.map { ($0.id, .sent) })
                        }
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let all = claimed.flatMap { $0 }
        #expect(all.count == 200 && Set(all).count == 200, "each message taken exactly once: \(all.count) claims of \(Set(all).count) messages")
        let status = try #require(try await stores[2].campaign(campaign.id))
        #expect(status.sent == 200 && status.finished)
    }
}
