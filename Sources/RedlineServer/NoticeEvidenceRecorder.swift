import Crypto
import Foundation
import RedlineConsent
import RedlineManifest
import RedlineNotices
import Synchronization

/// Turns each final delivery outcome into a notice record of the consent log: the campaign, a
/// keyed hash of the user id, the SHA-256 of the exact message and of the redline page it
/// links, and the mail server's reply.
final class NoticeEvidenceRecorder: Sendable {
    let consents: any ConsentStore
    /// The server's secret: what the recipient ids are keyed with (`notify verify` uses it too).
    let secret: Data
    let siteDirectory: String
    /// SHA-256 of each campaign's redline page, read once.
    private let redlines = Mutex<[Int64: String?]>([:])

    init(consents: any ConsentStore, secret: Data, siteDirectory: String) {
        self.consents = consents
        self.secret = secret
        self.siteDirectory = siteDirectory
    }

    func leaf(for item: OutboxItem, outcome: NoticeOutcome, message: [UInt8], reply: String?) -> NoticeLeaf {
        NoticeLeaf(campaign: item.campaignId, document: item.content.document, version: item.content.version, effective: item.content.effective,
                   recipient: NoticeEvidence.recipient(userId: item.userId, secret: secret), outcome: outcome, locale: item.locale,
                   messageSHA256: Hex.encode(SHA256.hash(data: message)), redlineSHA256: redlineHash(item), reply: reply)
    }

    /// The built redline page the notice links to, hashed as served; nil when the site lacks it.
    private func redlineHash(_ item: OutboxItem) -> String? {
        if let known = redlines.withLock({ $0[item.campaignId] }) { return known }
        let hash = Self.pagePath(of: item.content.changesUrl, in: siteDirectory)
            .flatMap { FileManager.default.contents(atPath: $0) }
            .map { Hex.encode(SHA256.hash(data: $0)) }
        redlines.withLock { $0[item.campaignId] = .some(hash) }
        return hash
    }

    /// The file under the site folder a page URL is served from (`/a/b/` → `a/b/index.html`);
    /// nil for anything that would leave the folder.
    static func pagePath(of url: String, in site: String) -> String? {
        // URLComponents keeps a trailing slash, which URL.path drops on Linux.
        guard let path = URLComponents(string: url)?.path, !path.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }) else { return nil }
        let relative = path.hasSuffix("/") || path.isEmpty ? path + "index.html" : path
        return site + "/" + relative.drop { $0 == "/" }
    }
}
