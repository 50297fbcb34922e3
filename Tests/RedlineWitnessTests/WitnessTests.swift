import Crypto
import Foundation
import Testing
@testable import RedlineTransparency
@testable import RedlineWitness

@Suite struct WitnessTests {
    let log = try! NoteSigner(name: "legal.example.com/consent", type: .ed25519, key: Curve25519.Signing.PrivateKey())
    let witnessKey = try! NoteSigner(name: "witness.example/w1", type: .cosignature, key: Curve25519.Signing.PrivateKey())
    let folder: String

    init() throws {
        folder = NSTemporaryDirectory() + "witness-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    var statePath: String { folder + "/state.json" }

    func witness() throws -> Witness { try Witness(signer: witnessKey, logs: [log.verifier], statePath: statePath) }

    static func tree(_ leaves: [String]) -> MerkleTree { MerkleTree(leafHashes: leaves.map { TreeHash.leaf(Data($0.utf8)) }) }

    func request(_ tree: MerkleTree, size: Int, old: Int, signer: NoteSigner? = nil) throws -> String {
        let checkpoint = try LogCheckpoint(origin: log.name, size: size, root: tree.root(size: size), signer: signer ?? log)
        return AddCheckpointRequest(oldSize: old, proof: tree.consistencyProof(old: old, size: size), checkpoint: checkpoint).body
    }

    @Test func cosignsConsistentGrowthOnlyAndRemembersAcrossRestarts() async throws {
        let tree = Self.tree((1...20).map { "record \($0)" })
        let first = await (try witness()).addCheckpoint(try request(tree, size: 5, old: 0))
        #expect(first.status == 200)
        let signature = try #require(NoteSignature(line: first.body.dropLast()))
        let checkpoint = try LogCheckpoint(parsing: try request(tree, size: 5, old: 0).components(separatedBy: "\n\n").dropFirst().joined(separator: "\n\n"))
        #expect(SignedNote(text: checkpoint.note.text, signatures: [signature]).cosignatureTime(by: witnessKey.verifier) != nil)

        // A new process reads the state: the old size must be 5 now.
        let restarted = try witness()
        let stale = await restarted.addCheckpoint(try request(tree, size: 9, old: 0))
        #expect(stale.status == 409 && stale.contentType == "text/x.tlog.size" && stale.body == "5\n")
        #expect(await restarted.addCheckpoint(try request(tree, size: 9, old: 5)).status == 200)
        #expect(await restarted.head(of: log.name)?.size == 9)
    }

    @Test func aRewrittenLogIsRefusedAndKeptAsEvidence() async throws {
        let witness = try self.witness()
        let honest = Self.tree((1...12).map { "record \($0)" })
        #expect(await witness.addCheckpoint(try request(honest, size: 8, old: 0)).status == 200)
        // Record 3 rewritten, everything re-signed with the log's own key.
        var leaves = (1...12).map { "record \($0)" }
        leaves[2] = "record 3, rewritten"
        let forged = Self.tree(leaves)
        let answer = await witness.addCheckpoint(try request(forged, size: 12, old: 8))
        #expect(answer.status == 422)
        // The same size with another root: a split view.
        let split = await witness.addCheckpoint(try request(forged, size: 8, old: 8))
        #expect(split.status == 409)
        // A smaller tree: the log was cut.
        #expect(await witness.addCheckpoint(try request(honest, size: 6, old: 6)).status == 409)
        let evidence = try String(contentsOfFile: WitnessState.evidencePath(forState: statePath), encoding: .utf8)
        #expect(evidence.contains("rewritten") && evidence.contains("split view") && evidence.contains("was cut"))
        #expect(await witness.head(of: log.name)?.size == 8, "nothing refused moved the witness")
    }

    @Test func unknownLogsForeignKeysAndGarbageAreRefusedWithTheSpecifiedStatus() async throws {
        let witness = try self.witness()
        let tree = Self.tree(["a", "b", "c"])
        let stranger = try NoteSigner(name: "legal.example.com/consent", type: .ed25519, key: Curve25519.Signing.PrivateKey())
        #expect(await witness.addCheckpoint(try request(tree, size: 3, old: 0, signer: stranger)).status == 403)
        let otherLog = try NoteSigner(name: "other.example/consent", type: .ed25519, key: Curve25519.Signing.PrivateKey())
        let foreign = try LogCheckpoint(origin: otherLog.name, size: 3, root: tree.root(size: 3), signer: otherLog)
        #expect(await witness.addCheckpoint(AddCheckpointRequest(oldSize: 0, proof: [], checkpoint: foreign).body).status == 404)
        #expect(await witness.addCheckpoint("hello").status == 400)
        let shrunk = try LogCheckpoint(origin: log.name, size: 2, root: tree.root(size: 2), signer: log)
        #expect(await witness.addCheckpoint(AddCheckpointRequest(oldSize: 3, proof: [], checkpoint: shrunk).body).status == 400)
        #expect(await witness.addCheckpoint(String(repeating: "x", count: 200_000)).status == 400)
        #expect(!FileManager.default.fileExists(atPath: statePath), "nothing was cosigned, so nothing was written")
    }
}
