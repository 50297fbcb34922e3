import Foundation
import Testing
@testable import RedlineTransparency

@Suite struct MerkleTreeTests {
    /// The leaves of RFC 6962's test vectors, as Certificate Transparency's implementations test them.
    static let vectorLeaves: [[UInt8]] = [[], [0x00], [0x10], [0x20, 0x21], [0x30, 0x31], [0x40, 0x41, 0x42, 0x43],
                                          Array(0x50...0x57), Array(0x60...0x6f)]
    static let vectorRoots = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77", "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4", "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c", "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]

    static func tree(_ count: Int) -> MerkleTree {
        MerkleTree(leafHashes: (0..<count).map { TreeHash.leaf(Data("leaf \($0)".utf8)) })
    }

    @Test func rootsMatchTheRFC6962TestVectorsAtEverySize() {
        let tree = MerkleTree(leafHashes: Self.vectorLeaves.map { TreeHash.leaf($0) })
        for size in 1...8 { #expect(tree.root(size: size).hex == Self.vectorRoots[size - 1], "size \(size)") }
        #expect(tree.root(size: 0).hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func everyInclusionProofVerifiesAndNoOtherLeafOrIndexPasses() {
        let tree = Self.tree(40)
        for size in 1...40 {
            let root = tree.root(size: size)
            for index in 0..<size {
                let proof = tree.inclusionProof(index: index, size: size)
                #expect(MerkleProof.verifyInclusion(leaf: tree.leafHash(at: index), index: index, size: size, proof: proof, root: root))
                if size > 1 {
                    let other = (index + 1) % size
                    #expect(!MerkleProof.verifyInclusion(leaf: tree.leafHash(at: other), index: index, size: size, proof: proof, root: root))
                    #expect(!MerkleProof.verifyInclusion(leaf: tree.leafHash(at: index), index: other, size: size, proof: proof, root: root))
                    #expect(!MerkleProof.verifyInclusion(leaf: tree.leafHash(at: index), index: index, size: size, proof: Array(proof.dropLast()), root: root))
                }
            }
        }
    }

    @Test func everyConsistencyProofVerifiesAndATamperedOneDoesNot() {
        let tree = Self.tree(33)
        for size in 1...33 {
            for old in 1...size {
                let proof = tree.consistencyProof(old: old, size: size)
                #expect(MerkleProof.verifyConsistency(oldSize: old, oldRoot: tree.root(size: old), newSize: size, newRoot: tree.root(size: size), proof: proof),
                        "\(old) → \(size)")
                if !proof.isEmpty {
                    var tampered = proof
                    tampered[tampered.count / 2] = .leaf(Data("forged".utf8))
                    #expect(!MerkleProof.verifyConsistency(oldSize: old, oldRoot: tree.root(size: old), newSize: size, newRoot: tree.root(size: size), proof: tampered))
                }
                if old < size {
                    // A different old tree of the same size (a rewritten past) is not consistent.
                    let rewritten = MerkleTree(leafHashes: (0..<old).map { TreeHash.leaf(Data("other \($0)".utf8)) })
                    #expect(!MerkleProof.verifyConsistency(oldSize: old, oldRoot: rewritten.root(size: old), newSize: size, newRoot: tree.root(size: size), proof: proof))
                }
            }
        }
    }

    @Test func aTreeOfAMillionLeavesGivesShortProofs() {
        let tree = Self.tree(1 << 20)
        let proof = tree.inclusionProof(index: 123_456, size: tree.size)
        #expect(proof.count == 20)
        #expect(MerkleProof.verifyInclusion(leaf: tree.leafHash(at: 123_456), index: 123_456, size: tree.size, proof: proof, root: tree.root(size: tree.size)))
    }
}
