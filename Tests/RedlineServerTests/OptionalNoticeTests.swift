import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import RedlineMail
import RedlineManifest
import RedlineNotices
import Testing
@testable import RedlineServer

/// Optional notices of editorial versions: offered only when site.yaml asks, with a one-click
/// unsubscribe (RFC 8058) that stops the optional ones and never a required one.
@Suite struct OptionalNoticeTests {
    static func manifest(editorial: Manifest.EditorialNotices?) -> Manifest {
        var manifest = ServerFixture.manifest()
        manifest.site.notices = .init(editorial: editorial)
        return manifest
    }

    @Test func theTimelineDecidesWhichNoticeAVersionCallsFor() throws {
        let timeline = try #require(Self.manifest(editorial: nil).document("privacy")).timeline
        #expect(timeline.notice(of: "2025-01-01", optionalEditorial: true) == nil)
        #expect(timeline.notice(of: "2025-06-01", optionalEditorial: false) == nil)
        #expect(timeline.notice(of: "2025-06-01", optionalEditorial: true) == .optional)
        #expect(timeline.notice(of: "2026-01-01", optionalEditorial: true) == .required)
        #expect(timeline.notice(of: "2026-01-01", optionalEditorial: false) == .required)
        #expect(timeline.notice(of: "2031-01-01", optionalEditorial: true) == nil)
    }

