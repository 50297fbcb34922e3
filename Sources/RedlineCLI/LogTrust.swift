import Foundation
import RedlineConsent
import RedlineServer
import RedlineTransparency

/// What a verifier trusts of the transparency log, from the command line: the log's key (a
/// vkey, or base64 keys named after the log's origin), the witnesses' keys and the quorum.
struct LogTrust {
    var logKeys: [NoteVerifier]
    var witnesses: [NoteVerifier]
    var quorum: Int

    /// `--witness-key` values; `--quorum` (default: every witness given).
    static func witnesses(_ vkeys: [String], quorum: Int?) throws -> (keys: [NoteVerifier], quorum: Int) {
        let keys = try vkeys.map { vkey in
            do {
                let key = try NoteVerifier(vkey: vkey)
                guard key.type == .cosignature else { throw UsageError("--witness-key \(key.name) is not a cosignature key (type 4)") }
                return key
            } catch let error as NoteError { throw UsageError("--witness-key: \(error)") }
        }
        let quorum = quorum ?? keys.count
        guard quorum >= 0, quorum <= keys.count else { throw UsageError("--quorum \(quorum) needs at least \(quorum) --witness-key") }
        return (keys, quorum)
    }

    /// The log's keys for `origin`: a vkey is taken as it is (its name must be the origin),
    /// base64 keys and keyrings are named after the origin.
    static func logKeys(publicKey: String?, keyring: ReceiptKeyring?, origin: String) throws -> [NoteVerifier] {
        if let publicKey, publicKey.contains("+") {
            let key: NoteVerifier
            do { key = try NoteVerifier(vkey: publicKey) } catch let error as NoteError { throw UsageError("--public-key: \(error)") }
            return [key]
        }
        if let publicKey {
            guard let raw = Data(base64Encoded: publicKey), raw.count == 32 else {
                throw UsageError("--public-key is neither a verifier key (name+id+key) nor base64 of 32 bytes")
            }
            return [try NoteVerifier(name: origin, type: .ed25519, publicKey: raw)]
        }
        return keyring?.logVerifiers(origin: origin) ?? []
    }

    /// Reads a file, or stops with a usage error naming it.
    static func read(_ path: String, what: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw UsageError("\(path): cannot read the \(what)") }
        return String(decoding: data, as: UTF8.self)
    }
}

extension NoteError: UserFacingError {}
extension CatalogError: UserFacingError {}
