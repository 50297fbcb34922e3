import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import RedlineContent
import RedlineTestSupport
import Testing
@testable import RedlineSite

@Suite struct ChangeNoticeTests {
    @Test func everyVersionAfterTheFirstHasAChangeNotice() throws {
        let site = SiteFixture()
        try site.build()
        #expect(!site.directory.exists("public/privacy/changes/2026-01-01"))
        let notice = site.page("privacy/changes/2026-09-01/index.html")
        #expect(notice.contains("Changes to the Privacy Policy"))
        #expect(notice.contains("Material change"))
        #expect(notice.contains("We share with a carrier."))
        #expect(notice.contains("<a href=\"#sharing\">Sharing</a>: Changed: 1 word added, 1 word removed"))
        #expect(notice.contains("<a href=\"/privacy/2026-09-01/#sharing\">read it in the new version</a>"))
        #expect(notice.contains("<p><del>Nobody</del><ins>Carriers</ins>.</p>"), "the word changed, the full stop stayed")
        #expect(notice.contains("inserted text is underlined"))
        let editorial = site.page("privacy/changes/2026-03-01/index.html")
        #expect(editorial.contains("Editorial change"))
        #expect(editorial.contains("<p>Email<ins> address</ins>.</p>"))
    }

    @Test func versionPagesLinkToTheirNoticeAndThePreviousVersion() throws {
        let site = SiteFixture()
        try site.build()
        let page = site.page("privacy/2026-09-01/index.html")
        #expect(page.contains("href=\"/privacy/changes/2026-09-01/\""))
        #expect(page.contains("href=\"/privacy/2026-03-01/\" rel=\"prev\""))
        #expect(!site.page("privacy/2026-01-01/index.html").contains("/privacy/changes/"))
        #expect(site.page("privacy/versions/index.html").contains("href=\"/privacy/changes/2026-03-01/\""))
    }

    @Test func manifestCarriesChangeNoticesAndChangedSections() throws {
        let site = SiteFixture()
        try site.build()
        let versions = try #require(try site.manifest().document("privacy")?.versions)
        #expect(versions[0].changesUrl == nil)
        #expect(versions[0].changedSections.isEmpty)
        #expect(versions[2].changesUrl == "https://legal.example.com/privacy/changes/2026-09-01/")
        #expect(versions[2].changedSections.map(\.heading) == ["Sharing"])
        #expect(versions[2].changedSections[0].url == "https://legal.example.com/privacy/changes/2026-09-01/#sharing")
        let raw = try JSONSerialization.jsonObject(with: Data(site.page("manifest.json").utf8)) as! [String: Any]
        let first = ((raw["documents"] as! [[String: Any]])[0]["versions"] as! [[String: Any]])[0]
        #expect(first["changesUrl"] is NSNull, "the key is always present")
    }

    @Test func atomFeedsAreWellFormedWithStableIDs() throws {
        let site = SiteFixture()
        try site.build()
        let feed = site.page("privacy/feed.xml")
        let parser = XMLParser(data: Data(feed.utf8))
        #expect(parser.parse(), "feed.xml must be well-formed XML")
        #expect(feed.components(separatedBy: "<entry>").count - 1 == 3)
        #expect(feed.contains("<id>tag:legal.example.com,2026-09-01:privacy/2026-09-01</id>"))
        #expect(feed.contains("<link rel=\"alternate\" type=\"text/html\" href=\"https://legal.example.com/privacy/changes/2026-09-01/\"/>"))
        #expect(feed.contains("<category term=\"material\"/>"))
        #expect(feed.contains("<updated>2026-06-01T00:00:00Z</updated>"), "announced on its published date")
        // A later build must not change what was published.
        try site.build(now: "2026-10-01")
        #expect(site.page("privacy/feed.xml") == feed)
        let siteFeed = site.page("changes.xml")
        #expect(XMLParser(data: Data(siteFeed.utf8)).parse())
        #expect(siteFeed.contains("tag:legal.example.com,2026-03-01:privacy/2026-03-01"))
    }

    @Test func changesJSONListsEveryVersion() throws {
        let site = SiteFixture()
        try site.build()
        let json = try JSONSerialization.jsonObject(with: Data(site.page("changes.json").utf8)) as! [String: Any]
        let changes = json["changes"] as! [[String: Any]]
        #expect(changes.map { $0["effective"] as? String } == ["2026-09-01", "2026-03-01", "2026-01-01"])
        #expect(changes[0]["changesUrl"] as? String == "https://legal.example.com/privacy/changes/2026-09-01/")
        #expect((changes[0]["sections"] as! [[String: Any]]).map { $0["status"] as? String } == ["modified"])
        #expect(changes[2]["changesUrl"] is NSNull || changes[2]["changesUrl"] == nil)
    }
}

