import Foundation
import RedlineContent
import RedlineTestSupport
import Testing
@testable import RedlineSite

/// Every link and image in policies and docs leads somewhere the site has; relative links in
/// a policy mean what they mean beside its file in content/policies/<id>/.
@Suite struct LinkCheckTests {
    /// The fixture's current privacy version (2026-03-01 for a build on 2026-06-15) with `body` appended.
    func site(with body: String, siteYAML: String = ContentFixture.siteYAML) -> SiteFixture {
        let site = SiteFixture()
        site.directory.write("content/site.yaml", siteYAML)
        site.directory.write("content/policies/cookies/2026-01-01.md", ContentFixture.policy(
            title: "Cookie Policy", effective: "2026-01-01", material: true, body: "Cookies.\n\n## Analytics\n\nCounted.\n"))
        site.directory.write("content/policies/privacy/2026-03-01.md", ContentFixture.policy(
            effective: "2026-03-01", material: false, summary: nil,
            body: "Intro.\n\n## Information we collect\n\nEmail address.\n\n## Sharing\n\nNobody.\n\n" + body))
        return site
    }

    func errors(_ site: SiteFixture) -> [String] {
        do {
            try site.build()
            return []
        } catch {
            #expect(error.step == "links")
            return error.diagnostics.errors.map(\.description)
        }
    }

    @Test func linksThatLeadSomewhereBuildAndResolveFromThePolicyFolder() throws {
        let site = site(with: """
            See the [cookie policy](../cookies/), [its file](../cookies.md), [a version](../cookies/2026-01-01.md),
            [the first version](2026-01-01.md), [sharing](#sharing), [analytics](../cookies/#analytics),
            [docs](/docs/v2/authentication/#keys), [history](versions/), [external](https://example.com/x) and ![logo](images/logo.png).
            """)
        site.directory.write("content/policies/privacy/images/logo.png", "PNG")
        try site.build()
        for path in ["privacy/index.html", "privacy/2026-03-01/index.html"] {
            let page = site.page(path)
            #expect(page.contains("href=\"/cookies/\""), "\(path)")
            #expect(page.contains("href=\"/cookies/2026-01-01/\""))
            #expect(page.contains("href=\"/privacy/2026-01-01/\""))
            #expect(page.contains("href=\"/cookies/#analytics\""))
            #expect(page.contains("href=\"/privacy/versions/\""))
            #expect(page.contains("src=\"/privacy/images/logo.png\""))
        }
        #expect(site.page("privacy/images/logo.png") == "PNG")
    }

    @Test func everyKindOfBrokenLinkIsReportedAtItsLineWithASuggestion() {
        let site = site(with: """
            A [typo in a page](../cookeis/) here.
            An [anchor typo](#sharnig) and a [missing anchor](../cookies/#nothing-like-it).
            A [docs page](/docs/v2/authentcation/) and an ![image](images/missing.png).
            A [version](2026-02-30.md).
            """)
        let found = errors(site)
        let path = "content/policies/privacy/2026-03-01.md"
        // The body starts on line 6 of the file; the appended text on line 15.
        #expect(found.contains("\(site.directory.subpath(path)):16: error: broken link '../cookeis/': the site has no page or file at /cookeis/; did you mean '/cookies/'?"), "\(found)")
        #expect(found.contains { $0.hasSuffix(":17: error: broken link '#sharnig': /privacy/2026-03-01/ has no anchor '#sharnig'; did you mean '#sharing'?") }, "\(found)")
        #expect(found.contains { $0.hasSuffix(":17: error: broken link '../cookies/#nothing-like-it': /cookies/ has no anchor '#nothing-like-it'") })
        #expect(found.contains { $0.hasSuffix(":18: error: broken link '/docs/v2/authentcation/': the site has no page or file at /docs/v2/authentcation/; did you mean '/docs/v2/authentication/'?") })
        #expect(found.contains { $0.hasSuffix(":18: error: broken link 'images/missing.png': no such image") })
        #expect(found.contains { $0.contains(":19: error: broken link '2026-02-30.md'") })
        #expect(found.count == 6, "each link once, though the version is published at two URLs: \(found)")
        #expect(!site.directory.exists("public"))
    }

    @Test func docsLinksAreCheckedToo() {
        let site = SiteFixture()
        site.directory.write("content/docs/v2/guides/webhooks.md", ContentFixture.docsPage(title: "Webhooks", body: "See [errors](../errros.md).\n"))
        let found = errors(site)
        #expect(found.count == 1)
        #expect(found.first?.hasSuffix("docs/v2/guides/webhooks.md:4: error: broken link '../errros.md': the site has no page or file at /docs/v2/errros/; did you mean '/docs/v2/errors/'?") == true, "\(found)")
    }

    @Test func siteYAMLCanLowerBrokenLinksToWarnings() throws {
        let site = site(with: "A [broken](../nowhere/) link.\n", siteYAML: ContentFixture.siteYAML + "\nlinks: warn\n")
        let report = try site.build()
        #expect(report.diagnostics.warnings.contains { $0.message.hasPrefix("broken link '../nowhere/'") })
        let bad = self.site(with: "", siteYAML: ContentFixture.siteYAML + "\nlinks: sometimes\n")
        #expect(throws: BuildFailure.self) { try bad.build() }
    }

    @Test func aFileBesideTheVersionsMayNotTakeANameThePolicysPagesUse() {
        let site = site(with: "")
        site.directory.write("content/policies/privacy/versions/old.pdf", "PDF")
        #expect(throws: BuildFailure.self) { try site.build() }
    }

    @Test func editDistanceCountsASwapAsOneEdit() {
        #expect(LinkCheck.editDistance("trems", "terms", limit: 3) == 1)
        #expect(LinkCheck.editDistance("kitten", "sitting", limit: 5) == 3)
        #expect(LinkCheck.editDistance("abc", "xyz-long", limit: 1) == 2)
    }
}
