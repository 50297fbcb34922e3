import Crypto
import Foundation
import RedlineContent

/// The render key of each page that a build may take from its cache: a digest of everything the
/// page's bytes depend on. Equal keys mean equal pages; anything the key leaves out that a page
/// reads would leave that page stale, so the keys err on the side of rendering again:
///
/// - every page: the redline executable, the build's options and day, site.yaml, the page
///   templates, and what the layout shows of the whole site (each policy's title, the docs versions);
/// - a policy's pages (its versions, change notices, history): every version of that policy;
/// - a docs page: its own file, the day it was last updated, its version's navigation (every page's path, title, weight and
///   flags) and which pages every docs version has (the version switcher and canonical links).
///
/// Pages that show the whole site (home, 404, search) are always rendered; a build rewrites a
/// file only when its bytes changed.
struct RenderKeys: Sendable {
    private let site: String
    private let documents: [String: String]
    private let docsStructure: String
    private let docsVersions: [String: String]
    private let lastUpdated: LastUpdated

    /// - Parameter inputs: the digest of what does not depend on the day (``RenderKeys/staticInputs(_:highlighter:)``).
    init(environment: RenderEnvironment, inputs: String) {
        let corpus = environment.corpus
        var site = Hasher256()
        site.add("format \(PageCache.format)", inputs, "now \(environment.now)", "all \(environment.searchAllVersions)")
        for document in corpus.policies { site.add("policy \(document.id) \(document.title(on: environment.now))") }
        // A translated page's navigation names each policy in its language.
        for locale in environment.site.languages {
            for document in corpus.policies {
                if let translation = document.featuredTranslation(in: locale, on: environment.now) {
                    site.add("policy \(document.id) \(locale) \(translation.title)")
                }
            }
        }
        site.add("docs \(corpus.docs.map(\.name).joined(separator: " ")) latest \(corpus.latestDocs?.name ?? "-")")
        self.site = site.hex
        lastUpdated = environment.lastUpdated

        var documents: [String: String] = [:]
        for document in corpus.policies {
            var hasher = Hasher256()
            for version in document.versions { hasher.add("version \(version.effective) \(version.source.digest)") }
            for version in document.drafts { hasher.add("draft \(version.effective) \(version.source.digest)") }
            documents[document.id] = hasher.hex
        }
        self.documents = documents

        var structure = Hasher256()
        var versions: [String: String] = [:]
        for version in corpus.docs {
            structure.add("version \(version.name)")
            var navigation = Hasher256()
            for page in version.pages + version.drafts {
                structure.add("page \(page.path) \(page.draft)")
                navigation.add("page \(page.path)\t\(page.title)\t\(page.weight.map(String.init) ?? "-")\t\(page.deprecated ?? "-")\t\(page.draft)")
            }
            versions[version.name] = navigation.hex
        }
        docsStructure = structure.hex
        docsVersions = versions
    }

    func policyVersion(_ document: PolicyDocument, _ version: PolicyVersion) -> String {
        key("policy-version", document.id, version.effective.description, documents[document.id] ?? "")
    }

    func changeNotice(_ change: PolicyChange) -> String {
        key("change-notice", change.document.id, change.previous.effective.description, change.version.effective.description,
            documents[change.document.id] ?? "")
    }

    func policyHistory(_ document: PolicyDocument) -> String {
        key("policy-history", document.id, documents[document.id] ?? "")
    }

    func docsPage(_ page: DocsPage) -> String {
        key("docs-page", page.version, page.path, page.source.digest, docsStructure, docsVersions[page.version] ?? "",
            "updated \(lastUpdated.day(of: page.source).map(\.description) ?? "-")")
    }

    /// `docs/<new>/changes/`: every page of both versions (the reference pages by their OpenAPI
    /// file) and the day the new version's OpenAPI file changed, which its feed says.
    func docsChanges(_ old: DocsVersion, _ new: DocsVersion, openAPI: SourceFile?) -> String {
        var pages = Hasher256()
        for version in [old, new] {
            pages.add("version \(version.name)")
            for page in version.pages { pages.add("page \(page.path)\t\(page.title)\t\(page.source.digest)") }
        }
        return key("docs-changes", old.name, new.name, docsStructure, pages.hex,
                   "updated \(openAPI.flatMap { lastUpdated.day(of: $0) }.map(\.description) ?? "-")")
    }

    /// A docs version's generated landing page, which lists all its pages.
    func docsIndex(_ version: DocsVersion) -> String {
        key("docs-index", version.name, docsStructure, docsVersions[version.name] ?? "")
    }

    /// A page made of the chrome alone ("Your Privacy Choices"): what every page depends on.
    func chromeOnly(_ name: String) -> String {
        key("chrome-only", name)
    }

    private func key(_ parts: String...) -> String {
        var hasher = Hasher256()
        hasher.add(site)
        hasher.add(contentsOf: parts)
        return hasher.hex
    }

    /// What every page depends on that is not content: the executable, the options, site.yaml and
    /// the page templates (not `assets/`, which pages only link to, nor `email/`).
    /// - Parameter highlighter: which highlighter coloured the code (its version), as its HTML is in the pages.
    static func staticInputs(_ options: BuildOptions, highlighter: String) -> String {
        var hasher = Hasher256()
        hasher.add("highlighter \(highlighter)")
        hasher.add("executable \(BuildInputs.executableFingerprint)",
                   "content \(options.contentDirectory)", "base \(options.baseURL ?? "-")", "drafts \(options.drafts)",
                   "generated \(options.generatedAt ?? "-")")
        hasher.add("site.yaml", FileManager.default.contents(atPath: "\(options.contentDirectory)/\(SiteConfig.fileName)") ?? Data())
        let templates = options.templatesDirectory
        let files = (FileManager.default.enumerator(atPath: templates)?.allObjects as? [String] ?? []).sorted()
        for file in files where !file.hasPrefix("assets/") && !file.hasPrefix("email/") && file != "assets" && file != "email" {
            guard let data = FileManager.default.contents(atPath: "\(templates)/\(file)") else { continue }
            hasher.add("template \(file)", data)
        }
        return hasher.hex
    }
}

/// SHA-256 over a sequence of parts, each length-prefixed so that no two sequences collide.
struct Hasher256 {
    private var hasher = SHA256()

    mutating func add(_ parts: String...) { add(contentsOf: parts) }

    mutating func add(contentsOf parts: [String]) {
        for part in parts { add(Data(part.utf8)) }
    }

    mutating func add(_ label: String, _ data: Data) {
        add(label)
        add(data)
    }

    private mutating func add(_ data: Data) {
        var length = UInt64(data.count).littleEndian
        withUnsafeBytes(of: &length) { hasher.update(bufferPointer: $0) }
        hasher.update(data: data)
    }

    var hex: String { Hex.encode(hasher.finalize()) }
}
