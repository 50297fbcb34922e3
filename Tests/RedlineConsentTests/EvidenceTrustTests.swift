import Foundation
import GRDB
import RedlineTestSupport
import Testing
@testable import RedlineConsent

/// What `consent verify` must catch beyond a changed record: a cut tail, a moved record, a
/// history re-signed with a newer key, a receipt that no longer matches; and the store's
/// durability settings as SQLite reports them.
@Suite struct EvidenceTrustTests {
    let directory = TemporaryDirectory("redline-trust")
    var databasePath: String { directory.subpath("data/redline.sqlite") }
    var keyPath: String { directory.subpath("keys/receipt-key") }

    func submission(_ subject: String) -> ConsentSubmission {
        ConsentSubmission(event: nil, method: .custom, granted: ["necessary"], denied: ["marketing"],
                          policies: [PolicyReference(id: "privacy", version: "2026-06-01", sha256: String(repeating: "a", count: 64))],
                          notice: NoticeReference(version: "n1", locale: "en-GB"), gpc: GPCSignal(sent: false, honoured: false),
                          idempotencyKey: nil, personal: PersonalFields(subject: subject))
    }

    /// A store with `count` records, and a checkpoint signed over all of them.
    func storeWithCheckpoint(_ count: Int) async throws -> (SQLiteConsentStore, ReceiptSigner, Checkpoint) {
        let signer = try ReceiptSigner.loadOrCreate(at: keyPath)
        let store = try SQLiteConsentStore(path: databasePath, signer: signer)
        _ = try await store.append((1...count).map { submission("s\($0)") }, at: Date())
        let head = try #require(try await store.head())
        return (store, signer, try Checkpoint.make(sequence: head.sequence, headHash: head.entryHash, time: Date(), signer: signer))
    }

    func verify(checkpoints: [Checkpoint]) throws -> ChainVerifier.Report {
        let keyring = try ReceiptKeyring.read(ReceiptKeyring.path(forPrivateKey: keyPath))
        return ChainVerifier.verify(try EvidenceFile(path: databasePath).rows(), keyring: keyring, checkpoints: checkpoints)
    }

    @Test func everyConnectionCommitsWithFullSyncAndTheFilesAreTheOwnersOnly() async throws {
        let database = try RedlineDatabase.open(path: databasePath)
        #expect(try RedlineDatabase.synchronousLevel(database) == 2)
        let signer = try ReceiptSigner.loadOrCreate(at: keyPath)
        _ = try await SQLiteConsentStore(database: database, signer: signer).append([submission("s1")], at: Date())
        for path in [databasePath, databasePath + "-wal", databasePath + "-shm", keyPath] {
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(path) is \(String(mode ?? 0, radix: 8))")
        }
    }

    @Test(arguments: [1, 3, 6])
    func cuttingTheTailIsCaughtByTheCheckpoint(cut: Int) async throws {
        let (store, _, checkpoint) = try await storeWithCheckpoint(6)
        #expect(try verify(checkpoints: [checkpoint]).isIntact)
        try await store.unsafeExecute("DELETE FROM consent_record WHERE sequence > \(6 - cut)")
        #expect(try verify(checkpoints: []).isIntact, "without a checkpoint a shorter chain is still a valid chain")
        let report = try verify(checkpoints: [checkpoint])
        #expect(report.firstProblem?.reason.contains("records were cut from the end") == true, "\(String(describing: report.firstProblem))")
    }

    @Test func aForgedOrRewrittenCheckpointIsCaught() async throws {
        let (store, _, checkpoint) = try await storeWithCheckpoint(3)
        var forged = checkpoint
        forged.sequence = 2
        #expect(try verify(checkpoints: [forged]).firstProblem?.reason.contains("not signed") == true)
        // Records removed and the chain extended again: same length, another head.
        try await store.unsafeExecute("DELETE FROM consent_record WHERE sequence = 3")
        _ = try await store.append([submission("s9")], at: Date())
        #expect(try verify(checkpoints: [checkpoint]).firstProblem?.reason.contains("the chain was rewritten") == true)
    }

    @Test func movingARecordToAnotherSubjectIsCaught() async throws {
        let (store, _, _) = try await storeWithCheckpoint(3)
        try await store.unsafeExecute("UPDATE consent_record SET subject = 's3' WHERE sequence = 1")
        let report = try verify(checkpoints: [])
        #expect(report.firstProblem?.sequence == 1)
        #expect(report.firstProblem?.reason.contains("moved to another subject") == true)
        #expect(try await store.records(subject: "s3").count == 2, "the server's own lookups use the column, which is why it is checked")
    }

