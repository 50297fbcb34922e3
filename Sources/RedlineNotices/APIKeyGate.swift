import Foundation
import HummingbirdBcrypt
import RedlineConsent
import Synchronization

/// Makes API keys and checks presented ones with bcrypt, whichever database keeps them.
/// Keys that passed bcrypt once are remembered (by SHA-256) so that bcrypt's deliberate
/// slowness is paid once per key and process, not on every request; the store still checks
/// revocation each time, since it looks the key up before asking here. Every other check runs
/// through one ``KeyCheckBudget``: the only place bcrypt compares a presented key.
package final class APIKeyGate: Sendable {
    private let verifiedKeys = Mutex<[String: Int64]>([:])
    private let bcryptCost: UInt8
    private let standIn = Mutex<String?>(nil)
    private let budget: KeyCheckBudget

    package init(bcryptCost: UInt8, limits: KeyCheckBudget.Limits = .init()) {
        self.bcryptCost = bcryptCost
        budget = KeyCheckBudget(limits: limits)
    }

    /// A new key: `rlk_<8 hex>_<40 hex>`. The prefix finds the row; the last four characters tell keys apart in a list.
    package func newKey() -> (key: String, prefix: String, hint: String, hash: String) {
        let prefix = "rlk_" + Canonical.randomHex(bytes: 4)
        let key = prefix + "_" + Canonical.randomHex(bytes: 20)
        return (key, prefix, String(key.suffix(4)), Bcrypt.hash(key, cost: bcryptCost))
    }

    /// The prefix to look a presented key up by, or nil when it is not shaped like a key.
    package func prefix(of presented: String) -> String? {
        let parts = presented.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "rlk", presented.utf8.count <= 72 else { return nil }
        return "\(parts[0])_\(parts[1])"
    }

    package func isProven(_ presented: String) -> Bool {
        let fingerprint = Canonical.sha256Hex(Data(presented.utf8))
        return verifiedKeys.withLock { $0[fingerprint] != nil }
    }

    /// Whether `presented` is the live key `found` (its row and bcrypt hash, nil when the store
    /// has no such live key). Only a key proven before and still live costs nothing; every other
    /// one, a revoked key that was once proven included, pays one bcrypt check through the
    /// budget of `client` (``KeyCheckRefused`` when it is spent), against a stand-in hash when
    /// there is no such key: a wrong prefix, a wrong secret, a revoked and a malformed key take
    /// the same time.
    package func check(_ presented: String, against found: (info: APIKeyInfo, hash: String)?, client: String) async throws -> APIKeyInfo? {
        let fingerprint = Canonical.sha256Hex(Data(presented.utf8))
        let proven = verifiedKeys.withLock { $0[fingerprint] }
        if let found, proven == found.info.id { return found.info }
        // Revoked (or its row replaced) since it was proven: it is a stranger again.
        if proven != nil { verifiedKeys.withLock { _ = $0.removeValue(forKey: fingerprint) } }
        let candidate = String(presented.prefix(72))
        let hash = found?.hash
        let verified = try await budget.run(client: client) { [self] in Bcrypt.verify(candidate, hash: hash ?? standInHash()) }
        guard let found, verified else { return nil }
        verifiedKeys.withLock { $0[fingerprint] = found.info.id }
        return found.info
    }

    /// Whether a key last used at `lastUsedAt` should be stamped again: at most once a minute
    /// per key, so a busy client does not mean a write per request. (Timestamps are fixed-width UTC, so they compare as strings.)
    package static func isStale(_ lastUsedAt: String?, now: Date) -> Bool {
        lastUsedAt.map { $0 < UTCTime.timestamp(now.addingTimeInterval(-60)) } ?? true
    }

    /// A bcrypt hash of a random secret at the cost real keys use: nothing matches it. Made on
    /// first need (it costs as much as a check, and runs on the budget's queue), then kept.
    private func standInHash() -> String {
        standIn.withLock { cached in
            if let cached { return cached }
            let hash = Bcrypt.hash(Canonical.randomHex(bytes: 20), cost: bcryptCost)
            cached = hash
            return hash
        }
    }
}
