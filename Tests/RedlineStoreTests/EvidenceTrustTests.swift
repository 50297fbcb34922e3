import Foundation
import GRDB
import RedlineConsent
import RedlineStores
import RedlineTestSupport
import Testing

/// What `consent verify` must catch beyond a changed record: a cut tail, a moved record, a
/// history re-signed with a newer key, a receipt that no longer matches, in either store; and
/// the SQLite store's durability settings and read-only opening.
@Suite struct EvidenceTrustTests {
    func submission(_ subject: String) -> ConsentSubmission {
        ConsentSubmission(event: nil, method: .custom, granted: ["necessary"], denied: ["marketing"],
                          policies: [PolicyReference(id: "privacy", version: "2026-06-01", sha256: String(repeating: "a", count: 64))],
                          notice: NoticeReference(version: "n1", locale: "en-GB"), gpc: GPCSignal(sent: false, honoured: false),
                          idempotencyKey: nil, personal: PersonalFields(subject: subject))
    }

    /// A store with `count` records, and a checkpoint signed over all of them.
    func storeWithCheckpoint(_ fixture: StoreFixture, _ count: Int) async throws -> (any ConsentStore, ReceiptSigner, Checkpoint) {
        let (store, signer, _) = try await fixture.consent()
        _ = try await store.append((1...count).map { submission("s\($0)") }, at: Date())
        let head = try #require(try await store.head())
        return (store, signer, try Checkpoint.make(sequence: head.sequence, headHash: head.entryHash, time: Date(), signer: signer))
    }

    /// Verifies the rows as stored: for SQLite through the read-only file `consent verify` opens.
    func verify(_ fixture: StoreFixture, _ store: any ConsentStore, checkpoints: [Checkpoint]) async throws -> ChainVerifier.Report {
        let keyring = try ReceiptKeyring.read(ReceiptKeyring.path(forPrivateKey: fixture.keyPath))
        let rows = fixture.kind == .sqlite ? try EvidenceFile(path: fixture.db).rows() : try await store.allStoredRows()
        return ChainVerifier.verify(rows, keyring: keyring, checkpoints: checkpoints)
    }

    /// Removes the records after `sequence` as an attacker would: on PostgreSQL, the chain head row too.
    func cut(_ fixture: StoreFixture, after sequence: Int) async throws {
        try await fixture.execute("DELETE FROM consent_record WHERE sequence > \(sequence)")
        if fixture.kind == .postgres {
            try await fixture.execute("""
                UPDATE chain_head SET sequence = \(sequence),
                    entry_hash = COALESCE((SELECT entry_hash FROM consent_record WHERE sequence = \(sequence)), '\(ConsentEvidence.genesisHash)')
                """)
        }
    }

    @Test func everyConnectionCommitsWithFullSyncAndTheFilesAreTheOwnersOnly() async throws {
        let directory = TemporaryDirectory("redline-trust")
        let databasePath = directory.subpath("data/redline.sqlite"), keyPath = directory.subpath("keys/receipt-key")
        let database = try RedlineDatabase.open(path: databasePath)
        #expect(try RedlineDatabase.synchronousLevel(database) == 2)
        let signer = try ReceiptSigner.loadOrCreate(at: keyPath)
        _ = try await SQLiteConsentStore(database: database, signer: signer).append([submission("s1")], at: Date())
        for path in [databasePath, databasePath + "-wal", databasePath + "-shm", keyPath] {
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(path) is \(String(mode ?? 0, radix: 8))")
        }
    }

    @Test(arguments: StoreKind.allCases, [1, 3, 6])
    func cuttingTheTailIsCaughtByTheCheckpoint(kind: StoreKind, cut count: Int) async throws {
        let fixture = try StoreFixture(kind)
        let (store, _, checkpoint) = try await storeWithCheckpoint(fixture, 6)
        #expect(try await verify(fixture, store, checkpoints: [checkpoint]).isIntact)
        try await cut(fixture, after: 6 - count)
        #expect(try await verify(fixture, store, checkpoints: []).isIntact, "without a checkpoint a shorter chain is still a valid chain")
        let report = try await verify(fixture, store, checkpoints: [checkpoint])
        #expect(report.firstProblem?.reason.contains("records were cut from the end") == true, "\(String(describing: report.firstProblem))")
    }

    @Test(arguments: StoreKind.allCases) func aForgedOrRewrittenCheckpointIsCaught(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        let (store, _, checkpoint) = try await storeWithCheckpoint(fixture, 3)
        var forged = checkpoint
        forged.sequence = 2
        #expect(try await verify(fixture, store, checkpoints: [forged]).firstProblem?.reason.contains("not signed") == true)
        // Records removed and the chain extended again: same length, another head.
        try await cut(fixture, after: 2)
        _ = try await store.append([submission("s9")], at: Date())
        #expect(try await verify(fixture, store, checkpoints: [checkpoint]).firstProblem?.reason.contains("the chain was rewritten") == true)
    }

