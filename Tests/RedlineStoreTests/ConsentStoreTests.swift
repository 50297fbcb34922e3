import RedlineManifest
import Foundation
import RedlineTestSupport
import Testing
import RedlineConsent
import RedlineStores

/// The consent store's promises, held by SQLite and PostgreSQL alike.
@Suite struct ConsentStoreTests {

    func submission(_ subject: String, key: String? = nil, granted: [String] = ["necessary", "analytics"],
                    denied: [String] = ["marketing"], method: ConsentMethod = .custom) -> ConsentSubmission {
        ConsentSubmission(event: .given, method: method, granted: granted, denied: denied,
                          policies: [PolicyReference(id: "privacy", version: "2026-06-01", sha256: String(repeating: "a", count: 64))],
                          notice: NoticeReference(version: "2026-06-01", locale: "en-GB"),
                          gpc: GPCSignal(sent: false, honoured: false), idempotencyKey: key,
                          personal: PersonalFields(subject: subject, pagePath: "/privacy/", browser: "Firefox"))
    }

    @Test(arguments: StoreKind.allCases) func appendsAChainThatVerifies(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        let (store, signer, _) = try await fixture.consent()
        let results = try await store.append([submission("s1"), submission("s2"), submission("s1", granted: ["necessary"], denied: ["analytics", "marketing"], method: .rejectAll)], at: Date())
        #expect(results.allSatisfy { $0.created })
        #expect(results.map(\.record.evidence.sequence) == [1, 2, 3])
        #expect(results[0].record.evidence.previousHash == ConsentEvidence.genesisHash)
        #expect(results[1].record.evidence.previousHash == results[0].record.entryHash)
        let report = ChainVerifier.verify(try await store.allRecords(), publicKeyBase64: signer.publicKeyBase64)
        #expect(report.isIntact)
        #expect(report.recordsChecked == 3)
        let mine = try await store.records(subject: "s1")
        #expect(mine.map(\.evidence.method) == [.custom, .rejectAll])
        #expect(mine[1].evidence.denied == ["analytics", "marketing"], "refusals are recorded with every denied category")
    }

    @Test(arguments: StoreKind.allCases) func theSameIdempotencyKeyReturnsTheSameReceiptAndStoresNothing(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        let (store, _, _) = try await fixture.consent()
        let first = try await store.append([submission("s1", key: "k-1")], at: Date())[0]
        let again = try await store.append([submission("s1", key: "k-1")], at: Date().addingTimeInterval(5))[0]
        #expect(first.created && !again.created)
        #expect(again.record.receipt == first.record.receipt)
        #expect(try await store.allRecords().count == 1)
    }

    @Test(arguments: StoreKind.allCases) func aTamperedRowIsTheFirstBrokenLink(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        let (store, signer, _) = try await fixture.consent()
        _ = try await store.append((1...4).map { submission("s\($0)") }, at: Date())
        try await fixture.execute("UPDATE consent_record SET evidence_json = replace(evidence_json, '\"marketing\"', '\"analytics2\"') WHERE sequence = 3")
        let report = ChainVerifier.verify(try await store.allRecords(), publicKeyBase64: signer.publicKeyBase64)
        #expect(report.firstProblem?.sequence == 3)
        #expect(report.firstProblem?.reason.contains("changed after it was written") == true)
        #expect(report.recordsChecked == 2)
    }

    @Test(arguments: StoreKind.allCases) func aDeletedRowBreaksTheChain(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        let (store, signer, _) = try await fixture.consent()
        _ = try await store.append((1...3).map { submission("s\($0)") }, at: Date())
        try await fixture.execute("DELETE FROM consent_record WHERE sequence = 2")
        let report = ChainVerifier.verify(try await store.allRecords(), publicKeyBase64: signer.publicKeyBase64)
        #expect(report.firstProblem?.sequence == 3)
    }

