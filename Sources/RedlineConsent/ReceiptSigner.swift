import RedlineManifest
import Crypto
import Foundation

/// Signs receipts and checkpoints with an Ed25519 key, created on first use (owner-only) with
/// its public half listed in the keyring beside it (`<key file>.pub`).
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
    /// For the log's checkpoint notes, which the same key signs in C2SP's format.
    var privateKey: Curve25519.Signing.PrivateKey { box.key }

    /// Loads the key at `path`, or creates it (readable by the owner only) when absent, and makes
    /// sure the keyring beside it lists it. A key made before keyrings existed is listed as valid
    /// from the first record.
    public static func loadOrCreate(at path: String) throws -> ReceiptSigner {
        let keyringPath = ReceiptKeyring.path(forPrivateKey: path)
        if FileManager.default.fileExists(atPath: path) {
            let signer = try load(at: path)
            if !FileManager.default.fileExists(atPath: keyringPath) {
                try ReceiptKeyring(keys: [.init(publicKey: signer.publicKeyBase64, validFrom: nil)]).write(to: keyringPath)
            }
            return signer
        }
        let key = Curve25519.Signing.PrivateKey()
        try FileManager.default.createPrivateParentDirectory(of: path)
        try SecureFile.replace(path, with: encoded(key), permissions: 0o600)
        let signer = ReceiptSigner(key: key)
        try ReceiptKeyring(keys: [.init(publicKey: signer.publicKeyBase64, validFrom: UTCTime.timestamp(Date()))]).write(to: keyringPath)
        return signer
    }

    /// Reads an existing key; creates nothing.
    public static func load(at path: String) throws -> ReceiptSigner {
        guard let data = FileManager.default.contents(atPath: path) else { throw ConsentStoreError.cannotReadKey(path) }
        guard let raw = Data(base64Encoded: String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw) else {
            throw ConsentStoreError.corruptKey(path)
        }
        return ReceiptSigner(key: key)
    }

    /// Replaces the key at `path` with a new one: the old key's validity ends now and the new
    /// one's begins, both listed in the keyring. The old private key is destroyed, so nobody
    /// can sign anything dated before now again.
    /// - Returns: the new signer and the keyring as it now stands.
    /// - Throws: ``ReceiptKeyLock/Busy`` while a server holds the key: it would go on signing
    ///   with the destroyed key, and every record it signed after now would fail verification.
    public static func rotate(at path: String, now: Date = Date()) throws -> (ReceiptSigner, ReceiptKeyring) {
        let lock = try ReceiptKeyLock.forRotation(keyPath: path)
        defer { withExtendedLifetime(lock) {} }
        let old = try load(at: path)
        let keyringPath = ReceiptKeyring.path(forPrivateKey: path)
        var keyring = (try? ReceiptKeyring.read(keyringPath)) ?? ReceiptKeyring(keys: [.init(publicKey: old.publicKeyBase64, validFrom: nil)])
        let timestamp = UTCTime.timestamp(now)
        for index in keyring.keys.indices where keyring.keys[index].validUntil == nil {
            keyring.keys[index].validUntil = timestamp
        }
        let key = Curve25519.Signing.PrivateKey()
        let signer = ReceiptSigner(key: key)
        keyring.keys.append(.init(publicKey: signer.publicKeyBase64, validFrom: timestamp))
        // The keyring first: a crash between the two writes leaves the old key working and listed.
        try keyring.write(to: keyringPath)
        try SecureFile.replace(path, with: encoded(key), permissions: 0o600)
        return (signer, keyring)
    }

    private static func encoded(_ key: Curve25519.Signing.PrivateKey) -> Data {
        Data((key.rawRepresentation.base64EncodedString() + "\n").utf8)
    }

    /// The public key, base64 of its 32 raw bytes, as published at /.well-known/redline-receipt-key.
    public var publicKeyBase64: String { box.publicKeyBase64 }

    public var keyId: String { ReceiptKeyring.Key.id(of: publicKeyBase64) }

    public func sign(entryHash: String) throws -> String {
        guard let digest = Hex.decode(entryHash) else { throw ConsentStoreError.malformedHash(entryHash) }
        return try key.signature(for: digest).base64EncodedString()
    }

    public func sign(_ data: Data) throws -> String {
        try key.signature(for: data).base64EncodedString()
    }

    public static func verify(signature: String, entryHash: String, publicKeyBase64: String) -> Bool {
        guard let digest = Hex.decode(entryHash) else { return false }
        return verify(signature: signature, data: Data(digest), publicKeyBase64: publicKeyBase64)
    }

    public static func verify(signature: String, data: Data, publicKeyBase64: String) -> Bool {
        guard let signatureData = Data(base64Encoded: signature),
              let keyData = Data(base64Encoded: publicKeyBase64),
              let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: keyData) else { return false }
        return publicKey.isValidSignature(signatureData, for: data)
    }
}

public enum ConsentStoreError: Error, CustomStringConvertible {
    case corruptKey(String)
    case cannotReadKey(String)
    case cannotLockKey(String, String)
    case malformedHash(String)
    case corruptRow(Int64, String)

    public var description: String {
        switch self {
        case let .corruptKey(path): return "\(path) is not a receipt key (base64 of 32 bytes)"
        case let .cannotReadKey(path): return "cannot read the receipt key at \(path)"
        case let .cannotLockKey(path, reason): return "cannot lock the receipt key with \(path): \(reason)"
        case let .malformedHash(hash): return "'\(hash)' is not a SHA-256 hex digest"
        case let .corruptRow(sequence, reason): return "record \(sequence): \(reason)"
        }
    }
}
