import RedlineTestSupport
import Testing
@testable import RedlineSite

@Suite struct DocsPagesTests {
    @Test func oldVersionPagesPointToTheLatestEquivalent() throws {
        let site = SiteFixture()
        try site.build()
        let old = site.page("docs/v1/authentication/index.html")
        #expect(old.contains("<link rel=\"canonical\" href=\"https://legal.example.com/docs/v2/authentication/\">"))
        #expect(old.contains("class=\"notice notice-old\""))
        #expect(old.contains("<a href=\"/docs/v2/authentication/\">read this page for v2</a>"))

        let onlyInV1 = site.page("docs/v1/legacy/index.html")
        #expect(onlyInV1.contains("<link rel=\"canonical\" href=\"https://legal.example.com/docs/v1/legacy/\">"))
        #expect(onlyInV1.contains("this page does not exist there"))

        let latest = site.page("docs/v2/authentication/index.html")
        #expect(!latest.contains("notice-old"))
        #expect(latest.contains("<link rel=\"canonical\" href=\"https://legal.example.com/docs/v2/authentication/\">"))
    }

    @Test func versionSwitcherKeepsTheReaderOnTheSamePage() throws {
        let site = SiteFixture()
        try site.build()
        let switcher = try #require(site.page("docs/v2/authentication/index.html").between("<details class=\"version-switcher\">", "</details>"))
        #expect(switcher.contains("<a href=\"/docs/v1/authentication/\">v1"))
        #expect(switcher.contains("<a href=\"/docs/v2/authentication/\" aria-current=\"true\">v2 (latest)"))
        // A page v1 lacks sends the reader to v1's start page, and says so.
        let fromErrors = try #require(site.page("docs/v2/errors/index.html").between("<details class=\"version-switcher\">", "</details>"))
        #expect(fromErrors.contains("<a href=\"/docs/v1/\">v1"))
        #expect(fromErrors.contains("page not in v1"))
    }

    @Test func docsHomeIsTheLatestVersion() throws {
        let site = SiteFixture()
        try site.build()
        let home = site.page("docs/index.html")
        #expect(home.contains("API v2 documentation"))
        #expect(home.contains("<link rel=\"canonical\" href=\"https://legal.example.com/docs/v2/\">"))
        #expect(home.contains("href=\"/docs/v2/guides/webhooks/\""))
    }

    @Test func relativeLinksWorkFromEveryURL() throws {
        let site = SiteFixture()
        try site.build()
        // guides/webhooks.md links to ../errors.md: relative to the file, it is docs/v2/errors.
        #expect(site.page("docs/v2/guides/webhooks/index.html").contains("<a href=\"/docs/v2/errors/\">errors</a>"))
    }

    @Test(arguments: [
        ("/docs/v2/guides/webhooks/", "/docs/v2/guides/", "../errors.md", "/docs/v2/errors/"),
        ("/docs/v2/guides/webhooks/", "/docs/v2/guides/", "../errors/", "/docs/v2/guides/errors/"),
        ("/docs/v2/", "/docs/v2/", "shipments/create.md#request", "/docs/v2/shipments/create/#request"),
        ("/docs/v2/", "/docs/v2/", "guides/index.md", "/docs/v2/guides/"),
        ("/privacy/2026-01-01/", "/privacy/", "../../cookies/", "/cookies/"),
        ("/docs/v2/a/", "/docs/v2/", "https://example.com/x", "https://example.com/x"),
        ("/docs/v2/a/", "/docs/v2/", "mailto:privacy@example.com", "mailto:privacy@example.com"),
        ("/docs/v2/a/", "/docs/v2/", "#top", "#top"),
        ("/docs/v2/a/", "/docs/v2/", "/absolute/", "/absolute/"),
        ("/docs/v2/a/", "/docs/v2/", "diagram.png", "/docs/v2/a/diagram.png"),
    ])
    func linkResolution(page: String, folder: String, link: String, expected: String) {
        #expect(LinkResolver(pagePath: page, sourceFolderPath: folder).resolve(link) == expected)
    }
}
