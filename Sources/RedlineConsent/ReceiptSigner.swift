import Crypto
import Foundation

/// Signs receipts with an Ed25519 key kept next to the database, created on first use.
public struct ReceiptSigner: Sendable {
    private let box: KeyBox

    /// Holds the key once: deriving it from its seed for every signature doubled the cost of
    /// signing. The key is immutable and BoringSSL's signing is thread-safe, hence unchecked.
    private final class KeyBox: @unchecked Sendable {
        let key: Curve25519.Signing.PrivateKey
        let publicKeyBase64: String
        init(_ key: Curve25519.Signing.PrivateKey) {
            self.key = key
            publicKeyBase64 = key.publicKey.rawRepresentation.base64EncodedString()
        }
    }

    public init(key: Curve25519.Signing.PrivateKey) {
        box = KeyBox(key)
    }

    private var key: Curve25519.Signing.PrivateKey { box.key }

    /// Loads the key at `path`, or creates it (readable by the owner only) when absent.
    public static func loadOrCreate(at path: String) throws -> ReceiptSigner {
        let fileManager = FileManager.default
        if let data = fileManager.contents(atPath: path) {
            guard let raw = Data(base64Encoded: String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw ConsentStoreError.corruptKey(path)
            }
            return ReceiptSigner(key: try Curve25519.Signing.PrivateKey(rawRepresentation: raw))
        }
        let key = Curve25519.Signing.PrivateKey()
        try fileManager.createParentDirectory(of: path)
        guard fileManager.createFile(atPath: path, contents: Data((key.rawRepresentation.base64EncodedString() + "\n").utf8),
                                     attributes: [.posixPermissions: 0o600]) else {
            throw ConsentStoreError.cannotWriteKey(path)
        }
        return ReceiptSigner(key: key)
    }

    /// The public key, base64 of its 32 raw bytes, as published at /.well-known/redline-receipt-key.
    public var publicKeyBase64: String { box.publicKeyBase64 }

    public func sign(entryHash: String) throws -> String {
        guard let digest = Canonical.hexBytes(entryHash) else { throw ConsentStoreError.malformedHash(entryHash) }
        return try key.signature(for: digest).base64EncodedString()
    }

    public static func verify(signature: String, entryHash: String, publicKeyBase64: String) -> Bool {
        guard let signatureData = Data(base64Encoded: signature), let digest = Canonical.hexBytes(entryHash),
              let keyData = Data(base64Encoded: publicKeyBase64),
              let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: keyData) else { return false }
        return publicKey.isValidSignature(signatureData, for: digest)
    }
}

public enum ConsentStoreError: Error, CustomStringConvertible {
    case corruptKey(String)
    case cannotWriteKey(String)
    case malformedHash(String)
    case corruptRow(Int64, String)

    public var description: String {
        switch self {
        case let .corruptKey(path): return "\(path) is not a receipt key (base64 of 32 bytes)"
        case let .cannotWriteKey(path): return "cannot write the receipt key at \(path)"
        case let .malformedHash(hash): return "'\(hash)' is not a SHA-256 hex digest"
        case let .corruptRow(sequence, reason): return "record \(sequence): \(reason)"
        }
    }
}