    @Test(arguments: StoreKind.allCases) func movingARecordToAnotherSubjectIsCaught(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        let (store, _, _) = try await storeWithCheckpoint(fixture, 3)
        try await fixture.execute("UPDATE consent_record SET subject = 's3' WHERE sequence = 1")
        let report = try await verify(fixture, store, checkpoints: [])
        #expect(report.firstProblem?.sequence == 1)
        #expect(report.firstProblem?.reason.contains("moved to another subject") == true)
        #expect(try await store.records(subject: "s3").count == 2, "the server's own lookups use the column, which is why it is checked")
    }

    @Test(arguments: StoreKind.allCases, [
        ("UPDATE consent_record SET personal_json = NULL, subject = NULL WHERE sequence = 2", "erased_at is not set"),
        ("UPDATE consent_record SET personal_json = NULL, erased_at = '2026-01-01T00:00:00.000Z' WHERE sequence = 2", "moved to a subject"),
        ("UPDATE consent_record SET idempotency_key_digest = 'abc' WHERE sequence = 2", "idempotency_key_digest"),
        ("UPDATE consent_record SET record_id = 'other' WHERE sequence = 2", "record_id"),
        ("UPDATE consent_record SET evidence_json = replace(evidence_json, '}', ',\"extra\":1}') WHERE sequence = 2", "canonical form"),
    ])
    func everyColumnThatCarriesMeaningIsChecked(kind: StoreKind, tamper: (sql: String, reason: String)) async throws {
        let (sql, reason) = tamper
        let fixture = try StoreFixture(kind)
        let (store, _, _) = try await storeWithCheckpoint(fixture, 3)
        try await fixture.execute(sql)
        let report = try await verify(fixture, store, checkpoints: [])
        #expect(report.firstProblem?.sequence == 2)
        #expect(report.firstProblem?.reason.contains(reason) == true, "\(String(describing: report.firstProblem))")
    }

    @Test(arguments: StoreKind.allCases) func aRotatedKeyVerifiesOldAndNewRecordsButCannotResignHistory(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        let (store, oldSigner, _) = try await storeWithCheckpoint(fixture, 3)
        let (newSigner, keyring) = try ReceiptSigner.rotate(at: fixture.keyPath, now: Date())
        #expect(keyring.keys.count == 2 && keyring.keys[0].validUntil != nil && keyring.keys[1].validUntil == nil)
        #expect(try ReceiptSigner.load(at: fixture.keyPath).publicKeyBase64 == newSigner.publicKeyBase64)
        #expect(oldSigner.publicKeyBase64 != newSigner.publicKeyBase64)
        let rotated = try await fixture.open().consentStore(signer: newSigner)
        try await Task.sleep(for: .milliseconds(5))
        _ = try await rotated.append([submission("s4")], at: Date())
        #expect(try await verify(fixture, store, checkpoints: []).isIntact, "records before the rotation check with the old key, after it with the new")

        // Whoever holds the new key re-signs the old records: the key was not in use when they were made.
        for record in try await store.allRecords().prefix(3) {
            let signature = try newSigner.sign(entryHash: record.entryHash)
            try await fixture.execute("UPDATE consent_record SET signature = '\(signature)', key_id = '\(newSigner.keyId)' WHERE sequence = \(record.evidence.sequence)")
        }
        let report = try await verify(fixture, store, checkpoints: [])
        #expect(report.firstProblem?.sequence == 1)
        #expect(report.firstProblem?.reason.contains("was \(oldSigner.keyId)") == true, "\(String(describing: report.firstProblem))")
    }

    @Test(arguments: StoreKind.allCases) func aReceiptProvesItsRecordUntilTheRecordChanges(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        let (store, signer, _) = try await fixture.consent()
        let receipts = try await store.append((1...3).map { submission("s\($0)") }, at: Date()).map(\.record.receipt)
        #expect(receipts.map(\.sequence) == [1, 2, 3])
        #expect(receipts.allSatisfy { $0.keyId == signer.keyId })
        let keyring = try ReceiptKeyring.read(ReceiptKeyring.path(forPrivateKey: fixture.keyPath))
        let rows = try await store.allStoredRows()
        #expect(ChainVerifier.check(receipts[1], rows: rows, keyring: keyring) == nil)
        var altered = receipts[1]
        altered.sequence = 3
        #expect(ChainVerifier.check(altered, rows: rows, keyring: keyring)?.contains("not \(receipts[1].receiptId)") == true)
        try await fixture.execute("UPDATE consent_record SET evidence_json = replace(evidence_json, '\"custom\"', '\"accept-all\"') WHERE sequence = 2")
        let tampered = try await store.allStoredRows()
        #expect(ChainVerifier.check(receipts[1], rows: tampered, keyring: keyring)?.contains("was changed") == true)
    }

    @Test func openingForVerificationWritesNothingAndRefusesOtherFiles() async throws {
        let fixture = try StoreFixture(.sqlite)
        let directory = fixture.directory, databasePath = fixture.db
        _ = try await storeWithCheckpoint(fixture, 2)
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
