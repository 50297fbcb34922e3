import Foundation
import RedlineTransparency

/// The consent chain seen as an RFC 6962 Merkle tree: leaf i is record i + 1's evidence JSON,
/// byte for byte as stored and hashed (its `entryHash` is the SHA-256 of the same bytes). The
/// records do not change: the tree is computed over whatever the chain holds, and grows as it
/// does. The store stays the single source of truth; this is a cache the server rebuilds at
/// start (a million records take a few seconds).
public actor ConsentMerkleLog {
    /// The log's name in checkpoints, e.g. `legal.example.com/consent`.
    public nonisolated let origin: String
    private let store: any ConsentStore
    private var tree = MerkleTree()

    public init(store: any ConsentStore, origin: String) {
        self.store = store
        self.origin = origin
    }

    /// Appends the records the tree has not seen yet.
    /// - Returns: the tree's size.
    @discardableResult
    public func catchUp() async throws -> Int {
        let page = 10_000
        while true {
            let rows = try await store.leaves(after: Int64(tree.size), limit: page)
            for (sequence, evidence) in rows {
                guard sequence == Int64(tree.size) + 1 else {
                    throw ConsentStoreError.corruptRow(sequence, "the chain skips from record \(tree.size) to \(sequence)")
                }
                tree.append(leafHash: .leaf(Data(evidence.utf8)))
            }
            if rows.count < page { return tree.size }
        }
    }

    public var size: Int { tree.size }

    public func root(size: Int) -> TreeHash { tree.root(size: size) }

    public func inclusionProof(index: Int, size: Int) -> [TreeHash] { tree.inclusionProof(index: index, size: size) }

    public func consistencyProof(old: Int, size: Int) -> [TreeHash] { tree.consistencyProof(old: old, size: size) }

    /// The log's name for a site: its host (and port, if any) and `/consent`, or nil when the
    /// base URL has no host.
    public static func origin(baseURL: String) -> String? {
        guard let url = URL(string: baseURL), let host = url.host, !host.isEmpty else { return nil }
        return host.lowercased() + (url.port.map { ":\($0)" } ?? "") + "/consent"
    }
}

extension ReceiptSigner {
    /// The receipt key as the signer of the log's checkpoints, named after the log.
    public func noteSigner(origin: String) throws -> NoteSigner {
        try NoteSigner(name: origin, type: .ed25519, key: privateKey)
    }

    /// The verifier key (`vkey`) of the log's checkpoints.
    public func logVerifier(origin: String) throws -> NoteVerifier {
        try noteSigner(origin: origin).verifier
    }
}

extension ReceiptKeyring.Key {
    /// This key as the verifier of the checkpoints of the log `origin`.
    public func logVerifier(origin: String) throws -> NoteVerifier {
        try NoteVerifier(name: origin, type: .ed25519, publicKey: Data(base64Encoded: publicKey) ?? Data())
    }
}

extension ReceiptKeyring {
    /// Every key of the keyring as a verifier of the log `origin`'s checkpoints: a log's history
    /// spans every key it was signed with.
    public func logVerifiers(origin: String) -> [NoteVerifier] {
        keys.compactMap { try? $0.logVerifier(origin: origin) }
    }
}
