import Foundation
import RedlineContent
import RedlineManifest
import RedlineMarkdown

/// The machine-readable files of a site: sitemap, robots.txt and the manifest.
enum SiteFiles {
    static func sitemap(_ pages: [PublishedPage], urls: SiteURLs) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for page in pages.filter(\.indexable).sorted(by: { $0.path < $1.path }) {
            xml += "  <url><loc>\(xmlEscaped(urls.absolute(page.path)))</loc>"
            if let day = page.lastModified { xml += "<lastmod>\(day)</lastmod>" }
            xml += "</url>\n"
        }
        return xml + "</urlset>\n"
    }

    static func robots(urls: SiteURLs) -> String {
        "User-agent: *\nAllow: /\n\nSitemap: \(urls.absolute(urls.basePath + "sitemap.xml"))\n"
    }

    static func xmlEscaped(_ text: String) -> String { text.htmlEscaped }
}
