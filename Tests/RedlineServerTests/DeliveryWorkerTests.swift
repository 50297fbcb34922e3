import Foundation
@testable import RedlineConsent
import RedlineMail
import RedlineNotices
import RedlineStores
import RedlineManifest
import RedlineTestSupport
import Testing
@testable import RedlineServer

@Suite struct DeliveryWorkerTests {
    func worker(_ settings: DeliverySettings = DeliverySettings(), notices: Manifest.Notices? = nil) throws -> DeliveryWorker {
        let fixture = try ServerFixture()
        var manifest = ServerFixture.manifest()
        manifest.site.notices = notices
        try fixture.write(manifest)
        let store = SQLiteNoticeStore(database: try RedlineDatabase.open(path: fixture.directory.subpath("db.sqlite")))
        let composer = NoticeComposer(templates: try NoticeTemplates(directory: Repository.templates + "/email"),
                                      from: MailAddress(parsing: "Example Legal <notices@legal.example.com>")!,
                                      catalog: try SiteCatalog(siteDirectory: fixture.sitePath), unsubscribeSecret: Data(repeating: 7, count: 32))
        return DeliveryWorker(store: store, transport: DirectoryTransport(directory: fixture.directory.subpath("out")),
                              composer: composer, settings: settings, metrics: ServerMetrics(), logger: .init(label: "test"))
    }

    static let item = OutboxItem(id: 1, campaignId: 7, attempts: 0, userId: "u1", email: "ana@example.com", locale: "de-AT",
                                 content: CampaignDraft(document: "privacy", version: "2027-03-01", siteTitle: "Example",
                                                        documentTitle: "Privacy Policy", effective: "2027-03-01", summary: "Shorter logs.",
                                                        changesUrl: "https://legal.example.com/privacy/changes/2027-03-01/",
                                                        versionUrl: "https://legal.example.com/privacy/2027-03-01/"))

    @Test func aNoticeSaysTheLanguageItIsReallyInAndCarriesReplyToAndContact() throws {
        let worker = try worker(notices: .init(approval: .manual, replyTo: "privacy@legal.example.com", contact: "Example Ltd, 1 Dock Street, Dublin"))
        let message = worker.message(for: Self.item, to: MailAddress("ana@example.com")!)
        #expect(message.language == "en-GB", "no German templates: the message is in the site's language, and says so")
        #expect(message.replyTo?.address == "privacy@legal.example.com")
        #expect(message.text.contains("Example Ltd, 1 Dock Street, Dublin") && message.html.contains("Example Ltd, 1 Dock Street, Dublin"))
        let rendered = String(decoding: message.rendered(), as: UTF8.self)
        #expect(rendered.contains("Reply-To: privacy@legal.example.com\r\n") && rendered.contains("Content-Language: en-GB\r\n"))
        #expect(!rendered.contains("X-Redline-Test"))
        // A list of its own for filters, and no offer to unsubscribe from a legally required notice.
        #expect(rendered.contains("List-Id: Example: legal notices <legal-notices.legal.example.com>\r\n"), "\(rendered.prefix(600))")
        #expect(!rendered.contains("List-Unsubscribe"))

        let test = worker.composer.message(campaign: 7, content: Self.item.content, userId: "test", locale: "en", to: MailAddress("rev@example.com")!, test: true)
        #expect(test.subject.hasPrefix("[Test] ") && test.text.hasPrefix("[TEST COPY FOR REVIEW") && test.isTest)
        #expect(test.messageID != DeliveryWorker.messageID(campaign: 7, userId: "u1", domain: "legal.example.com"))
        #expect(test.text.replacingOccurrences(of: "[TEST COPY FOR REVIEW: this is exactly what recipients will get; it was not sent to them.]\n\n", with: "")
                == worker.composer.message(campaign: 7, content: Self.item.content, userId: "u1", locale: "en", to: MailAddress("rev@example.com")!).text,
                "the test copy is the real message with a note on top")
    }

    @Test func backoffDoublesWithJitterUpToTheCap() throws {
        var settings = DeliverySettings()
        settings.retryBase = .seconds(2)
        settings.retryCap = .seconds(60)
        let worker = try worker(settings)
        for (attempt, expected) in [(1, 2.0), (2, 4.0), (3, 8.0), (5, 32.0), (6, 60.0), (20, 60.0)] {
            let delay = worker.backoff(afterAttempt: attempt)
            #expect(delay >= expected * 0.8 && delay <= expected * 1.2, "attempt \(attempt): \(delay)")
        }
    }

    @Test func theMessageIDDependsOnCampaignAndUserOnly() {
        let a = DeliveryWorker.messageID(campaign: 3, userId: "u1", domain: "legal.example.com")
        #expect(a == DeliveryWorker.messageID(campaign: 3, userId: "u1", domain: "legal.example.com"))
        #expect(a != DeliveryWorker.messageID(campaign: 4, userId: "u1", domain: "legal.example.com"))
        #expect(a != DeliveryWorker.messageID(campaign: 3, userId: "u2", domain: "legal.example.com"))
        #expect(a.hasPrefix("notice-3-") && a.hasSuffix("@legal.example.com"))
    }

    @Test func theNoticeSaysWhatChangedAndLinksToIt() throws {
        let item = OutboxItem(id: 1, campaignId: 7, attempts: 0, userId: "u1", email: "ana@example.com", locale: "en-GB",
                              content: CampaignDraft(document: "privacy", version: "2027-03-01", siteTitle: "Parcelbird <Legal>",
                                                     documentTitle: "Privacy Policy", effective: "2027-03-01", summary: "We keep logs for 30 days & more.",
                                                     changesUrl: "https://legal.example.com/privacy/changes/2027-03-01/",
                                                     versionUrl: "https://legal.example.com/privacy/2027-03-01/"))
        let message = try worker().message(for: item, to: MailAddress("ana@example.com")!)
        #expect(message.subject == "Parcelbird <Legal>: our Privacy Policy changes on 1 March 2027")
        #expect(message.text.contains("We keep logs for 30 days & more."))
        #expect(message.text.contains("https://legal.example.com/privacy/changes/2027-03-01/"))
        #expect(message.html.contains("We keep logs for 30 days &amp; more."))
        #expect(message.html.contains("href=\"https://legal.example.com/privacy/2027-03-01/\""))
        #expect(message.messageID == DeliveryWorker.messageID(campaign: 7, userId: "u1", domain: "legal.example.com"))
    }
}