    @Test func anEditorialVersionIsAnnouncedOnlyWhenTheSiteOffersOptionalNotices() throws {
        #expect(NoticePlanner.draft(Self.manifest(editorial: nil), document: "privacy", version: "2025-06-01")
                == .failure(.editorial("privacy", "2025-06-01")))
        let optional = try NoticePlanner.draft(Self.manifest(editorial: .optional), document: "privacy", version: "2025-06-01").get()
        #expect(optional.optional)
        #expect(try !NoticePlanner.draft(Self.manifest(editorial: .optional), document: "privacy", version: "2026-01-01").get().optional)
        // By hand, after the version took effect: an optional notice owes no period; a required one is refused.
        let today: Day = "2026-12-08"
        #expect(try NoticePlanner.manualDraft(Self.manifest(editorial: .optional), document: "privacy", version: "2025-06-01", today: today,
                                              force: false).get().optional)
        #expect(NoticePlanner.manualDraft(Self.manifest(editorial: .optional), document: "privacy", version: "2026-01-01", today: today, force: false)
                == .failure(.inForce("privacy", "2026-01-01")))
    }

    @Test func aLinkIsGoodOnlyForItsMessageAndItsUser() throws {
        let links = UnsubscribeLinks(secret: Data(repeating: 1, count: 32), baseURL: "https://legal.example.com/")
        let url = links.url(outboxId: 42, userId: "u-1")
        #expect(url.hasPrefix("https://legal.example.com/notices/unsubscribe/42."))
        let token = try #require(UnsubscribeLinks.Token(String(url.dropFirst("https://legal.example.com/notices/unsubscribe/".count))))
        #expect(token.outboxId == 42)
        #expect(links.isValid(token, userId: "u-1"))
        #expect(!links.isValid(token, userId: "u-2"))
        #expect(!UnsubscribeLinks(secret: Data(repeating: 2, count: 32), baseURL: "https://legal.example.com").isValid(token, userId: "u-1"))
        let forged = try #require(UnsubscribeLinks.Token("43." + links.token(outboxId: 42, userId: "u-1").split(separator: ".")[1]))
        #expect(!links.isValid(forged, userId: "u-1"))
        for malformed in ["42", "42.", "x.00", "042." + String(repeating: "0", count: 32), "-1." + String(repeating: "0", count: 32), "42.zz", "42.00.11"] {
            #expect(UnsubscribeLinks.Token(malformed) == nil, "\(malformed)")
        }
    }

    /// Sends an optional notice of the editorial version to Ana and Bo; returns Ana's one-click link.
    static func sendOptionalNotice(_ parts: ServerApplication.Parts, manifest: Manifest) async throws -> String {
        let store = parts.notices
        _ = try await store.putUsers([UserInput(userId: "ana", email: "ana@example.com", locale: "en"),
                                      UserInput(userId: "bo", email: "bo@example.com", locale: "en")])
        let editorial = try NoticePlanner.draft(manifest, document: "privacy", version: "2025-06-01").get()
        let first = try await store.createCampaign(editorial, trigger: .manual).campaign
        #expect(first.optional)
        _ = try await store.approve(first.id, by: "test")
        let items = try await store.claim(limit: 10)
        #expect(items.count == 2)
        let ana = try #require(items.first { $0.userId == "ana" })
        let message = parts.composer.message(campaign: ana.campaignId, content: ana.content, userId: ana.userId, locale: ana.locale,
                                             to: MailAddress(ana.email)!, outboxId: ana.id)
        let link = try #require(message.listUnsubscribe)
        #expect(message.text.contains(link))
        #expect(message.html.contains(link))
        #expect(!message.text.contains(NoticeTemplates.unsubscribePlaceholder))
        let head = String(decoding: message.rendered(), as: UTF8.self).components(separatedBy: "\r\n\r\n")[0]
        #expect(head.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"))
        try await store.complete(items.map { ($0.id, .sent) })
        return link
    }

    /// The whole join: campaigns in the store, the message the worker composes, the POST a mail
    /// provider makes to the link it carries, and what the outbox then sends.
    @Test func oneClickStopsLaterOptionalNoticesButNeverARequiredOne() async throws {
        let manifest = Self.manifest(editorial: .optional)
        let fixture = try ServerFixture(manifest: manifest)
        let (app, parts) = try await fixture.makeApp()
        let store = parts.notices
        let path = String(try await Self.sendOptionalNotice(parts, manifest: manifest).dropFirst("https://legal.example.com".count))
        try await app.test(.router) { client in
            // A GET (a link scanner, a prefetch) shows the button and changes nothing.
            let page = try await client.execute(uri: path, method: .get)
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).contains("<form method=\"post\">"))
            #expect(try await store.user("ana")?.unsubscribedAt == nil)
            // A link for another message, or a changed one, is refused.
            let tampered = String(path.dropLast()) + (path.hasSuffix("0") ? "1" : "0")
            #expect(try await client.execute(uri: tampered, method: .post, body: ByteBuffer(string: "List-Unsubscribe=One-Click")).status == .forbidden)
            #expect(try await store.user("ana")?.unsubscribedAt == nil)
            // The provider's one-click POST, twice: both answered, the second changes nothing.
            for _ in 0..<2 {
                let done = try await client.execute(uri: path, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                    body: ByteBuffer(string: "List-Unsubscribe=One-Click"))
                #expect(done.status == .ok)
                #expect(String(buffer: done.body).contains("no more optional notices"))
            }
        }
        #expect(try await store.user("ana")?.unsubscribedAt != nil)
        #expect(try await store.user("bo")?.unsubscribedAt == nil)
        try await Self.laterNoticesSkipAnaOnlyWhenOptional(app, parts, manifest: manifest)
    }

    /// Another optional notice skips Ana; a required one still reaches her and offers no unsubscribe.
    static func laterNoticesSkipAnaOnlyWhenOptional(_ app: some ApplicationProtocol, _ parts: ServerApplication.Parts, manifest: Manifest) async throws {
        let store = parts.notices
        var later = try NoticePlanner.draft(manifest, document: "privacy", version: "2025-06-01").get()
        later.version = "2025-06-02"
        let second = try await store.createCampaign(later, trigger: .manual).campaign
        _ = try await store.approve(second.id, by: "test")
        #expect(try await store.claim(limit: 10).map(\.userId) == ["bo"])
        #expect(try await store.recipients(campaign: second.id).first { $0.userId == "ana" }?.status == "cancelled")
        let required = try NoticePlanner.draft(manifest, document: "privacy", version: "2026-01-01").get()
        let third = try await store.createCampaign(required, trigger: .manual).campaign
        _ = try await store.approve(third.id, by: "test")
        let claimed = try await store.claim(limit: 10)
        #expect(Set(claimed.map(\.userId)) == ["ana", "bo"])
        let legal = try #require(claimed.first { $0.userId == "ana" })
        let legalMessage = parts.composer.message(campaign: legal.campaignId, content: legal.content, userId: "ana", locale: "en",
                                                  to: MailAddress("ana@example.com")!, outboxId: legal.id)
        #expect(legalMessage.listUnsubscribe == nil)
        #expect(!String(decoding: legalMessage.rendered(), as: UTF8.self).contains("List-Unsubscribe"))
        #expect(!legalMessage.text.lowercased().contains("optional"))
        // A valid link to a required notice's message unsubscribes nobody.
        let legalLink = UnsubscribeLinks(secret: parts.secret, baseURL: "https://legal.example.com").url(outboxId: legal.id, userId: "ana")
        try await app.test(.router) { client in
            let response = try await client.execute(uri: String(legalLink.dropFirst("https://legal.example.com".count)), method: .post)
            #expect(response.status == .conflict)
        }
    }

    @Test func aTestCopysLinkUnsubscribesNobody() async throws {
        let fixture = try ServerFixture(manifest: Self.manifest(editorial: .optional))
        let (app, parts) = try await fixture.makeApp()
        let draft = try NoticePlanner.draft(Self.manifest(editorial: .optional), document: "privacy", version: "2025-06-01").get()
        let message = parts.composer.message(campaign: 1, content: draft, userId: "test", locale: "en", to: MailAddress("rev@example.com")!, test: true)
        #expect(message.listUnsubscribe == "https://legal.example.com/notices/unsubscribe/test")
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/notices/unsubscribe/test", method: .post)
            #expect(response.status == .ok)
            #expect(String(buffer: response.body).contains("test copy"))
        }
    }
}
