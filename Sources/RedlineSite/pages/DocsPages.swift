import Foundation
import RedlineContent
import RedlineMarkdown

/// The navigation of one docs version, computed once and shared by all its pages.
struct DocsNavigation: Sendable {
    struct Section: Sendable {
        let name: String
        let title: String
        let pages: [DocsPage]
    }

    let version: DocsVersion
    let sections: [Section]
    private let order: [String: Int]
    private let templates: TemplateSet
    /// `partials/docs-nav` rendered once per section (key: section name), when a page of the
    /// section is first rendered: a rebuild that takes every page from its cache renders none.
    private let renderedNav = RenderedOnce<SectionNavigation>()

    init(version: DocsVersion, templates: TemplateSet, urls: SiteURLs) {
        self.templates = templates
        self.version = version
        var grouped: [(String, [DocsPage])] = []
        for page in version.pages {
            if let last = grouped.last, last.0 == page.section {
                grouped[grouped.count - 1].1.append(page)
            } else {
                grouped.append((page.section, [page]))
            }
        }
        sections = grouped.map { name, pages in
            let title = pages.first { $0.path == name }?.title ?? Self.humanize(name)
            return Section(name: name, title: title, pages: pages)
        }
        order = Dictionary(uniqueKeysWithValues: version.pages.enumerated().map { ($1.path, $0) })
    }

    private func navigation(section: String, urls: SiteURLs) -> SectionNavigation {
        renderedNav.value(for: section) {
            let context = DocsSidebar(sidebar: sidebar(section: section, urls: urls), docsVersion: version.name)
            return SectionNavigation(html: templates.render("partials/docs-nav", context) ?? "")
        }
    }

    /// The navigation HTML for a page: its section's cached render, with the page's own link
    /// marked. Rendering the whole list per page cost half the build time of a large site.
    func navigationHTML(currentPath: String, urls: SiteURLs) -> String {
        let first = currentPath.split(separator: "/").first.map(String.init) ?? ""
        // A page whose first path component names no section is a top-level page.
        guard let section = [first, ""].first(where: { name in sections.contains { $0.name == name } }) else { return "" }
        return navigation(section: section, urls: urls).marking(urls.docsPage(version.name, currentPath).htmlEscaped)
    }

    /// "api-keys" → "Api keys": a readable fallback when a section has no index page to name it.
    static func humanize(_ name: String) -> String {
        let words = name.replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "_", with: " ")
        return words.prefix(1).uppercased() + words.dropFirst()
    }

    /// The sidebar: top-level pages, every section, and the pages of the reader's section.
    /// Listing every page of a 1,000-page version on every page would make each page huge.
    private func sidebar(section currentSection: String, urls: SiteURLs) -> [DocsSidebar.Section] {
        sections.map { section in
            let expanded = section.name.isEmpty || section.name == currentSection
            let pages = expanded ? section.pages.map { page in
                DocsSidebar.Page(title: page.title, url: urls.docsPage(version.name, page.path), deprecated: page.deprecated != nil)
            } : []
            return DocsSidebar.Section(title: section.name.isEmpty ? "Overview" : section.title,
                                       url: urls.docsPage(version.name, section.pages.first?.path ?? ""),
                                       expanded: expanded, current: section.name == currentSection, pages: pages)
        }
    }

    /// Where the page comes in the navigation.
    func position(of path: String) -> Int { order[path] ?? Int.max }

    func neighbours(of path: String) -> (previous: DocsPage?, next: DocsPage?) {
        guard let index = order[path] else { return (nil, nil) }
        let pages = version.pages
        return (index > 0 ? pages[index - 1] : nil, index + 1 < pages.count ? pages[index + 1] : nil)
    }
}

/// One section's rendered navigation, with where each link's `href` attribute ends, so that
/// marking the reader's page is a splice, not a search through the whole list for every page.
struct SectionNavigation: Sendable {
    let html: String
    private let attributeEnds: [String: String.Index]

    init(html: String) {
        self.html = html
        var ends: [String: String.Index] = [:]
        let utf8 = html.utf8
        let opening = Array("href=\"".utf8)
        var index = utf8.startIndex
        while let start = Self.find(opening, in: utf8, from: index) {
            let valueStart = utf8.index(start, offsetBy: opening.count)
            guard let quote = utf8[valueStart...].firstIndex(of: UInt8(ascii: "\"")) else { break }
            let value = String(html[valueStart..<quote])
            if ends[value] == nil { ends[value] = utf8.index(after: quote) }
            index = utf8.index(after: quote)
        }
        attributeEnds = ends
    }

    /// The navigation with the link whose (escaped) `href` is `href` marked as the current page.
    func marking(_ href: String) -> String {
        guard let end = attributeEnds[href] else { return html }
        return String(html[..<end]) + " aria-current=\"page\"" + String(html[end...])
    }

