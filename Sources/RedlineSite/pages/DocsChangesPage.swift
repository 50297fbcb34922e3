import Foundation
import RedlineContent
import RedlineDiff
import RedlineOpenAPI
import RedlineOutput

/// `docs/<version>/changes/`: what changed since the previous docs version (the API's changes
/// first, breaking ones on top, then the pages), and `changes/feed.xml`, an Atom feed of the API's changes.
struct DocsChangesPage {
    static let path = "changes"
    /// How many changed pages the page shows with their changes marked.
    static let redlinesShown = 25

    let renderer: DocsPageRenderer
    let previous: DocsVersion

    var environment: RenderEnvironment { renderer.environment }
    var version: DocsVersion { renderer.version }

    func render() -> PageOutcome {
        let changes: DocsChanges
        do throws(DiagnosticsError) {
            changes = try DocsChanges.compare(previous, version, references: environment.apiReferences, redlines: Self.redlinesShown)
        } catch {
            return PageOutcome(diagnostics: error.diagnostics)
        }
        let urls = environment.urls
        let title = "What changed in API \(version.name)"
        let pageURL = { (name: String, path: String) in urls.docsPage(name, path) }
        let values = Values(
            previousVersion: previous.name, previousURL: urls.docsPage(previous.name, ""),
            feedURL: urls.docsPage(version.name, Self.path) + "feed.xml", api: changes.api.map { apiValues($0, changes: changes) },
            added: changes.added.map { Link(title: $0.title, url: pageURL(version.name, $0.path)) },
            removed: changes.removed.map { Link(title: $0.title, url: pageURL(previous.name, $0.path)) },
            changed: changes.changed.map { page in
                Values.ChangedPage(title: page.title, url: pageURL(version.name, page.path),
                                   wordSummary: page.redline.map { SectionNote.wordSummary(inserted: $0.inserted, deleted: $0.deleted) })
            },
            redlines: redlines(changes),
            moreRedlines: changes.changed.count > Self.redlinesShown
                ? .init(count: changes.changed.count - Self.redlinesShown, command: "redline diff docs \(previous.name) \(version.name)") : nil,
            hasAdded: !changes.added.isEmpty, hasRemoved: !changes.removed.isEmpty, hasChanged: !changes.changed.isEmpty,
            hasPages: !(changes.added.isEmpty && changes.removed.isEmpty && changes.changed.isEmpty))
        let context = DocsContext(top: values, below: renderer.pageContext(path: Self.path, title: title, outline: []))
        var outcome = renderer.publish("docs-changes", context: context, path: Self.path, source: version.directory)
        outcome.merge(environment.publishFile(feed(changes), path: urls.docsPage(version.name, Self.path) + "feed.xml", source: version.directory))
        return outcome
    }

    /// The API's changes, breaking ones apart, each with links to its reference in both versions.
    private func apiValues(_ api: [APIChange], changes: DocsChanges) -> Values.API {
        let urls = environment.urls
        let entry = { (change: APIChange) in
            Values.APIChangeEntry(
                operation: change.operation, kind: change.kind.rawValue, breaking: change.breaking,
                subject: change.subject.map(APIReferenceHTML.inlineCode), detail: change.detail,
                newURL: changes.referencePath(of: change.operation, inNewVersion: true).map { urls.docsPage(version.name, "") + $0 },
                oldURL: changes.referencePath(of: change.operation, inNewVersion: false).map { urls.docsPage(previous.name, "") + $0 })
        }
        return Values.API(breaking: api.filter(\.breaking).map(entry), other: api.filter { !$0.breaking }.map(entry),
                          hasBreaking: api.contains(where: \.breaking), hasOther: api.contains { !$0.breaking },
                          count: api.count, none: api.isEmpty)
    }

