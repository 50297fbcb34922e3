import Crypto
import Foundation
import Testing
@testable import RedlineTransparency

@Suite struct NoteTests {
    let log = try! NoteSigner(name: "legal.example.com/consent", type: .ed25519, key: Curve25519.Signing.PrivateKey())
    let witness = try! NoteSigner(name: "witness.example/w1", type: .cosignature, key: Curve25519.Signing.PrivateKey())

    @Test func verifierKeysRoundTripAndAWrongKeyIDIsRefused() throws {
        let vkey = log.verifier.vkey
        #expect(try NoteVerifier(vkey: vkey) == log.verifier)
        let parts = vkey.split(separator: "+", maxSplits: 2)
        let wrongID = "\(parts[0])+00000000+\(parts[2])"
        #expect(throws: NoteError.self) { try NoteVerifier(vkey: wrongID) }
        #expect(throws: NoteError.self) { try NoteVerifier(vkey: "no key") }
    }

    /// The example key and note of c2sp.org/signed-note, as golang.org/x/mod/sumdb/note tests it.
    @Test func theSpecificationsExampleNoteVerifies() throws {
        let verifier = try NoteVerifier(vkey: "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
        let note = try SignedNote(parsing: "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n\n\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n")
        #expect(try note.verifiedSigners([verifier]) == [verifier])
    }

    @Test func aCheckpointRoundTripsAndATamperedOneFails() throws {
        let root = TreeHash.leaf(Data("x".utf8))
        var checkpoint = try LogCheckpoint(origin: log.name, size: 7, root: root, signer: log)
        checkpoint.add(try witness.sign(Data(checkpoint.note.text.utf8), at: Date(timeIntervalSince1970: 1_800_000_000)))
        let parsed = try LogCheckpoint(parsing: checkpoint.text)
        #expect(parsed == checkpoint && parsed.size == 7 && parsed.root == root)
        try parsed.verify(log: log.verifier)
        #expect(try parsed.cosigners(among: [witness.verifier]) == [witness.verifier])
        #expect(parsed.note.cosignatureTime(by: witness.verifier) == 1_800_000_000)

        let forged = checkpoint.text.replacingOccurrences(of: "\n7\n", with: "\n8\n")
        #expect(throws: NoteError.self) { try LogCheckpoint(parsing: forged).verify(log: log.verifier) }
        let otherLog = try NoteSigner(name: "other.example/consent", type: .ed25519, key: Curve25519.Signing.PrivateKey())
        #expect(throws: NoteError.self) { try parsed.verify(log: otherLog.verifier) }
        // A cosignature by a key nobody listed is ignored, not counted.
        let stranger = try NoteSigner(name: "stranger.example", type: .cosignature, key: Curve25519.Signing.PrivateKey())
        #expect(try parsed.cosigners(among: [stranger.verifier]).isEmpty)
    }

    @Test func aTlogProofRoundTripsAndVerifiesAlone() throws {
        let leaves = (0..<11).map { Data("{\"sequence\":\($0 + 1)}".utf8) }
        let tree = MerkleTree(leafHashes: leaves.map { TreeHash.leaf($0) })
        var checkpoint = try LogCheckpoint(origin: log.name, size: 11, root: tree.root(size: 11), signer: log)
        checkpoint.add(try witness.sign(Data(checkpoint.note.text.utf8)))
        let proof = TlogProof(extra: leaves[4], index: 4, path: tree.inclusionProof(index: 4, size: 11), checkpoint: checkpoint)
        let parsed = try TlogProof(parsing: proof.text)
        #expect(parsed == proof)
        #expect(try parsed.verify(log: log.verifier, witnesses: [witness.verifier], quorum: 1) == [witness.verifier])

        let otherLeaf = proof.text.replacingOccurrences(of: leaves[4].base64EncodedString(), with: leaves[5].base64EncodedString())
        #expect(throws: NoteError.self) { try TlogProof(parsing: otherLeaf).verify(log: log.verifier) }
        let secondWitness = try NoteSigner(name: "witness.example/w2", type: .cosignature, key: Curve25519.Signing.PrivateKey())
        #expect(throws: NoteError.self) { try parsed.verify(log: log.verifier, witnesses: [witness.verifier, secondWitness.verifier], quorum: 2) }
    }
}
