import RedlineManifest
import Crypto
import Foundation
import RedlineConsent

/// What may be kept of a client's IP address. By default nothing: the address is used in
/// memory for rate limiting and dropped. Operators may opt in to a truncated address
/// (IPv4 /24, IPv6 /48) or to a keyed hash that can match one address but not reveal it.
public enum AddressRetention: String, Sendable, CaseIterable {
    case drop
    case truncate
    case hash

    /// The value to store for `address`, or nil to store none.
    public func token(for address: String?, key: Data) -> String? {
        guard let address, !address.isEmpty else { return nil }
        switch self {
        case .drop:
            return nil
        case .truncate:
            return Self.truncated(address)
        case .hash:
            let mac = HMAC<SHA256>.authenticationCode(for: Data(address.utf8), using: SymmetricKey(data: key))
            return "hmac-sha256:" + Hex.encode(mac)
        }
    }

    static func truncated(_ address: String) -> String {
        if address.contains(":") {
            let groups = address.split(separator: ":", omittingEmptySubsequences: false).prefix(3)
            return groups.joined(separator: ":") + "::/48"
        }
        let octets = address.split(separator: ".")
        guard octets.count == 4 else { return "unknown" }
        return octets.prefix(3).joined(separator: ".") + ".0/24"
    }
}

/// A 32-byte key for hashing addresses, created next to the database on first start.
/// Kept as bytes: Crypto's key type is not Sendable.
public enum LocalSecret {
    /// Reads the secret, never creating it: for commands that check what the server keyed with it.
    public static func read(at path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path),
              let raw = Data(base64Encoded: String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
              raw.count == 32 else {
            throw ServerSetupError("\(path): cannot read the server's secret (base64 of 32 bytes), which keys the notice records' recipient ids")
        }
        return raw
    }

    static func loadOrCreate(at path: String) throws -> Data {
        if FileManager.default.fileExists(atPath: path) {
            // Never replaced: hashes made with it would stop matching.
            guard let data = FileManager.default.contents(atPath: path),
                  let raw = Data(base64Encoded: String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
                  raw.count == 32 else {
                throw ServerSetupError("\(path) is not a Redline secret key (base64 of 32 bytes); move it aside or fix it")
            }
            return raw
        }
        let key = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        try SecureFile.replace(path, with: Data((key.base64EncodedString() + "\n").utf8), permissions: 0o600)
        return key
    }
}

/// The browser family from a User-Agent, never the full string (it fingerprints people).
enum BrowserFamily {
    static func of(_ userAgent: String?) -> String? {
        guard let agent = userAgent, !agent.isEmpty else { return nil }
        let ordered: [(String, String)] = [("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("HeadlessChrome/", "Chrome"),
                                           ("Chrome/", "Chrome"), ("Chromium/", "Chrome"), ("Safari/", "Safari"), ("curl/", "curl")]
        return ordered.first { agent.contains($0.0) }?.1 ?? "other"
    }
}

public struct ServerSetupError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
