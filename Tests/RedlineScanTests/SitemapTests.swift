import Foundation
import Testing
@testable import RedlineScan

@Suite struct SitemapTests {
    @Test func readsEveryLocationInOrderWithItsEscapesUndone() {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
              <url><loc>https://legal.example/</loc><lastmod>2026-06-01</lastmod></url>
              <url><loc>https://legal.example/docs/?a=1&amp;b=2</loc></url>
              <url><loc>
                https://legal.example/privacy/</loc></url>
            </urlset>
            """
        #expect(Sitemap.locations(in: xml) == ["https://legal.example/", "https://legal.example/docs/?a=1&b=2", "https://legal.example/privacy/"])
        #expect(Sitemap.locations(in: "<urlset></urlset>").isEmpty)
        #expect(Sitemap.unescaped("&amp;lt;") == "&lt;")
    }

    @Test func mapsLocationsUnderTheBaseURLOntoPathsOnce() {
        let locations = ["https://legal.example/", "https://legal.example/privacy/", "https://other.example/x/",
                         "https://legal.example/privacy/", "https://legal.example.evil/x/"]
        #expect(Sitemap.paths(locations, baseURL: "https://legal.example/") == ["/", "/privacy/"])
        #expect(Sitemap.paths(locations, baseURL: "https://legal.example") == ["/", "/privacy/"])
    }
}