    private static func find(_ needle: [UInt8], in haystack: String.UTF8View, from start: String.Index) -> String.Index? {
        var index = start
        while let first = haystack[index...].firstIndex(of: needle[0]) {
            if haystack[first...].starts(with: needle) { return first }
            index = haystack.index(after: first)
        }
        return nil
    }
}

/// Renders docs pages: the version switcher, the old-version banner and the canonical
/// link are what keep readers (and search engines) on the latest docs.
struct DocsPageRenderer {
    let environment: RenderEnvironment
    let navigation: DocsNavigation
    let allVersions: [DocsVersion]
    let latest: DocsVersion

    var version: DocsVersion { navigation.version }
    var isLatest: Bool { version.name == latest.name }

    func render(_ page: DocsPage) -> PageOutcome {
        let markdown: RenderedMarkdown
        var twinBody: String?
        do throws(DiagnosticsError) {
            let pagePath = environment.urls.docsPage(version.name, page.path)
            // `guides/webhooks.md` lives in docs/<v>/guides/, but its page is /docs/<v>/guides/webhooks/.
            let folder = page.source.absolutePath.hasSuffix("/index.md") || page.source.absolutePath.hasSuffix("/index.markdown")
                ? pagePath : LinkResolver.join(pagePath, "../")
            let body: String
            if let reference = environment.apiReferences[version.name], reference.source == page.source,
               let generated = reference.markdown[page.path] {
                markdown = environment.renderGenerated(generated, pagePath: pagePath)
                body = generated
            } else {
                (markdown, body) = try environment.renderBodyKeepingText(of: page.source, pagePath: pagePath, sourceFolderPath: folder)
            }
            if environment.writesFiles && !page.draft { twinBody = environment.twinBody(body, links: markdown.links) }
        } catch {
            return PageOutcome(diagnostics: error.diagnostics)
        }
        let body = RenderedBody(html: markdown.html, outline: markdown.outline)
        var docs = pageContext(path: page.path, title: page.title, outline: body.outline)
        if page.draft { docs.below.noindex = true }
        if twinBody != nil { docs.below.markdownURL = MarkdownTwin.path(for: environment.urls.docsPage(version.name, page.path)) }
        let updated = environment.lastUpdated.day(of: page.source)
        let (previous, next) = navigation.neighbours(of: page.path)
        let link = { (page: DocsPage) in Link(title: page.title, url: self.environment.urls.docsPage(self.version.name, page.path)) }
        var values = DocsPageValues(
            body: body.html, codeTabsScript: markdown.hasCodeTabs ? environment.urls.codeTabsScript : nil,
            draft: page.draft ? true : nil, deprecated: page.deprecated != nil ? true : nil, deprecatedNote: page.deprecated,
            editURL: environment.editURL(for: page.source),
            lastUpdated: updated.map { DocsPageValues.LastUpdated(date: $0.description, text: environment.longDate($0)) },
            previousPage: previous.map(link), nextPage: next.map(link))
        let tryIt = addReaderTools(page, to: &values)
        let context = DocsContext(top: values, below: docs)
        var outcome = publish("docs-page", context: context, path: page.path, source: page.source.displayPath, lastModified: updated)
        outcome.merge(tryIt)
        if page.draft { outcome.pages = outcome.pages.map { PublishedPage(path: $0.path, indexable: false, lastModified: $0.lastModified) } }
        outcome.noteLinks(of: markdown, source: page.source.displayPath, path: environment.urls.docsPage(version.name, page.path))
        let sha256 = Digest.sha256Hex(body.html)
        outcome.docsHash = DocsHash(version: version.name, path: page.path, sha256: sha256)
        if let twinBody { outcome.merge(publishTwin(page, body: twinBody, sha256: sha256, lastUpdated: updated)) }
        // Older versions with --search-all-versions: the index of ten versions of a thousand pages
        // takes six times the memory of one, so a site asks for it. The search page then filters by version.
        if !page.draft && (isLatest || environment.searchAllVersions) {
            let versionRank = allVersions.count - 1 - (allVersions.firstIndex { $0.name == version.name } ?? 0)
            outcome.search = [SearchEntry(group: isLatest ? .latestDocs : .otherDocsVersion, position: [versionRank, navigation.position(of: page.path)],
                                          url: environment.urls.docsPage(version.name, page.path), title: page.title,
                                          label: isLatest ? "API \(version.name)" : "API \(version.name) (older version)", rendered: markdown)]
        }
        return outcome
    }

    /// What a reader does on the page besides reading: "Was this page helpful?", and on an API
    /// reference page with `docs.tryIt`, the console (its data written beside the page).
    private func addReaderTools(_ page: DocsPage, to values: inout DocsPageValues) -> PageOutcome {
        let pagePath = environment.urls.docsPage(version.name, page.path)
        if !page.draft {
            values.feedbackPage = pagePath
            values.feedbackScript = environment.urls.feedbackScript
        }
        guard environment.site.tryIt, let reference = environment.apiReferences[version.name], reference.source == page.source,
              let data = TryItData(reference: reference, path: page.path, site: environment.site) else { return PageOutcome() }
        values.tryItScript = environment.urls.tryItScript
        values.tryItData = pagePath + TryItData.fileName
        return environment.publishFile(data.json, path: pagePath + TryItData.fileName, source: page.source.displayPath)
    }

