import RedlineContent
import RedlineManifest

/// `manifest.json`: the contract between the build and the server (``Manifest``), made from the
/// corpus and the hashes of the texts the pages rendered.
struct ManifestOutput {
    let corpus: Corpus
    let urls: SiteURLs
    let now: Day
    let hashes: (policies: [PolicyHash.Key: String], docs: [String: String])
    let feeds: Feeds
    /// Where the API reference's "Try it" may send (``TryItData/origins(site:references:)``): `connect-src` allows them.
    var tryItOrigins: [String] = []

    /// A text the manifest lists whose page gave no hash.
    struct MissingHash: Error, CustomStringConvertible {
        let text: String
        var description: String { "no SHA-256 for \(text): its page was not rendered" }
    }

    func manifest(generatedAt: String) throws(MissingHash) -> Manifest {
        let site = corpus.site
        return Manifest(generatedAt: generatedAt, buildDate: now,
                        site: .init(title: site.title, baseURL: urls.baseURL, language: site.language,
                                    notices: .init(approval: site.notices.approval, replyTo: site.notices.replyTo, contact: site.notices.contact,
                                                   periodDays: site.noticeDays, periods: site.notices.periods.isEmpty ? nil : site.notices.periods,
                                                   editorial: site.notices.editorial == .none ? nil : site.notices.editorial),
                                    contentSecurityPolicy: contentSecurityPolicy),
                        documents: try corpus.publishedPolicies.map { document throws(MissingHash) in try self.document(document) },
                        docs: try corpus.docs.map { version throws(MissingHash) in try docsVersion(version) })
    }

    /// site.yaml's origins, with those Google's tag needs when Redline loads it and those "Try it" sends to.
    private var contentSecurityPolicy: [String: [String]]? {
        var policy = corpus.site.contentSecurityPolicy
        let added = (corpus.site.consent.googleConsentMode?.contentSecurityPolicy ?? [:])
            .merging(tryItOrigins.isEmpty ? [:] : ["connect-src": tryItOrigins]) { $0 + $1 }
        for (directive, origins) in added {
            policy[directive, default: []] += origins.filter { !(policy[directive] ?? []).contains($0) }
        }
        return policy.isEmpty ? nil : policy
    }

    private func document(_ document: PolicyDocument) throws(MissingHash) -> Manifest.Document {
        Manifest.Document(
            id: document.id, title: document.title(on: now),
            url: urls.absolute(urls.policy(document.id)),
            historyUrl: urls.absolute(urls.policyHistory(document.id)),
            versions: try document.versions.map { version throws(MissingHash) in try self.version(version, of: document) })
    }

    private func version(_ version: PolicyVersion, of document: PolicyDocument) throws(MissingHash) -> Manifest.Version {
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
    }

    private func docsVersion(_ version: DocsVersion) throws(MissingHash) -> Manifest.DocsVersion {
        Manifest.DocsVersion(
            version: version.name, latest: version.name == corpus.latestDocs?.name,
            url: urls.absolute(urls.docsVersion(version.name)),
            pages: try version.pages.map { page throws(MissingHash) in
                guard let hash = hashes.docs["\(version.name)/\(page.path)"] else { throw MissingHash(text: urls.docsPage(version.name, page.path)) }
                return Manifest.DocsPage(path: page.path, title: page.title, url: urls.absolute(urls.docsPage(version.name, page.path)),
                                         deprecated: page.deprecated != nil, sha256: hash)
            },
            prerelease: corpus.isPrerelease(version) ? true : nil)
    }

    /// Every text the manifest lists was rendered, so each has its hash; one without is a bug to
    /// stop on, never an empty hash that consent evidence would then cite.
    private func policyHash(_ document: PolicyDocument, _ version: PolicyVersion, _ locale: String?) throws(MissingHash) -> String {
        if let hash = hashes.policies[PolicyHash.Key(documentID: document.id, effective: version.effective, locale: locale)] { return hash }
        throw MissingHash(text: locale.map { urls.policyVersion(document.id, version.effective, locale: $0) } ?? urls.policyVersion(document.id, version.effective))
    }
}
