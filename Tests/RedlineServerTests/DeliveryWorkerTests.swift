import Foundation
@testable import RedlineConsent
import RedlineMail
import RedlineTestSupport
import Testing
@testable import RedlineServer

@Suite struct DeliveryWorkerTests {
    func worker(_ settings: DeliverySettings = DeliverySettings()) throws -> DeliveryWorker {
        let directory = TemporaryDirectory("redline-worker")
        let store = SQLiteNoticeStore(database: try RedlineDatabase.open(path: directory.subpath("db.sqlite")))
        return DeliveryWorker(store: store, transport: DirectoryTransport(directory: directory.subpath("out")),
                              templates: try NoticeTemplates(directory: Repository.templates + "/email"),
                              from: MailAddress(parsing: "Example Legal <notices@legal.example.com>")!, settings: settings,
                              metrics: ServerMetrics(), logger: .init(label: "test"))
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
