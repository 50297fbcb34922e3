import Foundation
import RedlineSite
import Testing

@Suite struct SearchOutputTests {
    func json(_ site: SiteFixture, _ path: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(site.page(path).utf8))
    }

    /// Every URL named by the index's result chunks.
    func indexedURLs(_ site: SiteFixture) throws -> [String] {
        let meta = try #require(try json(site, "search/meta.json") as? [String: Any])
        let chunks = try #require(meta["chunks"] as? Int)
        var urls: [String] = []
        for number in 0..<chunks {
            for case let page as [String: String] in try #require(try json(site, "search/sections/\(number).json") as? [Any]) {
                if let url = page["u"], !urls.contains(url) { urls.append(url) }
            }
        }
        return urls
    }

    @Test func indexesThePoliciesInForceAndTheLatestDocsOnly() throws {
        let site = SiteFixture()
        try site.build()
        let urls = try indexedURLs(site)
        #expect(urls.contains("/privacy/"))
        #expect(!urls.contains { $0.range(of: #"/privacy/\d{4}-"#, options: .regularExpression) != nil }, "no permanent version URLs")
        let manifest = try site.manifest()
        let latest = try #require(manifest.docs.first { $0.latest })
        #expect(urls.contains { $0.hasPrefix("/docs/\(latest.version)/") })
        #expect(!urls.contains { $0.hasPrefix("/docs/") && !$0.hasPrefix("/docs/\(latest.version)/") })
        #expect(!site.page("search/index.html").contains("search-scope"), "no version filter with one version indexed")

        // The search page lists the same pages as plain links, for readers without JavaScript.
        let page = site.page("search/index.html")
        for url in urls { #expect(page.contains("<a href=\"\(url)\">"), "\(url) is missing from the link list") }
        #expect(page.contains("data-index=\"/search/meta.json\""))
    }

    @Test func anOptionIndexesEveryVersion() throws {
        let site = SiteFixture()
        var options = site.options()
        options.searchAllVersions = true
        _ = try SiteBuilder.build(options)
        let urls = try indexedURLs(site)
        let manifest = try site.manifest()
        let versions = manifest.documents.flatMap(\.versions).count
        #expect(urls.filter { $0.range(of: #"^/[a-z-]+/\d{4}-\d\d-\d\d/$"#, options: .regularExpression) != nil }.count
                == versions - manifest.documents.count, "every version but the one at the policy's own URL")
        #expect(Set(manifest.docs.map(\.version)).allSatisfy { name in urls.contains { $0.hasPrefix("/docs/\(name)/") } })
        // Each docs version is a scope the search page can limit results to.
        let meta = try #require(try json(site, "search/meta.json") as? [String: Any])
        let scopes = try #require(meta["scopes"] as? [[String: Any]])
        #expect(Set(scopes.compactMap { $0["name"] as? String }) == Set(manifest.docs.map(\.version)))
        #expect(site.page("search/index.html").contains("id=\"search-scope\""))
    }

    @Test func theSameContentGivesTheSameIndex() throws {
        let one = SiteFixture()
        let two = SiteFixture()
        try one.build()
        try two.build()
        #expect(one.page("search/meta.json") == two.page("search/meta.json"))
        #expect(!one.page("search/meta.json").isEmpty)
    }

    @Test func printedLinksCarryTheSiteOriginUnderItsBasePath() throws {
        let site = SiteFixture()
        try site.build(baseURL: "https://example.org/legal/")
        let css = site.page("assets/print-urls.css")
        #expect(css.contains(#"content: " (https://example.org" attr(href) ")""#), "hrefs already start with /legal/")
        #expect(site.page("privacy/index.html").contains(#"<link rel="stylesheet" href="/legal/assets/print-urls.css" media="print">"#))
    }
}
