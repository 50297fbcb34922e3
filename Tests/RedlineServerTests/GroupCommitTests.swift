import Foundation
import Hummingbird
import HummingbirdTesting
import RedlineConsent
import RedlineStores
import RedlineTestSupport
import Synchronization
import Testing
@testable import RedlineServer

/// A store that holds its first transaction open until released, and remembers batch sizes.
final class GatedStore: ConsentStore, @unchecked Sendable {
    let inner: any ConsentStore
    let batches = Mutex<[Int]>([])
    let gate = AsyncStream<Void>.makeStream()

    init(inner: any ConsentStore) { self.inner = inner }

    func append(_ submissions: [ConsentSubmission], at time: Date) async throws -> [AppendResult] {
        let isFirst = batches.withLock { batches in batches.append(submissions.count); return batches.count == 1 }
        if isFirst { for await _ in gate.stream { break } }
        return try await inner.append(submissions, at: time)
    }
    func records(subject: String) async throws -> [ConsentRecord] { try await inner.records(subject: subject) }
    func erase(subject: String) async throws -> Int { try await inner.erase(subject: subject) }
    func allRecords() async throws -> [ConsentRecord] { try await inner.allRecords() }
    func checkReadable() async throws { try await inner.checkReadable() }
    func head() async throws -> (sequence: Int64, entryHash: String)? { try await inner.head() }
    func entryHash(sequence: Int64) async throws -> String? { try await inner.entryHash(sequence: sequence) }
    func storedRows(after sequence: Int64, limit: Int) async throws -> [EvidenceFile.Row] { try await inner.storedRows(after: sequence, limit: limit) }
    func storedRow(recordId: String) async throws -> EvidenceFile.Row? { try await inner.storedRow(recordId: recordId) }
    func leaves(after sequence: Int64, limit: Int) async throws -> [(sequence: Int64, evidenceJSON: String)] { try await inner.leaves(after: sequence, limit: limit) }
    func appendNotices(_ leaves: [NoticeLeaf], at time: Date) async throws -> [NoticeAppendResult] { try await inner.appendNotices(leaves, at: time) }
}

@Suite struct GroupCommitTests {
    @Test func requestsThatArriveDuringACommitShareTheNextTransaction() async throws {
        let directory = TemporaryDirectory("redline-group-commit")
        let signer = try ReceiptSigner.loadOrCreate(at: directory.subpath("key"))
        let store = GatedStore(inner: SQLiteConsentStore(database: try RedlineDatabase.open(path: directory.subpath("db.sqlite")), signer: signer))
        let writer = GroupCommitWriter(store: store)
        let loop = Task { await writer.runLoop(logger: .init(label: "test")) }

        func submission(_ subject: String) -> ConsentSubmission {
            ConsentSubmission(event: nil, method: .api, granted: ["necessary"], denied: [], policies: [], notice: nil,
                              gpc: GPCSignal(sent: false, honoured: false), idempotencyKey: nil, personal: PersonalFields(subject: subject))
        }
        try await withThrowingTaskGroup(of: AppendResult.self) { group in
            group.addTask { try await writer.submit(submission("first")) }
            do {
                // Generous: other tests may keep both cooperative threads busy for a while.
                try await waitFor { store.batches.withLock { $0.count } == 1 }
            } catch {
                // Open the gate before failing: the group waits for its children, and the first
                // one would otherwise wait behind the gate for ever.
                store.gate.continuation.yield()
                throw error
            }
            for index in 0..<20 { group.addTask { try await writer.submit(submission("s\(index)")) } }
            // Let all twenty queue up behind the open transaction, then release it.
            try await Task.sleep(for: .milliseconds(200))
            store.gate.continuation.yield()
            var created = 0
            for try await result in group where result.created { created += 1 }
            #expect(created == 21)
        }
        #expect(store.batches.withLock { $0 } == [1, 20])
        let records = try await store.allRecords()
        #expect(ChainVerifier.verify(records, publicKeyBase64: signer.publicKeyBase64).isIntact)
        await writer.close()
        await loop.value
    }

    @Test func aLiveServerRecordsConcurrentRequestsOverARealSocket() async throws {
        let fixture = try ServerFixture()
        fixture.settings.port = 0
        fixture.settings.rateLimitPerMinute = 0
        let (app, parts) = try await fixture.makeApp()
        try await app.testLive { client in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<40 {
                    group.addTask { Int(try await client.postConsent(consentBody(subject: "live-\(index)", key: "k\(index)")).status.code) }
                }
                var statuses: [Int] = []
                for try await status in group { statuses.append(status) }
                #expect(statuses.allSatisfy { $0 == 201 })
            }
            let page = try await client.execute(uri: "/privacy/", method: .get)
            #expect(page.status == .ok)
            #expect(page.headers[.xContentTypeOptions] == "nosniff")
        }
        let records = try await parts.store.allRecords()
        #expect(records.count == 40)
        #expect(ChainVerifier.verify(records, publicKeyBase64: parts.signer.publicKeyBase64).isIntact)
    }
}
