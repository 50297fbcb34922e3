import Crypto
import Foundation
import RedlineConsent
import RedlineMail
import RedlineManifest
import Synchronization

/// Writes the change notice one recipient gets. The delivery worker and a reviewer's test
/// send use the same composer, so a test copy is the message a user would get, marked as a test.
public struct NoticeComposer: Sendable {
    let templates: NoticeTemplates
    let from: MailAddress
    /// The published manifest: what a campaign made before campaigns kept their translations reads.
    let manifest: @Sendable () -> Manifest
    /// The server's secret, which signs optional notices' unsubscribe links; nil (in tests): every
    /// link is a test copy's, which unsubscribes nobody.
    let unsubscribeSecret: Data?
    /// A campaign's text is the same for every user of a locale: rendered once, not per message.
    private let rendered = RenderCache()

    public init(templates: NoticeTemplates, from: MailAddress, manifest: @escaping @Sendable () -> Manifest, unsubscribeSecret: Data? = nil) {
        self.templates = templates
        self.from = from
        self.manifest = manifest
        self.unsubscribeSecret = unsubscribeSecret
    }

    /// - Parameter outboxId: the outbox message this is, which an optional notice's unsubscribe link names.
    public func message(campaign: Int64, content: CampaignDraft, userId: String, locale: String, to: MailAddress, test: Bool = false,
                        outboxId: Int64? = nil) -> MailMessage {
        let manifest = manifest()
        let site = manifest.site
        let notices = site.notices
        // A user whose language the version is translated into reads about, and is sent to, that text:
        // as the campaign copied it, so a message re-sent after a rebuild says what the first one said.
        let translation = Self.translation(of: content, for: locale, manifest: manifest)
        let language = translation == nil ? site.language : locale
        var notice = NoticeContent(siteTitle: content.siteTitle, documentTitle: translation?.title ?? content.documentTitle,
                                   effective: content.effective, summary: translation?.summary ?? content.summary,
                                   changesUrl: translation?.changesUrl ?? content.changesUrl, versionUrl: translation?.url ?? content.versionUrl,
                                   contact: notices?.contact, isTest: test)
        notice.isOptional = content.optional
        notice.unsubscribeUrl = content.optional ? NoticeTemplates.unsubscribePlaceholder : nil
        let text = test ? templates.render(notice, locale: language)
                        : rendered.value(campaign: campaign, locale: locale) { templates.render(notice, locale: language) }
        let messageID = test ? "test-\(campaign)-\(Canonical.randomHex(bytes: 8))@\(from.domain)"
                             : Self.messageID(campaign: campaign, userId: userId, domain: from.domain)
        // The language the text is really in: the locale's templates when they exist, else the site's.
        var message = MailMessage(from: from, to: to, subject: text.subject, date: Date(), messageID: messageID,
                                  language: text.language ?? site.language, text: text.text, html: text.html,
                                  replyTo: notices?.replyTo.flatMap { MailAddress(parsing: $0) }, isTest: test)
        message.listID = Self.listID(siteTitle: content.siteTitle, domain: from.domain)
        if content.optional { offerUnsubscribe(in: &message, outboxId: test ? nil : outboxId, userId: userId, baseURL: site.baseURL) }
        return message
    }

    /// An optional notice's one-click unsubscribe: in the headers for the reader's mail program
    /// (RFC 8058), and in the text where the templates put `{{unsubscribeUrl}}`.
    private func offerUnsubscribe(in message: inout MailMessage, outboxId: Int64?, userId: String, baseURL: String) {
        let links = UnsubscribeLinks(secret: unsubscribeSecret ?? Data(), baseURL: baseURL)
        let link = links.url(outboxId: unsubscribeSecret == nil ? nil : outboxId, userId: userId)
        message.text = message.text.replacingOccurrences(of: NoticeTemplates.unsubscribePlaceholder, with: link)
        message.html = message.html.replacingOccurrences(of: NoticeTemplates.unsubscribePlaceholder, with: link)
        message.listUnsubscribe = link
    }

    /// The translation a reader of `locale` gets: the campaign's copy; for a campaign made before
    /// campaigns kept one, the published manifest's. Without one the whole message is in the site's
    /// language: a body in the reader's around an English title and summary would mix two.
    static func translation(of content: CampaignDraft, for locale: String, manifest: Manifest) -> CampaignDraft.Translation? {
        if content.translations != nil { return content.translation(for: locale) }
        return Day(content.version).flatMap { manifest.document(content.document)?.version($0) }?.translation(for: locale)
    }

    /// `Parcelbird Legal: legal notices <legal-notices.parcelbird.example>`: one list per sender domain.
    static func listID(siteTitle: String, domain: String) -> String {
        // The id must stay plain ASCII (an encoded word would swallow it), so the name is kept to ASCII too.
        let name = String(siteTitle.unicodeScalars.filter { $0.value >= 0x20 && $0.value < 0x7F && !"<>\"=?".unicodeScalars.contains($0) })
            .trimmingCharacters(in: .whitespaces)
        return "\(name.isEmpty ? "" : name + ": ")legal notices <legal-notices.\(domain)>"
    }

    /// Derived from (campaign, user) alone, so a message sent again is recognisably the same.
    public static func messageID(campaign: Int64, userId: String, domain: String) -> String {
        "notice-\(campaign)-\(userDigest(userId))@\(domain)"
    }

    /// What a notice's Message-ID says of its user: 16 hex digits of the SHA-256 of the user id.
    public static func userDigest(_ userId: String) -> String {
        Hex.encode(SHA256.hash(data: Data(userId.utf8)).prefix(8))
    }

    /// The campaign and the user digest a ``messageID(campaign:userId:domain:)`` carries, or nil
    /// for a Message-ID that is not a notice's (a report about some other message).
    public static func notice(messageID: String) -> (campaign: Int64, userDigest: String)? {
        let parts = (messageID.split(separator: "@").first ?? "").split(separator: "-")
        guard parts.count == 3, parts[0] == "notice", let campaign = Int64(parts[1]), parts[2].count == 16 else { return nil }
        return (campaign, String(parts[2]))
    }
}

/// Rendered notices by (campaign, locale); small, and emptied when it grows past a few dozen.
private final class RenderCache: Sendable {
    private struct Key: Hashable { let campaign: Int64; let locale: String }
    private let entries = Mutex<[Key: NoticeTemplates.Rendered]>([:])

    func value(campaign: Int64, locale: String, render: () -> NoticeTemplates.Rendered) -> NoticeTemplates.Rendered {
        let key = Key(campaign: campaign, locale: locale)
        if let hit = entries.withLock({ $0[key] }) { return hit }
        let value = render()
        entries.withLock { entries in
            if entries.count >= 64 { entries.removeAll() }
            entries[key] = value
        }
        return value
    }
}
