import Crypto
import Foundation

/// The two kinds of C2SP signed-note signature Redline makes and checks.
public enum NoteSignatureType: UInt8, Sendable {
    /// An Ed25519 signature over the note text (c2sp.org/signed-note): the log's checkpoint signature.
    case ed25519 = 0x01
    /// A timestamped Ed25519 cosignature (c2sp.org/tlog-cosignature): a witness's.
    case cosignature = 0x04
}

/// A public key a note signature is checked with, written as a C2SP verifier key ("vkey"):
/// `<name>+<8 hex digits of key ID>+<base64(type byte || 32-byte public key)>`.
public struct NoteVerifier: Sendable, Equatable, CustomStringConvertible {
    public let name: String
    public let type: NoteSignatureType
    public let publicKey: Data
    public var keyID: UInt32 { Self.keyID(name: name, type: type, publicKey: publicKey) }

    public init(name: String, type: NoteSignatureType, publicKey: Data) throws {
        guard Self.isValidName(name) else { throw NoteError("'\(name)' is not a key name: it must be non-empty, without spaces or '+'") }
        guard publicKey.count == 32 else { throw NoteError("an Ed25519 public key has 32 bytes, not \(publicKey.count)") }
        self.name = name
        self.type = type
        self.publicKey = publicKey
    }

    /// Parses a vkey, checking that its key ID is the one its name and key give.
    public init(vkey: String) throws {
        // Two '+' end the name and the key ID; base64 may hold more.
        let parts = vkey.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[1].count == 8, let id = UInt32(parts[1], radix: 16),
              let material = Data(base64Encoded: String(parts[2])), let typeByte = material.first else {
            throw NoteError("'\(vkey)' is not a verifier key (name+keyid+base64)")
        }
        guard let type = NoteSignatureType(rawValue: typeByte) else {
            throw NoteError("verifier key \(parts[0]) has signature type \(typeByte); Redline knows 1 (Ed25519) and 4 (Ed25519 cosignature)")
        }
        try self.init(name: String(parts[0]), type: type, publicKey: material.dropFirst())
        guard keyID == id else { throw NoteError("verifier key \(name) says key ID \(parts[1]), but its key gives \(Self.hex(keyID))") }
    }

    public var vkey: String { "\(name)+\(Self.hex(keyID))+\((Data([type.rawValue]) + publicKey).base64EncodedString())" }
    public var description: String { vkey }

    /// SHA-256(name || 0x0A || type || public key)[:4], big-endian (c2sp.org/signed-note).
    public static func keyID(name: String, type: NoteSignatureType, publicKey: Data) -> UInt32 {
        let digest = SHA256.hash(data: Data(name.utf8) + [0x0A, type.rawValue] + publicKey)
        return BigEndian.integer(Array(digest))
    }

    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && !name.contains("+") && !name.unicodeScalars.contains { $0.properties.isWhitespace || $0.value < 0x20 }
    }

    static func hex(_ id: UInt32) -> String { String(format: "%08x", id) }

    /// Whether `signature` (the bytes after the key ID) is this key's over `text`.
    func verify(_ signature: Data, text: Data) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return false }
        switch type {
        case .ed25519:
            return key.isValidSignature(signature, for: text)
        case .cosignature:
            guard signature.count == 72, let timestamp = Cosignature.timestamp(signature) else { return false }
            return key.isValidSignature(signature.dropFirst(8), for: Cosignature.message(timestamp: timestamp, text: text))
        }
    }
}

/// A private key that signs notes under `name`. The key is immutable and BoringSSL's signing
/// is thread-safe, hence unchecked (swift-crypto's key type is not marked Sendable).
public struct NoteSigner: @unchecked Sendable {
    public let name: String
    public let type: NoteSignatureType
    private let key: Curve25519.Signing.PrivateKey

    public init(name: String, type: NoteSignatureType, key: Curve25519.Signing.PrivateKey) throws {
        guard NoteVerifier.isValidName(name) else { throw NoteError("'\(name)' is not a key name: it must be non-empty, without spaces or '+'") }
        self.name = name
        self.type = type
        self.key = key
    }

    public var verifier: NoteVerifier {
        // The name was checked at init and the key is 32 bytes, so this cannot fail.
        try! NoteVerifier(name: name, type: type, publicKey: key.publicKey.rawRepresentation)
    }

    /// The signature line for `text` (a note's text, ending in a newline).
    public func sign(_ text: Data, at time: Date = Date()) throws -> NoteSignature {
        let bytes: Data
        switch type {
        case .ed25519:
            bytes = try key.signature(for: text)
        case .cosignature:
            let timestamp = UInt64(max(0, time.timeIntervalSince1970.rounded(.down)))
            bytes = Cosignature.encode(timestamp) + (try key.signature(for: Cosignature.message(timestamp: timestamp, text: text)))
        }
        return NoteSignature(name: name, keyID: verifier.keyID, signature: bytes)
    }
}

/// The timestamped form of c2sp.org/tlog-cosignature (Ed25519, `cosignature/v1`).
public enum Cosignature {
    /// What a witness signs: a fixed header, the time, then the checkpoint's text.
    static func message(timestamp: UInt64, text: Data) -> Data {
        Data("cosignature/v1\ntime \(timestamp)\n".utf8) + text
    }

    static func encode(_ timestamp: UInt64) -> Data {
        BigEndian.bytes(timestamp)
    }

    /// The time a cosignature (8 bytes of time, then the signature) was made; nil past 2^63 - 1.
    public static func timestamp(_ signature: Data) -> UInt64? {
        guard signature.count >= 8 else { return nil }
        let value: UInt64 = BigEndian.integer(signature)
        return value <= UInt64(Int64.max) ? value : nil
    }
}

public struct NoteError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
