import Foundation
import RedlineConsent
import RedlineMail
import RedlineManifest

/// A reviewer's test copy of a campaign's notice: the message a recipient would get, marked as
/// a test; from the command line or the admin API alike.
public enum NoticeReview {
    public enum Failure: Error, CustomStringConvertible {
        case noSuchCampaign(Int64)
        case badAddress(String)
        case refused(String)

        public var description: String {
            switch self {
            case let .noSuchCampaign(id): return "there is no campaign \(id)"
            case let .badAddress(address): return "'\(address)' is not an e-mail address"
            case let .refused(reply): return "the mail server did not take the test message: \(reply)"
            }
        }
    }

    /// Sends campaign `id`'s notice, marked as a test, to `to` through `mail`, as written for
    /// `manifest`'s site; returns its Message-ID.
    public static func sendTest(campaign id: Int64, to: String, locale: String?, mail: NoticeMail, manifest: Manifest,
                                store: any NoticeStore) async throws -> String {
        guard let address = MailAddress(to) else { throw Failure.badAddress(to) }
        return try await sendTest(campaign: id, to: address, locale: locale, store: store,
                                  composer: NoticeComposer(templates: mail.templates, from: mail.from, manifest: { manifest }),
                                  transport: mail.transport)
    }

    /// The same with the running server's composer and transport (`POST …/campaigns/{id}/test`).
    public static func sendTest(campaign id: Int64, to address: MailAddress, locale: String?, store: any NoticeStore,
                                composer: NoticeComposer, transport: any MailTransport) async throws -> String {
        guard let sample = try await store.sample(campaign: id) else { throw Failure.noSuchCampaign(id) }
        let message = composer.message(campaign: id, content: sample.content, userId: "test",
                                       locale: locale ?? sample.locale ?? composer.manifest().site.language, to: address, test: true)
        let session = transport.openSession()
        defer { session.close() }
        switch await session.send(message) {
        case .sent: return message.messageID
        case let .permanent(reply), let .temporary(reply): throw Failure.refused(reply)
        }
    }
}
