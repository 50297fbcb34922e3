import Foundation
import RedlineContent
import RedlineManifest
import RedlineTestSupport
import Testing
@testable import RedlineSite

/// `draft: true`: built only with `--drafts`, marked DRAFT, never published, never in force.
@Suite struct DraftTests {
    /// The fixture plus a material draft dated before the build day (2026-06-15): were drafts
    /// treated as versions, it would be in force.
    func site() -> SiteFixture {
        let site = SiteFixture()
        site.directory.write("content/policies/privacy/2026-05-01.md", ContentFixture.policy(
            effective: "2026-05-01", material: true, summary: "Logs are kept longer in this draft.", published: "2026-03-01",
            body: "Intro.\n\n## Information we collect\n\nEmail address and logs.\n\n## Sharing\n\nNobody.\n") + "")
        let path = site.directory.subpath("content/policies/privacy/2026-05-01.md")
        let text = try! String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: "material: true\n", with: "material: true\ndraft: true\n")
        try! text.write(toFile: path, atomically: true, encoding: .utf8)
        return site
    }

    @Test func aPublishedBuildLeavesDraftsOutEntirely() throws {
        let site = site()
        try site.build()
        #expect(!site.directory.exists("public/privacy/2026-05-01"))
        #expect(!site.directory.exists("public/privacy/changes/2026-05-01"))
        let manifest = try site.manifest()
        let privacy = try #require(manifest.documents.first { $0.id == "privacy" })
        #expect(!privacy.versions.contains { $0.effective == "2026-05-01" })
        #expect(privacy.versions.first { $0.status == .current }?.effective == "2026-03-01", "a draft is never in force")
    }

    @Test func aDraftsBuildMarksTheDraftAndKeepsItOutOfEverythingPublished() throws {
        let site = site()
        var options = site.options()
        options.drafts = true
        try SiteBuilder.build(options)
        let page = site.page("privacy/2026-05-01/index.html")
        #expect(page.contains("notice-draft") && page.contains("DRAFT"))
        #expect(page.contains("noindex"))
        let notice = site.page("privacy/changes/2026-05-01/index.html")
        #expect(notice.contains("DRAFT") && notice.contains("<ins> and logs</ins>"), "compared with the published version before it")
        #expect(!site.page("privacy/index.html").contains("Logs are kept longer in this draft."), "the policy's own URL shows the version in force")
        #expect(site.page("privacy/index.html").contains("notice-draft") == false)
        for file in ["manifest.json", "sitemap.xml", "changes.xml", "changes.json", "privacy/feed.xml", "privacy/versions/index.html",
                     "consent/config.json"] {
            #expect(!site.page(file).contains("2026-05-01"), "\(file)")
        }
        let search = try FileManager.default.subpathsOfDirectory(atPath: site.directory.subpath("public/search"))
            .compactMap { site.directory.read("public/search/\($0)") }
        #expect(!search.contains { $0.contains("kept longer in this draft") || $0.contains("2026-05-01") })
        // The published versions' notices still compare published versions.
        #expect(site.page("privacy/changes/2026-09-01/index.html").contains("href=\"/privacy/2026-03-01/\" rel=\"prev\""))
    }

    /// A new policy still being written: previewed at its own URL, and nowhere at all once published.
    @Test func aPolicyWithOnlyDraftsIsPreviewedButNeverPublished() throws {
        let site = SiteFixture()
        site.directory.write("content/policies/dpa/2026-10-01.md",
                             "---\ntitle: Data Processing Addendum\neffective: 2026-10-01\nmaterial: true\nsummary: First version.\ndraft: true\n---\nWe process data for you.\n")
        var options = site.options()
        options.drafts = true
        try SiteBuilder.build(options)
        let page = site.page("dpa/index.html")
        #expect(page.contains("We process data for you.") && page.contains("notice-draft") && page.contains("noindex"))
        #expect(site.page("dpa/2026-10-01/index.html").contains("notice-draft"))
        #expect(site.page("dpa/versions/index.html").contains("Draft"))
        for file in ["manifest.json", "sitemap.xml", "changes.xml", "changes.json", "consent/config.json"] {
            #expect(!site.page(file).contains("dpa"), "\(file)")
        }

        options.drafts = false
        try SiteBuilder.build(options)
        #expect(!site.directory.exists("public/dpa"))
        let published = try FileManager.default.subpathsOfDirectory(atPath: site.output).compactMap { site.directory.read("public/\($0)") }
        #expect(!published.contains { $0.contains("Data Processing Addendum") })
    }

    @Test func checkLooksAtDraftsToo() {
        let site = site()
        site.directory.write("content/policies/privacy/2026-05-02.md",
                             "---\ntitle: Privacy Policy\neffective: 2026-05-02\nmaterial: false\ndraft: true\n---\nSee [nowhere](../nowhere/).\n")
        do {
            try SiteBuilder.check(site.options())
            Issue.record("expected check to fail")
        } catch {
            let messages = error.diagnostics.errors.map(\.description)
            #expect(messages.contains { $0.contains("2026-05-02.md:7: error: broken link '../nowhere/'") }, "\(messages)")
        }
    }
}

/// The site as it will be on each upcoming effective date, for the server to switch to on the day.
@Suite struct AsOfOutputTests {
    @Test func theBuildWritesTheSiteAsOfEachUpcomingEffectiveDate() throws {
        let site = SiteFixture()
        try site.build(now: "2026-06-15")
        let manifest = try site.manifest()
        #expect(manifest.asOf == ["2026-09-01"])
        let later = try Manifest.decode(Data(site.page(".redline/as-of/2026-09-01/manifest.json").utf8))
        #expect(later.asOf == nil && later.buildDate == "2026-09-01")
        let privacy = try #require(later.documents.first { $0.id == "privacy" })
        #expect(privacy.versions.first { $0.effective == "2026-09-01" }?.status == .current)
        #expect(later.docs.flatMap(\.pages).allSatisfy { !$0.sha256.isEmpty }, "docs hashes are the site's own")
        #expect(later.docs == manifest.docs)
        #expect(site.page(".redline/as-of/2026-09-01/privacy/index.html").contains("<p>Carriers.</p>"), "the version in force that day")
        #expect(site.page("privacy/index.html").contains("<p>Nobody.</p>"), "the version in force on the build day")
        #expect(site.page(".redline/as-of/2026-09-01/privacy/index.html").contains("datetime=\"2026-09-01\""))
        #expect(!site.directory.exists("public/.redline/as-of/2026-09-01/docs"), "docs do not change with the day")
    }
}

@Suite struct DocsDraftTests {
    @Test func aDraftDocsPageIsLeftOutOfAPublishedBuildAndMarkedInADraftsBuild() throws {
        let site = SiteFixture()
        site.directory.write("content/docs/v2/refunds.md", "---\ntitle: Refunds\ndraft: true\n---\nRefunds are coming.\n")
        let report = try site.build()
        #expect(!report.diagnostics.contains { $0.message.contains("draft") }, "draft is a known field")
        #expect(!site.directory.exists("public/docs/v2/refunds"))
        var options = site.options()
        options.drafts = true
        try SiteBuilder.build(options)
        let page = site.page("docs/v2/refunds/index.html")
        #expect(page.contains("Refunds are coming.") && page.contains("notice-draft"))
        #expect(!site.page("docs/v2/authentication/index.html").contains("Refunds"), "not in the navigation")
        for file in ["manifest.json", "sitemap.xml"] { #expect(!site.page(file).contains("refunds"), "\(file)") }
    }
}
