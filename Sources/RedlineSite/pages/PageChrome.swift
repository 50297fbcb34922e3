import RedlineContent
import RedlineMarkdown

/// The parts of the layout every page shares: head metadata, navigation, footer, table of contents.
struct PageChrome {
    /// ids the layout uses, which a heading in the content must not take.
    static let reservedAnchors: Set<String> = ["main", "toc", "toc-title", "site-nav", "top", "footer", "policies", "api-documentation",
                                                 "sections-changed", "redline-title",
                                                 "site-search-query", "search-query", "search-help", "search-results", "search-status",
                                                 "all-pages", "all-pages-title", "privacy-choices"]

    enum Section: Equatable {
        case home, policy(String), docs, other
    }

    let environment: RenderEnvironment

    /// - Parameter locale: a translated page's language: its chrome's words, dates and navigation
    ///   are that language's (nil: the site's own).
    func context(title: String, path: String, canonicalPath: String? = nil, description: String? = nil,
                 noindex: Bool = false, section: Section, outline: [Heading] = [], locale: String? = nil) -> ChromeContext {
        let urls = environment.urls
        let corpus = environment.corpus
        let words = PageWords(site: environment.site, locale: locale)
        var nav: [ChromeContext.NavLink] = corpus.policies.map { document in
            // A translated page leads to the language's own text of each policy that has one.
            if let locale, let translation = document.featuredTranslation(in: locale, on: environment.now) {
                return .init(title: translation.title, url: urls.policy(document.id, locale: locale), current: section == .policy(document.id))
            }
            return .init(title: document.title(on: environment.now), url: urls.policy(document.id), current: section == .policy(document.id))
        }
        if !corpus.docs.isEmpty {
            nav.append(.init(title: words["apiDocs"], url: urls.docsHome, current: section == .docs))
        }
        let toc = Self.tableOfContents(outline)
        return ChromeContext(
            lang: words.locale, t: words.templateContext,
            builtFor: words.longDate(environment.now), builtForDate: environment.now.description,
            siteTitle: environment.site.title, pageTitle: title, isHome: section == .home,
            description: description ?? environment.site.description ?? "",
            canonical: urls.absolute(canonicalPath ?? path), noindex: noindex,
            stylesheet: urls.stylesheet, consentScript: urls.consentScript, consentConfig: urls.consentConfig,
            consentSignals: urls.consentSignals, privacyChoicesURL: urls.privacyChoices,
            printStylesheet: urls.printStylesheet, searchURL: locale.map { urls.search(locale: $0) } ?? urls.search,
            homeURL: urls.home, nav: nav, toc: toc, hasToc: !toc.isEmpty, year: String(environment.now.year),
            copyPageScript: urls.copyPageScript)
    }

    /// Levels 2 and 3 of the outline, nested; deeper headings would make the list too long to scan.
    static func tableOfContents(_ outline: [Heading]) -> [ChromeContext.TocEntry] {
        let headings = outline.filter { $0.level <= 3 }
        guard let top = headings.map(\.level).min() else { return [] }
        var entries: [ChromeContext.TocEntry] = []
        var children: [ChromeContext.TocEntry] = []
        func flush() {
            guard !entries.isEmpty else { return }
            entries[entries.count - 1].children = children
            entries[entries.count - 1].hasChildren = !children.isEmpty
            children = []
        }
        for heading in headings {
            let entry = ChromeContext.TocEntry(text: heading.text, anchor: heading.anchor)
            if heading.level == top || entries.isEmpty {
                flush()
                entries.append(entry)
            } else {
                children.append(entry)
            }
        }
        flush()
        return entries
    }
}

/// What the layout shows on every page: head metadata, navigation, footer, table of contents.
struct ChromeContext {
    struct NavLink {
        let title: String
        let url: String
        let current: Bool
    }

    struct TocEntry {
        let text: String
        let anchor: String
        /// Set on top-level entries only: a nested entry's lookup of these reaches its parent's, as the template expects.
        var children: [TocEntry]? = nil
        var hasChildren: Bool? = nil
    }

    let lang: String
    /// The page's words in its language, by name (`t.skipToContent`).
    let t: [String: String]
    /// Which day's state of the policies the page shows: a static host must rebuild daily.
    let builtFor: String
    let builtForDate: String
    let siteTitle: String
    var pageTitle: String
    let isHome: Bool
    var description: String
    var canonical: String
    var noindex: Bool
    let stylesheet: String
    let consentScript: String
    let consentConfig: String
    let consentSignals: String
    let privacyChoicesURL: String
    let printStylesheet: String
    let searchURL: String
    let homeURL: String
    let nav: [NavLink]
    let toc: [TocEntry]
    let hasToc: Bool
    let year: String
    let copyPageScript: String
    /// The page's Markdown twin, for "Copy page" and `<link rel="alternate">`; nil: the page has none.
    var markdownURL: String? = nil
}