@Suite struct ChangeReviewTests {
    func site(_ extraYAML: String) -> SiteFixture {
        let site = SiteFixture()
        site.directory.write("content/site.yaml", ContentFixture.siteYAML + "\n" + extraYAML)
        return site
    }

    @Test func editorialVersionTouchingASensitiveSectionIsQuestioned() throws {
        let fixture = site("sensitiveSections:\n  - information we COLLECT\n")
        let report = try SiteBuilder.check(fixture.options())
        let warning = try #require(report.diagnostics.warnings.first { $0.message.contains("sensitive") })
        #expect(warning.path.hasSuffix("policies/privacy/2026-03-01.md"))
        #expect(warning.line == 4, "points at the 'material' field")
        #expect(warning.message.contains("'Information we collect'"))
    }

    @Test func strictTurnsTheWarningIntoAnError() {
        let fixture = site("sensitiveSections:\n  - information we collect\n")
        var options = fixture.options()
        options.strict = true
        do {
            _ = try SiteBuilder.check(options)
            Issue.record("strict check must fail")
        } catch {
            #expect(error.diagnostics.errors.contains { $0.message.contains("sensitive") })
        }
    }

    @Test func editorialVersionChangingTooManyWordsIsQuestioned() throws {
        let fixture = site("editorialChangeLimit: 0.05\n")
        let report = try SiteBuilder.check(fixture.options())
        #expect(report.diagnostics.warnings.contains { $0.message.contains("of the words (site.yaml editorialChangeLimit is 5%)") })
        let relaxedSite = site("editorialChangeLimit: 0.9\n")
        let relaxed = try SiteBuilder.check(relaxedSite.options())
        #expect(!relaxed.diagnostics.contains { $0.message.contains("editorialChangeLimit") })
    }

    @Test func materialVersionNeedsItsNoticePeriod() throws {
        let fixture = site("noticeDays: 120\n")
        let report = try SiteBuilder.check(fixture.options())
        let warning = try #require(report.diagnostics.warnings.first { $0.message.contains("noticeDays") })
        #expect(warning.message.contains("takes effect 92 days after it is published; site.yaml noticeDays asks for at least 120"))
        #expect(warning.line == 6, "points at 'published'")
        let enoughNotice = site("noticeDays: 30\n")
        #expect(!(try SiteBuilder.check(enoughNotice.options()).diagnostics.contains { $0.message.contains("noticeDays") }))
    }

    @Test func materialVersionWithoutPublishedDateIsFlagged() throws {
        let fixture = site("")
        fixture.directory.write("content/policies/privacy/2026-09-01.md", ContentFixture.policy(effective: "2026-09-01", material: true, summary: "S.", body: "Changed.\n"))
        let report = try SiteBuilder.check(fixture.options())
        #expect(report.diagnostics.warnings.contains { $0.message.contains("has no 'published' date") })
    }
}

@Suite struct ChangeNoticeEscapingTests {
    @Test func aRenamedHeadingWithAnAmpersandIsEscapedOnceOnTheNotice() throws {
        let site = SiteFixture()
        site.directory.write("content/policies/privacy/2026-12-01.md", ContentFixture.policy(
            effective: "2026-12-01", material: true, summary: "Sharing & disclosure got its own name.", published: "2026-06-01",
            body: "Intro.\n\n## Information we collect\n\nEmail address.\n\n## Sharing & disclosure\n\nCarriers.\n"))
        site.directory.write("content/policies/privacy/2027-01-01.md", ContentFixture.policy(
            effective: "2027-01-01", material: true, summary: "Disclosure reworded.", published: "2026-06-01",
            body: "Intro.\n\n## Information we collect\n\nEmail address.\n\n## Sharing & legal disclosure\n\nCarriers & couriers.\n"))
        try site.build()
        let renamed = site.page("privacy/changes/2027-01-01/index.html")
        #expect(renamed.contains("Renamed from “Sharing &amp; disclosure”"), "the note is escaped once")
        #expect(!renamed.contains("&amp;amp;"))
    }
}
