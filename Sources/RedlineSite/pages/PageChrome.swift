import RedlineContent
import RedlineMarkdown

/// The parts of the layout every page shares: head metadata, navigation, footer, table of contents.
struct PageChrome {
    /// ids the layout uses, which a heading in the content must not take.
    static let reservedAnchors: Set<String> = ["main", "toc", "toc-title", "site-nav", "top", "footer", "policies", "api-documentation",
                                                 "sections-changed", "redline-title",
                                                 "site-search-query", "search-query", "search-help", "search-results", "search-status",
                                                 "all-pages", "all-pages-title"]

    enum Section: Equatable {
        case home, policy(String), docs, other
    }

    let environment: RenderEnvironment

    /// - Parameter locale: a translated page's language: its chrome's words, dates and navigation
    ///   are that language's (nil: the site's own).
    func context(title: String, path: String, canonicalPath: String? = nil, description: String? = nil,
                 noindex: Bool = false, section: Section, outline: [Heading] = [], locale: String? = nil) -> [String: Any] {
        let urls = environment.urls
        let corpus = environment.corpus
        let words = PageWords(site: environment.site, locale: locale)
        var nav: [[String: Any]] = corpus.policies.map { document in
            // A translated page leads to the language's own text of each policy that has one.
            if let locale, let translation = document.featuredTranslation(in: locale, on: environment.now) {
                return ["title": translation.title, "url": urls.policy(document.id, locale: locale), "current": section == .policy(document.id)]
            }
            return ["title": document.title(on: environment.now), "url": urls.policy(document.id), "current": section == .policy(document.id)]
        }
        if !corpus.docs.isEmpty {
            nav.append(["title": words["apiDocs"], "url": urls.docsHome, "current": section == .docs])
        }
        let toc = Self.tableOfContents(outline)
        return [
            "lang": words.locale,
            "t": words.templateContext,
            // Which day's state of the policies the page shows: a static host must rebuild daily.
            "builtFor": words.longDate(environment.now),
            "builtForDate": environment.now.description,
            "siteTitle": environment.site.title,
            "pageTitle": title,
            "isHome": section == .home,
            "description": description ?? environment.site.description ?? "",
            "canonical": urls.absolute(canonicalPath ?? path),
            "noindex": noindex,
            "stylesheet": urls.stylesheet,
            "consentScript": urls.consentScript,
            "consentConfig": urls.consentConfig,
            "printStylesheet": urls.printStylesheet,
            "searchURL": locale.map { urls.search(locale: $0) } ?? urls.search,
            "homeURL": urls.home,
            "nav": nav,
            "toc": toc,
            "hasToc": !toc.isEmpty,
            "year": String(environment.now.year),
        ]
    }

    /// Levels 2 and 3 of the outline, nested; deeper headings would make the list too long to scan.
    static func tableOfContents(_ outline: [Heading]) -> [[String: Any]] {
        let headings = outline.filter { $0.level <= 3 }
        guard let top = headings.map(\.level).min() else { return [] }
        var entries: [[String: Any]] = []
        var children: [[String: Any]] = []
        func flush() {
            guard !entries.isEmpty else { return }
            entries[entries.count - 1]["children"] = children
            entries[entries.count - 1]["hasChildren"] = !children.isEmpty
            children = []
        }
        for heading in headings {
            let entry: [String: Any] = ["text": heading.text, "anchor": heading.anchor]
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
