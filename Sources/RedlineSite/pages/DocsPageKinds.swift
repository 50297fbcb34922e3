import RedlineContent

/// `docs/<version>/<path>/`: a page written in the docs folder.
struct DocsContentPage: SitePage {
    static let templates = ["docs-page": "docs pages"]
    static let changesWithTheDay = false

    let renderer: DocsPageRenderer
    let page: DocsPage

    static func pages(of site: PageSource) -> [DocsContentPage] {
        site.docs.flatMap { docs in
            (docs.renderer.version.pages + docs.renderer.version.drafts).map { DocsContentPage(renderer: docs.renderer, page: $0) }
        }
    }

    func renderKey(_ keys: RenderKeys) -> String? { keys.docsPage(page) }
    func render() -> PageOutcome { renderer.render(page) }
}

/// `docs/<version>/`, for a version without an `index.md` of its own: every page, by section.
struct DocsIndexPage: SitePage {
    static let templates = ["docs-index": "docs version index pages"]
    static let changesWithTheDay = false

    let renderer: DocsPageRenderer

    static func pages(of site: PageSource) -> [DocsIndexPage] {
        site.docs.filter { $0.renderer.version.indexPage == nil }.map { DocsIndexPage(renderer: $0.renderer) }
    }

    func renderKey(_ keys: RenderKeys) -> String? { keys.docsIndex(renderer.version) }
    func render() -> PageOutcome { renderer.renderGeneratedIndex() }
}
