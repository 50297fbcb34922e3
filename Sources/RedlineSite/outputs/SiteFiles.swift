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
                         policyHashes: [PolicyHash.Key: String], docsHashes: [String: String], feeds: Feeds) throws(MissingHash) -> Manifest {
        // Every text the manifest lists was rendered, so each has its hash; one without is a bug
        // to stop on, never an empty hash that consent evidence would then cite.
        func policyHash(_ document: PolicyDocument, _ version: PolicyVersion, _ locale: String?) throws(MissingHash) -> String {
            let key = PolicyHash.Key(documentID: document.id, effective: version.effective, locale: locale)
            guard let hash = policyHashes[key] else {
                throw MissingHash(text: locale.map { urls.policyVersion(document.id, version.effective, locale: $0) } ?? urls.policyVersion(document.id, version.effective))
            }
            return hash
        }
        let documents = try corpus.publishedPolicies.map { document throws(MissingHash) in
            Manifest.Document(
                id: document.id, title: document.title(on: now),
                url: urls.absolute(urls.policy(document.id)),
                historyUrl: urls.absolute(urls.policyHistory(document.id)),
                versions: try document.versions.map { version throws(MissingHash) in
                    let change = feeds.changes.change(document.id, version.effective)
                    var entry = Manifest.Version(
                        effective: version.effective, title: version.title, material: version.material,
                        summary: version.summary, published: version.published?.description,
                        status: document.status(of: version, on: now),
                        url: urls.absolute(urls.policyVersion(document.id, version.effective)),
                        sha256: try policyHash(document, version, nil),
                        changesUrl: change.map { _ in urls.absolute(urls.policyChanges(document.id, version.effective)) },
                        changedSections: change.map { feeds.changedSections($0) } ?? [])
                    for locale in document.locales {
                        guard let translation = document.translation(of: version, in: locale) else { continue }
                        let hasPrevious = document.translations(in: locale).contains { $0.effective < version.effective }
                        entry.translations[locale] = .init(title: translation.title,
                                                           url: urls.absolute(urls.policyVersion(document.id, version.effective, locale: locale)),
                                                           sha256: try policyHash(document, version, locale),
                                                           summary: translation.summary,
                                                           changesUrl: hasPrevious ? urls.absolute(urls.policyChanges(document.id, version.effective, locale: locale)) : nil)
                    }
                    return entry
                })
        }
        func docsHash(_ version: DocsVersion, _ page: DocsPage) throws(MissingHash) -> String {
            guard let hash = docsHashes["\(version.name)/\(page.path)"] else { throw MissingHash(text: urls.docsPage(version.name, page.path)) }
            return hash
        }
        let latest = corpus.latestDocs?.name
        let docs = try corpus.docs.map { version throws(MissingHash) in
            Manifest.DocsVersion(
                version: version.name, latest: version.name == latest,
                url: urls.absolute(urls.docsVersion(version.name)),
                pages: try version.pages.map { page throws(MissingHash) in
                    Manifest.DocsPage(path: page.path, title: page.title,
                                      url: urls.absolute(urls.docsPage(version.name, page.path)),
                                      deprecated: page.deprecated != nil,
                                      sha256: try docsHash(version, page))
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

    /// A text the manifest lists whose page gave no hash.
    struct MissingHash: Error, CustomStringConvertible {
        let text: String
        var description: String { "no SHA-256 for \(text): its page was not rendered" }
    }

    static func xmlEscaped(_ text: String) -> String { text.htmlEscaped }
}