    /// The marked-up text of the first pages only: a version that rewrote a thousand pages
    /// would make one page of many megabytes. `redline diff docs` prints all of them.
    private func redlines(_ changes: DocsChanges) -> [Values.PageRedline] {
        var used = PageChrome.reservedAnchors.union(["api-changes", "pages-changed", "page-redlines"])
        return changes.changed.compactMap { page in
            guard let redline = page.redline else { return nil }
            let url = environment.urls.docsPage(version.name, page.path)
            let resolver = LinkResolver(pagePath: url, sourceFolderPath: url)
            let html = RedlineHTML(redline, renderer: environment.markdown, reservedAnchors: used, resolveLink: { resolver.resolve($0) })
            used.formUnion(html.sections.map(\.anchor))
            return Values.PageRedline(title: page.title, wordSummary: SectionNote.wordSummary(inserted: redline.inserted, deleted: redline.deleted),
                                      redline: html.html)
        }
    }

    /// What `docs-changes.mustache` adds.
    struct Values {
        struct APIChangeEntry {
            let operation, kind: String
            let breaking: Bool
            let subject, detail, newURL, oldURL: String?
        }

        struct API {
            let breaking, other: [APIChangeEntry]
            let hasBreaking, hasOther: Bool
            let count: Int
            let none: Bool
        }

        struct ChangedPage {
            let title, url: String
            let wordSummary: String?
        }

        struct PageRedline {
            let title, wordSummary, redline: String
        }

        struct MoreRedlines {
            let count: Int
            let command: String
        }

        let previousVersion, previousURL, feedURL: String
        let api: API?
        let added, removed: [Link]
        let changed: [ChangedPage]
        let redlines: [PageRedline]
        let moreRedlines: MoreRedlines?
        let hasAdded, hasRemoved, hasChanged, hasPages: Bool
    }

    /// One entry per change of the API; breaking ones carry the category `breaking`.
    private func feed(_ changes: DocsChanges) -> String {
        let urls = environment.urls
        let page = urls.absolute(urls.docsPage(version.name, Self.path))
        let day = environment.apiReferences[version.name].flatMap { environment.lastUpdated.day(of: $0.source) } ?? environment.now
        let host = urls.tagAuthority
        // Ids must never change, and a version's files (so `day`) do: the date in them is fixed.
        let id = { (specific: String) in "tag:\(host),2000-01-01:\(urls.basePath.dropFirst())docs/\(version.name)/changes\(specific)" }
        let entries = (changes.api ?? []).map { change -> AtomFeed.Entry in
            let link = changes.referencePath(of: change.operation, inNewVersion: true).map { urls.absolute(urls.docsPage(version.name, "") + $0) }
                ?? changes.referencePath(of: change.operation, inNewVersion: false).map { urls.absolute(urls.docsPage(previous.name, "") + $0) }
                ?? page
            return AtomFeed.Entry(id: id("/" + change.summary.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!),
                                  title: (change.breaking ? "Breaking: " : "") + change.summary, link: link, updated: "\(day)T00:00:00Z",
                                  category: change.breaking ? "breaking" : "non-breaking", summary: change.summary)
        }
        return AtomFeed(id: id(""), language: environment.site.language,
                        title: "\(environment.site.title): API \(version.name) changes since \(previous.name)",
                        selfURL: page + "feed.xml", alternateURL: page, updated: "\(day)T00:00:00Z",
                        author: environment.site.title, entries: entries).xml
    }
}

/// Small HTML pieces of the changes page (and of `redline diff docs --format html`).
public enum APIReferenceHTML {
    /// `` `to.country` `` as `<code>to.country</code>`, everything else escaped.
    public static func inlineCode(_ text: String) -> String {
        var html = ""
        var inCode = false
        for part in text.split(separator: "`", omittingEmptySubsequences: false) {
            html += inCode ? "<code>\(String(part).htmlEscaped)</code>" : String(part).htmlEscaped
            inCode.toggle()
        }
        return html
    }
}

extension DocsChangesPage: SitePage {
    static let templates = ["docs-changes": "the changes page of each docs version after the first"]
    static let changesWithTheDay = false

    static func pages(of site: PageSource) -> [DocsChangesPage] {
        site.docs.compactMap { docs in docs.previous.map { DocsChangesPage(renderer: docs.renderer, previous: $0) } }
    }

    func renderKey(_ keys: RenderKeys) -> String? {
        keys.docsChanges(previous, version, openAPI: environment.apiReferences[version.name]?.source)
    }
}
