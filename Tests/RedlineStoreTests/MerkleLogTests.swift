import Crypto
import Foundation
import RedlineConsent
import RedlineStores
import RedlineTestSupport
import RedlineTransparency
import Testing

/// The Merkle log over the chain, in either store: the tree is the records' evidence JSON exactly
/// as stored, checkpoints of it verify against the records, and a rewritten, cut or unwitnessed
/// log is named by `verifyTree`.
@Suite struct MerkleLogTests {
    let origin = "legal.example.com/consent"

    func submission(_ subject: String) -> ConsentSubmission {
        ConsentSubmission(event: nil, method: .custom, granted: ["necessary"], denied: ["marketing"],
                          policies: [PolicyReference(id: "privacy", version: "2026-06-01", sha256: String(repeating: "a", count: 64))],
                          notice: NoticeReference(version: "n1", locale: "en-GB"), gpc: GPCSignal(sent: false, honoured: false),
                          idempotencyKey: nil, personal: PersonalFields(subject: subject))
    }

    @Test(arguments: StoreKind.allCases) func proofsFromTheStoreVerifyAndATamperedRecordBreaksTheTree(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        let (store, signer, _) = try await fixture.consent()
        let results = try await store.append((1...9).map { submission("s\($0)") }, at: Date())
        let log = ConsentMerkleLog(store: store, origin: origin)
        #expect(try await log.catchUp() == 9)
        let noteSigner = try signer.noteSigner(origin: origin)
        let early = try LogCheckpoint(origin: origin, size: 4, root: await log.root(size: 4), signer: noteSigner)
        let late = try LogCheckpoint(origin: origin, size: 9, root: await log.root(size: 9), signer: noteSigner)

        // A receipt's proof: the stored row, found by its receipt id, under the checkpoint's root.
        let row = try #require(try await store.storedRow(recordId: results[6].record.evidence.recordId))
        let proof = TlogProof(extra: Data(row.evidenceJSON.utf8), index: 6, path: await log.inclusionProof(index: 6, size: 9), checkpoint: late)
        try TlogProof(parsing: proof.text).verify(log: try signer.logVerifier(origin: origin))
        #expect(Canonical.sha256Hex(Data(row.evidenceJSON.utf8)) == results[6].record.entryHash, "the leaf is what entryHash hashes")

        let keyring = try ReceiptKeyring.read(ReceiptKeyring.path(forPrivateKey: fixture.keyPath))
        let rows = try await store.allStoredRows()
        #expect(ChainVerifier.verifyTree(rows, keyring: keyring, checkpoints: [early, late], policy: .init()) == nil)

        // Record 6 rewritten (and, as a key holder could, every hash and signature after it redone):
        // the checkpoint of 9 no longer matches, the one of 4 still does, so the change is among 5–9.
        try await fixture.execute("UPDATE consent_record SET evidence_json = replace(evidence_json, 'marketing', 'analytics') WHERE sequence = 6")
        let rewritten = try await store.allStoredRows()
        let problem = try #require(ChainVerifier.verifyTree(rewritten, keyring: keyring, checkpoints: [early, late], policy: .init()))
        #expect(problem.reason.contains("a record among 5–9"), "\(problem)")
        // Cut: the checkpoint of 9 saw more than the log holds.
        #expect(ChainVerifier.verifyTree(Array(rows.prefix(7)), keyring: keyring, checkpoints: [late], policy: .init())?
            .reason.contains("cut from the end") == true)
    }

    @Test func aQuorumNeedsCosignedCheckpointsThatCoverTheLog() async throws {
        let fixture = try StoreFixture(.sqlite)
        let (store, signer, _) = try await fixture.consent()
        _ = try await store.append((1...5).map { submission("s\($0)") }, at: Date())
        let rows = try await store.allStoredRows()
        let keyring = try ReceiptKeyring.read(ReceiptKeyring.path(forPrivateKey: fixture.keyPath))
        let tree = MerkleTree(leafHashes: rows.map { TreeHash.leaf(Data($0.evidenceJSON.utf8)) })
        let witness = try NoteSigner(name: "witness.example/w1", type: .cosignature, key: Curve25519.Signing.PrivateKey())
        var three = try LogCheckpoint(origin: origin, size: 3, root: tree.root(size: 3), signer: try signer.noteSigner(origin: origin))
        three.add(try witness.sign(Data(three.note.text.utf8)))
        let five = try LogCheckpoint(origin: origin, size: 5, root: tree.root(size: 5), signer: try signer.noteSigner(origin: origin))
        let policy = ChainVerifier.TreePolicy(witnesses: [witness.verifier], quorum: 1)
        #expect(ChainVerifier.verifyTree(rows, keyring: keyring, checkpoints: [], policy: policy)?.reason.contains("no checkpoint") == true)
        #expect(ChainVerifier.verifyTree(rows, keyring: keyring, checkpoints: [three, five], policy: policy)?.reason.contains("records 4–5 are not covered") == true)
        var cosignedFive = five
        cosignedFive.add(try witness.sign(Data(five.note.text.utf8)))
        #expect(ChainVerifier.verifyTree(rows, keyring: keyring, checkpoints: [three, cosignedFive], policy: policy) == nil)
    }

    @Test func theNotesFileKeepsEveryCheckpointAndMergesLaterCosignatures() throws {
        let directory = TemporaryDirectory("redline-notes")
        let path = directory.subpath("log.notes")
        let log = try NoteSigner(name: origin, type: .ed25519, key: Curve25519.Signing.PrivateKey())
        let witness = try NoteSigner(name: "witness.example/w1", type: .cosignature, key: Curve25519.Signing.PrivateKey())
        let root = TreeHash.leaf(Data("r".utf8))
        var first = try LogCheckpoint(origin: origin, size: 1, root: root, signer: log)
        try CheckpointNotes.append(first, to: path)
        try CheckpointNotes.append(try LogCheckpoint(origin: origin, size: 2, root: root, signer: log), to: path)
        first.add(try witness.sign(Data(first.note.text.utf8)))
        try CheckpointNotes.append(first, to: path)
        let (checkpoints, problems) = try CheckpointNotes.read(path)
        #expect(problems.isEmpty && checkpoints.map(\.size) == [1, 2])
        #expect(try checkpoints[0].cosigners(among: [witness.verifier]) == [witness.verifier])
        // A damaged entry is reported with its line, the rest still read.
        try (String(contentsOfFile: path, encoding: .utf8) + "garbage\n\n\u{2014} x y\n").write(toFile: path, atomically: true, encoding: .utf8)
        let (again, damaged) = try CheckpointNotes.read(path)
        #expect(again.count == 2 && damaged.count == 1 && damaged[0].contains("log.notes:"))
    }
}
