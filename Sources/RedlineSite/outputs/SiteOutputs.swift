import Foundation
import RedlineContent
import RedlineManifest

/// A file of the site that is not a page: a feed, the sitemap, the manifest, a copied asset.
struct SiteOutput {
    enum Contents {
        /// Made once every page is rendered, from what the pages gave.
        case made((FinishedPages) throws -> Data)
        /// A file of the templates or content folder, copied as it is.
        case copied(from: String)
    }

    /// Where it is served: a URL path under the site's base path.
    let path: String
    let contents: Contents

    static func made(_ path: String, _ make: @escaping (FinishedPages) throws -> String) -> SiteOutput {
        SiteOutput(path: path, contents: .made { Data(try make($0).utf8) })
    }
}

/// What the non-page files are made of: every page's outcome (paths and hashes), and the build's own facts.
struct FinishedPages {
    let outcome: PageOutcome
    let generatedAt: String
    /// The upcoming days the build also wrote the site for, which the manifest lists.
    let asOf: [Day]
}

/// The one list of the site's non-page files. The write loop, the file count and the link
/// check's targets all derive from it, so a file added here is written, counted and linkable.
struct SiteOutputs {
    let environment: RenderEnvironment
    let changes: PolicyChanges
    /// The templates folder, whose `assets/` the site copies.
    let templatesDirectory: String

    /// Every file, with the assets when `withAssets` (an as-of day's site uses the site's own).
    func all(withAssets: Bool = true) -> [SiteOutput] {
        made(withDocs: withAssets) + (withAssets ? copied() : [])
    }

    /// - Parameter withDocs: the docs versions' own files too; an as-of day's site has none, since docs do not change with the day.
    private func made(withDocs: Bool) -> [SiteOutput] {
        let urls = environment.urls
        let feeds = Feeds(environment: environment, changes: changes)
        let consent = ConsentFiles(corpus: environment.corpus, urls: urls, now: environment.now)
        var outputs: [SiteOutput] = [
            .made(urls.basePath + "sitemap.xml") { SiteFiles.sitemap($0.outcome.pages, urls: urls) },
            .made(urls.basePath + "robots.txt") { _ in SiteFiles.robots(urls: urls) },
            SiteOutput(path: urls.basePath + "manifest.json", contents: .made { try manifest(for: $0, feeds: feeds, consent: consent).encoded() }),
            .made(urls.siteFeed) { _ in feeds.atom(for: nil) },
            SiteOutput(path: urls.changesJSON, contents: .made { try feeds.json(generatedAt: $0.generatedAt) }),
            SiteOutput(path: urls.consentConfig, contents: .made { _ in try consent.bannerConfig() }),
            SiteOutput(path: urls.consentSignals, contents: .made { _ in
                try ConsentSignals(settings: environment.site.consent).script(templatesDirectory: templatesDirectory)
            }),
            .made(urls.basePath + ".well-known/gpc.json") { _ in consent.gpcDeclaration() },
            .made(urls.printStylesheet) { _ in PrintStylesheet.css(urls: urls) },
        ]
        outputs += llmsFiles(withDocs: withDocs)
        for document in environment.corpus.publishedPolicies {
            outputs.append(.made(urls.policyFeed(document.id)) { _ in feeds.atom(for: document) })
            for locale in document.locales {
                let feed = TranslationFeed(environment: environment, document: document, locale: locale)
                outputs.append(.made(urls.policyFeed(document.id, locale: locale)) { _ in feed.atom() })
            }
        }
        return outputs
    }

    /// `llms.txt` and `llms-full.txt` at the root and in every docs version's folder.
    private func llmsFiles(withDocs: Bool) -> [SiteOutput] {
        let urls = environment.urls
        let llms = LLMsText(environment: environment, changes: changes)
        let site = environment.site
        let read: (String) -> Data? = { [staging = environment.staging] path in staging?.contents(of: urls.outputFile(forPath: path)) }
        let summary = site.description ?? "The policies, change notices and API documentation of \(site.title), as Markdown."
        let sections = llms.siteSections()
        var outputs: [SiteOutput] = [
            .made(urls.basePath + "llms.txt") { _ in llms.text(title: site.title, summary: summary, sections: sections) },
            .made(urls.basePath + "llms-full.txt") { _ in llms.full(sections, read: read) },
        ]
        for version in environment.corpus.docs where withDocs {
            let folder = urls.docsVersion(version.name)
            let sections = llms.docsSections(version)
            outputs.append(.made(folder + "llms.txt") { _ in
                llms.text(title: "\(site.title): API documentation \(version.name)",
                          summary: "Every page of the \(version.name) API documentation of \(site.title), as Markdown.", sections: sections)
            })
            outputs.append(.made(folder + "llms-full.txt") { _ in llms.full(sections, read: read) })
        }
        return outputs
    }

    private func manifest(for pages: FinishedPages, feeds: Feeds, consent: ConsentFiles) throws -> Manifest {
        var output = ManifestOutput(corpus: environment.corpus, urls: environment.urls, now: environment.now,
                                    hashes: pages.outcome.hashes, feeds: feeds)
        // "Try it" sends from the reader's browser to the API: exactly its origins, and no other.
        output.tryItOrigins = TryItData.origins(site: environment.site, references: environment.apiReferences.sorted { $0.key < $1.key }.map(\.value))
        var manifest = try output.manifest(generatedAt: pages.generatedAt)
        manifest.consent = consent.manifestSection
        if !pages.asOf.isEmpty { manifest.asOf = pages.asOf }
        return manifest
    }

    /// The stylesheet and scripts, docs images, files beside policy versions.
    private func copied() -> [SiteOutput] {
        let urls = environment.urls
        var outputs = Self.assetFiles(in: templatesDirectory).map {
            SiteOutput(path: urls.basePath + "assets/" + $0, contents: .copied(from: "\(templatesDirectory)/assets/\($0)"))
        }
        for version in environment.corpus.docs {
            outputs += version.assets.map {
                SiteOutput(path: urls.docsVersion(version.name) + $0, contents: .copied(from: "\(version.directory)/\($0)"))
            }
        }
        for document in environment.corpus.policies {
            outputs += document.assets.map {
                SiteOutput(path: urls.policy(document.id) + $0, contents: .copied(from: "\(document.directory)/\($0)"))
            }
        }
        return outputs
    }

    /// The files under `templates/assets/`, sorted, without folders and hidden files.
    static func assetFiles(in templatesDirectory: String) -> [String] {
        let folder = "\(templatesDirectory)/assets"
        return (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []).sorted().filter { file in
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: "\(folder)/\(file)", isDirectory: &isDirectory)
            return exists && !isDirectory.boolValue && !file.hasPrefix(".")
        }
    }

    /// Writes every file into `staging`; returns how many.
    func write(_ pages: FinishedPages, to staging: StagingDirectory, withAssets: Bool = true) throws -> Int {
        let outputs = all(withAssets: withAssets)
        for output in outputs {
            let file = environment.urls.outputFile(forPath: output.path)
            switch output.contents {
            case let .made(make): try staging.write(try make(pages), to: file)
            case let .copied(source): try staging.copy(from: source, to: file)
            }
        }
        return outputs.count
    }
}