    /// The page's Markdown twin at its own URL and, for the latest version's landing page, at `docs/` too.
    private func publishTwin(_ page: DocsPage, body: String, sha256: String, lastUpdated: Day?) -> PageOutcome {
        let urls = environment.urls
        let ownPath = urls.docsPage(version.name, page.path)
        let status = page.deprecated != nil ? "deprecated" : isLatest ? "latest" : "older"
        let twin = MarkdownTwin(fields: [("title", .text(page.title)), ("docsVersion", .text(version.name)), ("path", .text(page.path)),
                                         ("status", .text(status)), ("lastUpdated", lastUpdated.map { .text($0.description) }),
                                         ("sha256", .text(sha256)), ("url", .text(urls.absolute(ownPath)))],
                                title: page.title, body: body)
        var outcome = environment.publishTwin(twin, pagePath: ownPath, source: page.source.displayPath)
        if isLatest && page.path.isEmpty { outcome.merge(environment.publishTwin(twin, pagePath: urls.docsHome, source: page.source.displayPath)) }
        return outcome
    }

    /// The version's landing page when it has no `index.md` of its own: every page, by section.
    func renderGeneratedIndex() -> PageOutcome {
        let sections = navigation.sections.map { section in
            DocsIndexValues.Section(title: section.name.isEmpty ? "Overview" : section.title,
                                    pages: section.pages.map { Link(title: $0.title, url: environment.urls.docsPage(version.name, $0.path)) })
        }
        let docs = pageContext(path: "", title: "API \(version.name) documentation", outline: [])
        return publish("docs-index", context: DocsContext(top: DocsIndexValues(sections: sections), below: docs), path: "", source: version.directory)
    }

    /// Writes the page at its own URL and, for the latest version's landing page, at `docs/` too.
    func publish<Page>(_ template: String, context pageContext: DocsContext<Page>, path: String, source: String, lastModified: Day? = nil) -> PageOutcome {
        let urls = environment.urls
        let ownPath = urls.docsPage(version.name, path)
        let canonical = canonicalPath(for: path)
        var outcome = environment.publish(template, context: pageContext, path: ownPath, source: source, indexable: canonical == ownPath,
                                          lastModified: lastModified)
        if isLatest && path.isEmpty {
            outcome.merge(environment.publish(template, context: pageContext, path: urls.docsHome, source: source, indexable: false))
        }
        return outcome
    }

    /// The latest version's equivalent page when there is one; otherwise the page itself,
    /// since pointing search engines at a different page would hide this one.
    func canonicalPath(for path: String) -> String {
        let urls = environment.urls
        if latest.hasPage(path) || path.isEmpty { return urls.docsPage(latest.name, path) }
        return urls.docsPage(version.name, path)
    }

    /// The chrome, with the canonical URL the docs page should be known by, and what every docs page shows.
    func pageContext(path: String, title: String, outline: [RedlineMarkdown.Heading]) -> PageContext<DocsValues> {
        let urls = environment.urls
        let chrome = PageChrome(environment: environment).context(
            title: isLatest ? title : "\(title) (\(version.name))", path: urls.docsPage(version.name, path),
            canonicalPath: canonicalPath(for: path), section: .docs, outline: outline)
        var changesLink: DocsValues.ChangesLink?
        if let index = allVersions.firstIndex(where: { $0.name == version.name }), index > 0 {
            changesLink = .init(url: urls.docsPage(version.name, DocsChangesPage.path), previous: allVersions[index - 1].name,
                                current: path == DocsChangesPage.path)
        }
        let versions = allVersions.reversed().map { other in
            let samePage = other.hasPage(path) || path.isEmpty
            return DocsValues.VersionSwitch(name: other.name, url: urls.docsPage(other.name, samePage ? path : ""),
                                            current: other.name == version.name, latest: other.name == latest.name, missing: !samePage)
        }
        let samePage = latest.hasPage(path) || path.isEmpty
        let latestLink = isLatest ? nil : DocsValues.LatestLink(name: latest.name, url: urls.docsPage(latest.name, samePage ? path : ""), samePage: samePage)
        let values = DocsValues(docsTitle: title, docsVersion: version.name, isLatest: isLatest, prerelease: environment.corpus.isPrerelease(version),
                                docsNav: navigation.navigationHTML(currentPath: path, urls: urls), changesLink: changesLink,
                                versions: versions, latest: latestLink)
        return PageContext(top: values, below: chrome)
    }
}
