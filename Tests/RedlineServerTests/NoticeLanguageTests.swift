import Foundation
import RedlineMail
import RedlineManifest
import RedlineNotices
import RedlineTestSupport
import Testing
@testable import RedlineServer

/// A notice e-mail is in one language: the translation's, body included, or the site's throughout.
@Suite struct NoticeLanguageTests {
    func composer(translated: Bool) throws -> NoticeComposer {
        var manifest = ServerFixture.manifest()
        if translated {
            manifest.documents[0].versions[3].translations["de"] = .init(
                title: "Datenschutzerklärung", url: "https://legal.example.com/de/privacy/2099-01-01/", sha256: String(repeating: "d", count: 64),
                summary: "Kürzere Protokolle.", changesUrl: "https://legal.example.com/de/privacy/changes/2099-01-01/")
        }
        let fixture = try ServerFixture(manifest: manifest)
        return NoticeComposer(templates: try NoticeTemplates(directory: Repository.templates + "/email"),
                              from: MailAddress(parsing: "Example Legal <notices@legal.example.com>")!,
                              catalog: try SiteCatalog(siteDirectory: fixture.sitePath), unsubscribeSecret: Data(repeating: 7, count: 32))
    }

    static let content = CampaignDraft(document: "privacy", version: "2099-01-01", siteTitle: "Example", documentTitle: "Privacy policy",
                                       effective: "2099-01-01", summary: "Shorter logs.",
                                       changesUrl: "https://legal.example.com/privacy/changes/2099-01-01/",
                                       versionUrl: "https://legal.example.com/privacy/2099-01-01/")

    @Test func aTranslatedVersionsNoticeIsInTheReadersLanguageBodyAndDateIncluded() throws {
        let message = try composer(translated: true).message(campaign: 1, content: Self.content, userId: "u", locale: "de-AT",
                                                             to: MailAddress("bo@example.org")!)
        #expect(message.language == "de")
        for part in [message.text, message.html] {
            #expect(part.contains("Datenschutzerklärung") && part.contains("Kürzere Protokolle."))
            #expect(part.contains("1. Januar 2099"), "the date in German")
            #expect(part.contains("https://legal.example.com/de/privacy/changes/2099-01-01/"))
            for english in ["Hello", "We are changing", "What changes", "January", "Shorter logs."] { #expect(!part.contains(english), "\(english)") }
        }
        #expect(message.text.contains("Guten Tag,") && message.html.contains("Jede Änderung, Abschnitt für Abschnitt"))
        #expect(message.subject.contains("Datenschutzerklärung") && message.subject.contains("1. Januar 2099"))
    }

    @Test func withoutItsTranslationTheNoticeIsInTheSitesLanguageThroughout() throws {
        let message = try composer(translated: false).message(campaign: 1, content: Self.content, userId: "u", locale: "de-AT",
                                                              to: MailAddress("bo@example.org")!)
        #expect(message.language == "en-GB")
        #expect(message.text.contains("Hello,") && message.text.contains("Shorter logs.") && message.text.contains("1 January 2099"))
        #expect(!message.text.contains("Guten Tag") && !message.html.contains("Was sich ändert"), "no German body around English text")
    }

    /// A campaign copies the translations it announces: after a rebuild changes the German summary,
    /// a message of the campaign re-sent by a restarted server says what the first one said.
    @Test func aResentNoticeSaysWhatTheFirstOneSaidAfterARebuildChangedItsTranslation() async throws {
        var manifest = ServerFixture.manifest()
        manifest.documents[0].versions[3].translations["de"] = .init(
            title: "Datenschutzerklärung", url: "https://legal.example.com/de/privacy/2099-01-01/", sha256: String(repeating: "d", count: 64),
            summary: "Kürzere Protokolle.", changesUrl: "https://legal.example.com/de/privacy/changes/2099-01-01/")
        let fixture = try ServerFixture(manifest: manifest)
        let parts = try await ServerApplication.open(fixture.settings)
        let planned = try NoticePlanner.draft(manifest, document: "privacy", version: "2099-01-01").get()
        let (campaign, _) = try await parts.notices.createCampaign(planned, trigger: .manual)
        func send() async throws -> MailMessage {
            // A new composer each time, as after a restart: nothing is remembered but the store.
            let composer = NoticeComposer(templates: try NoticeTemplates(directory: Repository.templates + "/email"),
                                          from: MailAddress(parsing: "Example Legal <notices@legal.example.com>")!,
                                          catalog: try SiteCatalog(siteDirectory: fixture.sitePath), unsubscribeSecret: Data(repeating: 7, count: 32))
            let stored = try #require(try await parts.notices.sample(campaign: campaign.id)).content
            return composer.message(campaign: campaign.id, content: stored, userId: "u", locale: "de", to: MailAddress("bo@example.org")!)
        }
        let first = try await send()
        #expect(first.text.contains("Kürzere Protokolle."))

        manifest.documents[0].versions[3].translations["de"]?.summary = "Ganz andere Worte."
        try fixture.write(manifest)
        let again = try await send()
        #expect(again.subject == first.subject && again.text == first.text && again.html == first.html)
        #expect(!again.text.contains("Ganz andere Worte."))
    }
}
