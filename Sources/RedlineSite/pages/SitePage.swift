import RedlineContent
import RedlineParallel

/// One kind of page the build makes. A new kind is one file that conforms and one line in
/// ``SitePages/kinds``: its jobs, its cache key and its templates follow from the conformance.
protocol SitePage: Sendable {
    /// The templates this kind renders, each with what it is for: a template folder must have them all.
    static var templates: [String: String] { get }
    /// Whether the pages read the build's day (policy pages do, docs pages do not): only those are
    /// written again for each upcoming day under `.redline/as-of/`.
    static var changesWithTheDay: Bool { get }
    /// Every page of this kind the site has.
    static func pages(of site: PageSource) -> [Self]
    /// A digest of everything the page's bytes depend on, for the build cache; nil to render it every time.
    func renderKey(_ keys: RenderKeys) -> String?
    func render() -> PageOutcome
}

extension SitePage {
    static var changesWithTheDay: Bool { true }
    func renderKey(_ keys: RenderKeys) -> String? { nil }
}

/// The registry: every kind of page, in the order their pages are made.
enum SitePages {
    static let kinds: [any SitePage.Type] = [
        HomePage.self,
        NotFoundPage.self,
        PrivacyChoicesPage.self,
        PolicyHistoryPage.self,
        PolicyVersionPage.self,
        ChangeNoticePage.self,
        TranslatedVersionPage.self,
        TranslatedChangeNotice.self,
        DocsIndexPage.self,
        DocsContentPage.self,
        DocsChangesPage.self,
    ]

    /// Every page of `site`: of every kind, or with `dayDependentOnly` of the kinds that change with the day.
    static func all(of site: PageSource, dayDependentOnly: Bool = false) -> [any SitePage] {
        kinds.filter { !dayDependentOnly || $0.changesWithTheDay }.flatMap { $0.pages(of: site) as [any SitePage] }
    }

    /// The templates the pages render, and the search page's.
    static var templates: [String: String] {
        kinds.reduce(into: SearchOutput.templates) { all, kind in all.merge(kind.templates) { first, _ in first } }
    }
}

/// What page kinds make their pages from: the build's environment, its policy changes, and a
/// renderer for each docs version, made once and shared by that version's pages.
struct PageSource: Sendable {
    let environment: RenderEnvironment
    let changes: PolicyChanges
    /// Each docs version's renderer with the version before it, oldest first.
    let docs: [(renderer: DocsPageRenderer, previous: DocsVersion?)]

    init(environment: RenderEnvironment, changes: PolicyChanges, withDocs: Bool = true) {
        self.environment = environment
        self.changes = changes
        let corpus = environment.corpus
        guard withDocs, let latest = corpus.latestDocs else {
            docs = []
            return
        }
        docs = corpus.docs.enumerated().map { index, version in
            let navigation = DocsNavigation(version: version, templates: environment.templates, urls: environment.urls)
            let renderer = DocsPageRenderer(environment: environment, navigation: navigation, allVersions: corpus.docs, latest: latest)
            return (renderer, index > 0 ? corpus.docs[index - 1] : nil)
        }
    }
}

extension SitePages {
    /// [render]: every page of `site`, on every core. A page whose render key the last build
    /// also had is taken from the cache instead of rendered.
    static func render(_ site: PageSource, dayDependentOnly: Bool = false) -> PageOutcome {
        let environment = site.environment
        let keys = environment.cache.map { _ in RenderKeys(environment: environment, inputs: environment.renderInputs) }
        let outcomes = parallelMap(all(of: site, dayDependentOnly: dayDependentOnly)) { page -> PageOutcome in
            // The same page written for an upcoming day goes under .redline/as-of/<day>/: the key names where.
            let key = keys.flatMap { page.renderKey($0) }.map { (environment.staging?.prefix ?? "") + $0 }
            if let key, let cache = environment.cache, let staging = environment.staging,
               let reused = cache.reuse(key, in: staging, urls: environment.urls) {
                return reused
            }
            let outcome = page.render()
            if let key { environment.cache?.store(key, outcome) }
            return outcome
        }
        return PageOutcome(merging: outcomes)
    }
}