    @Test(arguments: StoreKind.allCases) func aForgedSignatureIsCaught(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        let (store, signer, _) = try await fixture.consent()
        _ = try await store.append([submission("s1")], at: Date())
        let other = ReceiptSigner(key: .init())
        var records = try await store.allRecords()
        records[0].signature = try other.sign(entryHash: records[0].entryHash)
        let report = ChainVerifier.verify(records, publicKeyBase64: signer.publicKeyBase64)
        #expect(report.firstProblem?.reason.contains("signature") == true)
    }

    @Test(arguments: StoreKind.allCases) func erasureRemovesPersonalFieldsAndTheChainStillVerifies(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        let (store, signer, _) = try await fixture.consent()
        _ = try await store.append([submission("alice"), submission("bob"), submission("alice")], at: Date())
        #expect(try await store.erase(subject: "alice") == 2)
        #expect(try await store.records(subject: "alice").isEmpty)
        let all = try await store.allRecords()
        #expect(all.count == 3, "evidence stays")
        #expect(all.filter { $0.personal == nil }.count == 2)
        #expect(all[1].personal?.subject == "bob")
        #expect(ChainVerifier.verify(all, publicKeyBase64: signer.publicKeyBase64).isIntact)
    }

    @Test(arguments: StoreKind.allCases) func recordsAndKeySurviveARestart(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        let receipt: Receipt
        do {
            let (store, _, database) = try await fixture.consent()
            receipt = try await store.append([submission("s1", key: "restart")], at: Date())[0].record.receipt
            await database.close()
        }
        let (reopened, signer, _) = try await fixture.consent()
        let records = try await reopened.allRecords()
        #expect(records.map(\.receipt) == [receipt])
        #expect(ReceiptSigner.verify(signature: receipt.signature, entryHash: receipt.entryHash, publicKeyBase64: signer.publicKeyBase64))
        let next = try await reopened.append([submission("s2")], at: Date())[0].record
        #expect(next.evidence.sequence == 2)
        #expect(next.evidence.previousHash == receipt.entryHash)
    }

    @Test func theKeyFileIsPrivate() throws {
        let directory = TemporaryDirectory("redline-key")
        let keyPath = directory.subpath("data/receipt-key")
        _ = try ReceiptSigner.loadOrCreate(at: keyPath)
        let attributes = try FileManager.default.attributesOfItem(atPath: keyPath)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
    }

    @Test func uuidV7IsVersionSevenAndTimeOrdered() {
        let a = Canonical.uuidV7(milliseconds: 1_700_000_000_000), b = Canonical.uuidV7(milliseconds: 1_700_000_000_001)
        #expect(a.count == 36)
        #expect(Array(a)[14] == "7")
        #expect(a < b)
        // 8-4-4-4-12 lower-case hex, the variant bits 10xx, the time in the first 48 bits.
        #expect(a.split(separator: "-").map(\.count) == [8, 4, 4, 4, 12])
        #expect(a.hasPrefix("018bcfe5-6800-7"))
        #expect("89ab".contains(Array(a)[19]))
        #expect(a.allSatisfy { "0123456789abcdef-".contains($0) })
    }

    @Test func hexRoundTripsAndRejectsWhatIsNotHex() {
        let bytes: [UInt8] = [0x00, 0x0f, 0xa0, 0xff, 0x7e]
        #expect(Hex.encode(bytes) == "000fa0ff7e")
        #expect(Hex.decode("000fa0ff7e") == bytes)
        #expect(Hex.decode("000FA0FF7E") == bytes)
        #expect(Hex.decode("") == [])
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("0g") == nil)
        #expect(Hex.decode("é1") == nil)
    }

    @Test func randomBytesHaveTheAskedLengthAndDiffer() {
        #expect(Canonical.randomBytes(16).count == 16)
        #expect(Canonical.randomBytes(5).count == 5)
        #expect(Canonical.randomBytes(32) != Canonical.randomBytes(32))
    }
}