    @Test(arguments: [
        ("UPDATE consent_record SET personal_json = NULL, subject = NULL WHERE sequence = 2", "erased_at is not set"),
        ("UPDATE consent_record SET personal_json = NULL, erased_at = '2026-01-01T00:00:00.000Z' WHERE sequence = 2", "moved to a subject"),
        ("UPDATE consent_record SET idempotency_key_digest = 'abc' WHERE sequence = 2", "idempotency_key_digest"),
        ("UPDATE consent_record SET record_id = 'other' WHERE sequence = 2", "record_id"),
        ("UPDATE consent_record SET evidence_json = replace(evidence_json, '}', ',\"extra\":1}') WHERE sequence = 2", "canonical form"),
    ])
    func everyColumnThatCarriesMeaningIsChecked(sql: String, reason: String) async throws {
        let (store, _, _) = try await storeWithCheckpoint(3)
        try await store.unsafeExecute(sql)
        let report = try verify(checkpoints: [])
        #expect(report.firstProblem?.sequence == 2)
        #expect(report.firstProblem?.reason.contains(reason) == true, "\(String(describing: report.firstProblem))")
    }

    @Test func aRotatedKeyVerifiesOldAndNewRecordsButCannotResignHistory() async throws {
        let (store, oldSigner, _) = try await storeWithCheckpoint(3)
        let (newSigner, keyring) = try ReceiptSigner.rotate(at: keyPath, now: Date())
        #expect(keyring.keys.count == 2 && keyring.keys[0].validUntil != nil && keyring.keys[1].validUntil == nil)
        #expect(try ReceiptSigner.load(at: keyPath).publicKeyBase64 == newSigner.publicKeyBase64)
        #expect(oldSigner.publicKeyBase64 != newSigner.publicKeyBase64)
        let rotated = SQLiteConsentStore(database: try RedlineDatabase.open(path: databasePath), signer: newSigner)
        try await Task.sleep(for: .milliseconds(5))
        _ = try await rotated.append([submission("s4")], at: Date())
        #expect(try verify(checkpoints: []).isIntact, "records before the rotation check with the old key, after it with the new")

        // Whoever holds the new key re-signs the old records: the key was not in use when they were made.
        for record in try await store.allRecords().prefix(3) {
            let signature = try newSigner.sign(entryHash: record.entryHash)
            try await store.unsafeExecute("UPDATE consent_record SET signature = '\(signature)', key_id = '\(newSigner.keyId)' WHERE sequence = \(record.evidence.sequence)")
        }
        let report = try verify(checkpoints: [])
        #expect(report.firstProblem?.sequence == 1)
        #expect(report.firstProblem?.reason.contains("was \(oldSigner.keyId)") == true, "\(String(describing: report.firstProblem))")
    }

    @Test func aReceiptProvesItsRecordUntilTheRecordChanges() async throws {
        let signer = try ReceiptSigner.loadOrCreate(at: keyPath)
        let store = try SQLiteConsentStore(path: databasePath, signer: signer)
        let receipts = try await store.append((1...3).map { submission("s\($0)") }, at: Date()).map(\.record.receipt)
        #expect(receipts.map(\.sequence) == [1, 2, 3])
        #expect(receipts.allSatisfy { $0.keyId == signer.keyId })
        let keyring = try ReceiptKeyring.read(ReceiptKeyring.path(forPrivateKey: keyPath))
        let rows = try EvidenceFile(path: databasePath).rows()
        #expect(ChainVerifier.check(receipts[1], rows: rows, keyring: keyring) == nil)
        var altered = receipts[1]
        altered.sequence = 3
        #expect(ChainVerifier.check(altered, rows: rows, keyring: keyring)?.contains("not \(receipts[1].receiptId)") == true)
        try await store.unsafeExecute("UPDATE consent_record SET evidence_json = replace(evidence_json, '\"custom\"', '\"accept-all\"') WHERE sequence = 2")
        let tampered = try EvidenceFile(path: databasePath).rows()
        #expect(ChainVerifier.check(receipts[1], rows: tampered, keyring: keyring)?.contains("was changed") == true)
    }

    @Test func openingForVerificationWritesNothingAndRefusesOtherFiles() async throws {
        _ = try await storeWithCheckpoint(2)
        let before = try FileManager.default.contentsOfDirectory(atPath: directory.subpath("data")).sorted()
        _ = try EvidenceFile(path: databasePath).rows()
        let after = try FileManager.default.contentsOfDirectory(atPath: directory.subpath("data")).sorted()
        #expect(after == before, "before: \(before), after: \(after)")

        directory.write("notes.txt", "not a database at all, just some words in a file that is long enough")
        #expect(throws: EvidenceFile.OpenError.self) { try EvidenceFile(path: directory.subpath("notes.txt")) }
        let other = try DatabaseQueue(path: directory.subpath("other.sqlite"))
        try await other.write { try $0.execute(sql: "CREATE TABLE t (x)") }
        #expect(throws: EvidenceFile.OpenError.self) { try EvidenceFile(path: directory.subpath("other.sqlite")) }
        #expect(throws: EvidenceFile.OpenError.self) { try EvidenceFile(path: directory.subpath("missing.sqlite")) }
        #expect(!directory.exists("missing.sqlite"))
    }
}
