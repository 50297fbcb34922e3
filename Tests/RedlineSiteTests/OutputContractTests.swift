import Crypto
import Foundation
import RedlineManifest
import RedlineTestSupport
import Testing
@testable import RedlineSite

@Suite struct OutputContractTests {
    @Test func writesEveryPageOfTheContract() throws {
        let site = SiteFixture()
        try site.build()
        for file in ["index.html", "404.html", "sitemap.xml", "robots.txt", "manifest.json", "assets/style.css",
                     "privacy/index.html", "privacy/versions/index.html",
                     "privacy/2026-01-01/index.html", "privacy/2026-03-01/index.html", "privacy/2026-09-01/index.html",
                     "docs/index.html", "docs/v1/index.html", "docs/v2/index.html",
                     "docs/v1/authentication/index.html", "docs/v1/legacy/index.html",
                     "docs/v2/authentication/index.html", "docs/v2/errors/index.html", "docs/v2/guides/webhooks/index.html"] {
            #expect(site.directory.exists("public/\(file)"), "missing \(file)")
        }
        #expect(site.leftovers().isEmpty)
    }

    @Test func policyURLShowsTheVersionInForceAndAnnouncesTheNext() throws {
        let site = SiteFixture()
        try site.build(now: "2026-06-15")
        let current = site.page("privacy/index.html")
        #expect(current.contains("Email address."))          // 2026-03-01 text
        #expect(current.contains("<p>Nobody.</p>"))
        #expect(current.contains("status-current"))
        #expect(current.contains("This policy is changing."))
        #expect(current.contains("href=\"/privacy/2026-09-01/\""))
        #expect(current.contains("<link rel=\"canonical\" href=\"https://legal.example.com/privacy/\">"))

        let upcoming = site.page("privacy/2026-09-01/index.html")
        #expect(upcoming.contains("Upcoming version."))
        #expect(upcoming.contains("status-upcoming"))
        #expect(upcoming.contains("<time datetime=\"2026-09-01\">"))
        #expect(!upcoming.contains("noindex"))

        let archived = site.page("privacy/2026-01-01/index.html")
        #expect(archived.contains("This version is no longer in force."))
        #expect(archived.contains("<meta name=\"robots\" content=\"noindex, follow\">"))
    }

    @Test func aLaterNowMakesTheUpcomingVersionCurrent() throws {
        let site = SiteFixture()
        try site.build(now: "2026-09-01")
        #expect(site.page("privacy/index.html").contains("<p>Carriers.</p>"))
        #expect(!site.page("privacy/index.html").contains("This policy is changing."))
        let statuses = try site.manifest().document("privacy")?.versions.map(\.status.rawValue)
        #expect(statuses == ["archived", "archived", "current"])
    }

    @Test func historyListsEveryVersionNewestFirst() throws {
        let site = SiteFixture()
        try site.build()
        let history = site.page("privacy/versions/index.html")
        let order = ["2026-09-01", "2026-03-01", "2026-01-01"].map { history.range(of: "href=\"/privacy/\($0)/\"")?.lowerBound }
        #expect(order.allSatisfy { $0 != nil })
        #expect(order[0]! < order[1]! && order[1]! < order[2]!)
        #expect(history.contains("Material change"))
        #expect(history.contains("Editorial change"))
        #expect(history.contains("We share with a carrier."))
    }

    @Test func manifestFollowsTheContract() throws {
        let site = SiteFixture()
        try site.build()
        let json = try JSONSerialization.jsonObject(with: Data(site.page("manifest.json").utf8)) as! [String: Any]
        #expect(json["generatedAt"] as? String == "2026-06-15T00:00:00Z")
        let documents = json["documents"] as! [[String: Any]]
        let privacy = documents[0]
        #expect(privacy["id"] as? String == "privacy")
        #expect(privacy["title"] as? String == "Privacy Policy")
        let versions = privacy["versions"] as! [[String: Any]]
        #expect(versions.count == 3)
        for version in versions {
            for key in ["effective", "material", "summary", "status", "url", "sha256"] {
                #expect(version.keys.contains(key), "version lacks \(key)")
            }
        }
        #expect(versions[1]["summary"] is NSNull)
        #expect(versions.map { $0["status"] as? String } == ["archived", "current", "upcoming"])
        #expect(versions[2]["url"] as? String == "https://legal.example.com/privacy/2026-09-01/")
        #expect(versions[2]["material"] as? Bool == true)
        let docs = json["docs"] as! [[String: Any]]
        #expect(docs.map { $0["version"] as? String } == ["v1", "v2"])
        #expect(docs.map { $0["latest"] as? Bool } == [false, true])
    }

    @Test func manifestHashIsTheSHA256OfTheRenderedBody() throws {
        let site = SiteFixture()
        try site.build()
        let manifest = try site.manifest()
        for version in manifest.document("privacy")!.versions {
            let page = site.page("privacy/\(version.effective)/index.html")
            let body = try #require(page.between("<div class=\"prose\">\n", "\n  </div>\n  <footer class=\"version-nav\">"))
            let hex = SHA256.hash(data: Data(body.utf8)).map { String(format: "%02x", $0) }.joined()
            #expect(version.sha256 == hex)
        }
        let hashes = Set(manifest.document("privacy")!.versions.map(\.sha256))
        #expect(hashes.count == 3)
    }

    @Test func identicalInputGivesIdenticalOutput() throws {
        let site = SiteFixture()
        try site.build()
        let first = site.page("manifest.json") + site.page("privacy/index.html") + site.page("sitemap.xml")
        try site.build()
        #expect(first == site.page("manifest.json") + site.page("privacy/index.html") + site.page("sitemap.xml"))
    }

    @Test func pagesHaveAnchorsAndATableOfContents() throws {
        let site = SiteFixture()
        try site.build()
        let page = site.page("privacy/index.html")
        #expect(page.contains("<h2 id=\"information-we-collect\">"))
        #expect(page.contains("<nav class=\"toc\" id=\"toc\""))
        #expect(page.contains("<a href=\"#information-we-collect\">Information we collect</a>"))
        #expect(page.contains("<a href=\"#sharing\">Sharing</a>"))
    }

    @Test func sitemapListsCanonicalPagesOnly() throws {
        let site = SiteFixture()
        try site.build()
        let sitemap = site.page("sitemap.xml")
        #expect(sitemap.contains("<loc>https://legal.example.com/privacy/</loc>"))
        #expect(sitemap.contains("<loc>https://legal.example.com/privacy/2026-09-01/</loc><lastmod>2026-09-01</lastmod>"))
        #expect(!sitemap.contains("privacy/2026-01-01/"), "archived versions are noindex")
        #expect(!sitemap.contains("docs/v1/authentication/"), "its canonical is the v2 page")
        #expect(sitemap.contains("docs/v1/legacy/"), "only v1 has it, so it is its own canonical")
        #expect(site.page("robots.txt").contains("Sitemap: https://legal.example.com/sitemap.xml"))
        #expect(site.page("404.html").contains("Page not found"))
    }

    @Test func baseURLWithAPathPrefixesEveryLink() throws {
        let site = SiteFixture()
        try site.build(baseURL: "http://127.0.0.1:8080/legal")
        let page = site.page("privacy/index.html")
        #expect(page.contains("href=\"/legal/assets/style.css\""))
        #expect(page.contains("href=\"/legal/privacy/2026-09-01/\""))
        #expect(page.contains("<link rel=\"canonical\" href=\"http://127.0.0.1:8080/legal/privacy/\">"))
        #expect(try site.manifest().site.baseURL == "http://127.0.0.1:8080/legal/")
    }
}
