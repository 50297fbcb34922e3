import Crypto
import Foundation
import RedlineManifest

/// The one-click unsubscribe links (RFC 8058) of optional notices:
/// `<base>/notices/unsubscribe/<outbox id>.<MAC>`. The link names the message it came in, never
/// the user or the address, and only the server's secret makes one, so nobody can unsubscribe
/// someone else by guessing; a link stays good for as long as the secret and the message do.
public struct UnsubscribeLinks: Sendable {
    /// The path every link starts with; the server answers it.
    public static let path = "/notices/unsubscribe/"
    /// What a reviewer's test copy links to: a page that unsubscribes nobody.
    public static let testToken = "test"

    private let key: Data
    private let baseURL: String

    /// - Parameters:
    ///   - secret: the server's secret; the links' key is derived from it, so it keys nothing else.
    ///   - baseURL: the site's address, where the server answers `path`.
    public init(secret: Data, baseURL: String) {
        key = Data(HMAC<SHA256>.authenticationCode(for: Data("redline one-click unsubscribe v1".utf8), using: SymmetricKey(data: secret)))
        var base = baseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.baseURL = base
    }

    /// The link of outbox message `id` to `userId`; nil: a test copy's.
    public func url(outboxId id: Int64?, userId: String) -> String {
        baseURL + Self.path + (id.map { token(outboxId: $0, userId: userId) } ?? Self.testToken)
    }

    /// The message's number and 128 bits of MAC over it and its user: a link stays tied to the one
    /// person it was sent to, even should a rebuilt database number its messages anew.
    public func token(outboxId id: Int64, userId: String) -> String {
        "\(id)." + Hex.encode(mac(id, userId))
    }

    /// A link's token as read from a request: which message it names, and its MAC, not yet checked.
    public struct Token: Sendable {
        public let outboxId: Int64
        fileprivate let mac: [UInt8]

        /// nil for anything ``token(outboxId:userId:)`` cannot have written.
        public init?(_ text: String) {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 2, let id = Int64(parts[0]), id > 0, String(id) == parts[0],
                  let mac = Hex.decode(parts[1]), mac.count == 16 else { return nil }
            outboxId = id
            self.mac = mac
        }
    }

    /// Whether this server made `token` for the message's user `userId`.
    public func isValid(_ token: Token, userId: String) -> Bool {
        // Constant time: the comparison must not tell an attacker how much of a guess was right.
        zip(token.mac, mac(token.outboxId, userId)).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private func mac(_ id: Int64, _ userId: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Data("\(id)\u{0}\(userId)".utf8), using: SymmetricKey(data: key)).prefix(16))
    }
}
