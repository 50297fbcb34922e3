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

    static func manifest(corpus: Corpus, urls: SiteURLs, now: Day, generatedAt: String,
                         policyHashes: [PolicyHash.Key: String], docsHashes: [String: String], feeds: Feeds) -> Manifest {
        let documents = corpus.publishedPolicies.map { document in
            Manifest.Document(
                id: document.id, title: document.title(on: now),
                url: urls.absolute(urls.policy(document.id)),
                historyUrl: urls.absolute(urls.policyHistory(document.id)),
                versions: document.versions.map { version in
                    let change = feeds.changes.change(document.id, version.effective)
                    var entry = Manifest.Version(
                        effective: version.effective, title: version.title, material: version.material,
                        summary: version.summary, published: version.published?.description,
                        status: document.status(of: version, on: now),
                        url: urls.absolute(urls.policyVersion(document.id, version.effective)),
                        sha256: policyHashes[.init(documentID: document.id, effective: version.effective, locale: nil)] ?? "",
                        changesUrl: change.map { _ in urls.absolute(urls.policyChanges(document.id, version.effective)) },
                        changedSections: change.map { feeds.changedSections($0) } ?? [])
                    for locale in document.locales {
                        guard let translation = document.translation(of: version, in: locale) else { continue }
                        let hasPrevious = document.translations(in: locale).contains { $0.effective < version.effective }
                        entry.translations[locale] = .init(title: translation.title,
                                                           url: urls.absolute(urls.policyVersion(document.id, version.effective, locale: locale)),
                                                           sha256: policyHashes[.init(documentID: document.id, effective: version.effective, locale: locale)] ?? "",
                                                           summary: translation.summary,
                                                           changesUrl: hasPrevious ? urls.absolute(urls.policyChanges(document.id, version.effective, locale: locale)) : nil)
                    }
                    return entry
                })
        }
        let latest = corpus.latestDocs?.name
        let docs = corpus.docs.map { version in
            Manifest.DocsVersion(
                version: version.name, latest: version.name == latest,
                url: urls.absolute(urls.docsVersion(version.name)),
                pages: version.pages.map { page in
                    Manifest.DocsPage(path: page.path, title: page.title,
                                      url: urls.absolute(urls.docsPage(version.name, page.path)),
                                      deprecated: page.deprecated != nil,
                                      sha256: docsHashes["\(version.name)/\(page.path)"] ?? "")
                },
                prerelease: corpus.isPrerelease(version) ? true : nil)
        }
        return Manifest(generatedAt: generatedAt, buildDate: now,
                        site: .init(title: corpus.site.title, baseURL: urls.baseURL, language: corpus.site.language,
                                    notices: .init(approval: corpus.site.notices.approval, replyTo: corpus.site.notices.replyTo,
                                                   contact: corpus.site.notices.contact),
                                    contentSecurityPolicy: corpus.site.contentSecurityPolicy.isEmpty ? nil : corpus.site.contentSecurityPolicy),
                        documents: documents, docs: docs)
    }

    static func xmlEscaped(_ text: String) -> String { text.htmlEscaped }
}
