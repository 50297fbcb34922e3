import Crypto
import Foundation

/// Every receipt key ever used, public halves only, each with the time it signed from and
/// until: what `/.well-known/redline-receipt-keys` publishes and what `consent verify` checks
/// each record and checkpoint against. Kept beside the private key as `<key file>.pub`.
///
/// Rotation retires the old private key for good, so whoever holds the new one cannot sign
/// records dated before the rotation: a re-signed history fails against the published validity.
public struct ReceiptKeyring: Codable, Sendable, Equatable {
    public struct Key: Codable, Sendable, Equatable {
        /// First 16 hex digits of the SHA-256 of the raw public key.
        public var keyId: String
        public var algorithm: String
        /// Base64 of the 32 raw bytes.
        public var publicKey: String
        /// The key signs records whose `occurredAt` is at or after this (nil: from the first record).
        public var validFrom: String?
        /// ... and before this (nil: still in use).
        public var validUntil: String?

        public init(publicKey: String, validFrom: String?, validUntil: String? = nil) {
            keyId = Self.id(of: publicKey)
            algorithm = "Ed25519"
            self.publicKey = publicKey
            self.validFrom = validFrom
            self.validUntil = validUntil
        }

        public static func id(of publicKeyBase64: String) -> String {
            String(Canonical.sha256Hex(Data(base64Encoded: publicKeyBase64) ?? Data()).prefix(16))
        }

        /// Whether the key was in use at `timestamp` (a `UTCTime.timestamp`, so text order is time order).
        public func covers(_ timestamp: String) -> Bool {
            (validFrom.map { $0 <= timestamp } ?? true) && (validUntil.map { timestamp < $0 } ?? true)
        }
    }

    public var keys: [Key]

    public init(keys: [Key]) {
        self.keys = keys
    }

    /// The key in use at `timestamp`, or nil when none was.
    public func key(at timestamp: String) -> Key? {
        keys.last { $0.covers(timestamp) }
    }

    public var current: Key? { keys.last { $0.validUntil == nil } }

    // MARK: Files

    /// `<private key file>.pub`.
    public static func path(forPrivateKey keyPath: String) -> String { keyPath + ".pub" }

    public static func read(_ path: String) throws -> ReceiptKeyring {
        guard let data = FileManager.default.contents(atPath: path) else { throw KeyringError.unreadable(path) }
        do {
            let keyring = try JSONDecoder().decode(ReceiptKeyring.self, from: data)
            guard !keyring.keys.isEmpty, keyring.keys.allSatisfy({ Data(base64Encoded: $0.publicKey)?.count == 32 }) else {
                throw KeyringError.invalid(path, "it lists no key, or a key that is not 32 bytes of base64")
            }
            return keyring
        } catch let error as KeyringError {
            throw error
        } catch {
            throw KeyringError.invalid(path, "\(error)")
        }
    }

    public func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data()
    }

    public func write(to path: String) throws {
        try SecureFile.replace(path, with: json() + Data("\n".utf8), permissions: 0o644)
    }
}

public enum KeyringError: Error, CustomStringConvertible {
    case unreadable(String)
    case invalid(String, String)

    public var description: String {
        switch self {
        case let .unreadable(path): return "\(path): cannot read the receipt keys"
        case let .invalid(path, reason): return "\(path) is not a receipt key list: \(reason)"
        }
    }
}
