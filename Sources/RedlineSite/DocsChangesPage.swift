import Foundation
import RedlineContent
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
        var context = renderer.pageContext(path: Self.path, title: title, outline: [])
        context["previousVersion"] = previous.name
        context["previousURL"] = urls.docsPage(previous.name, "")
        context["feedURL"] = urls.docsPage(version.name, Self.path) + "feed.xml"
        if let api = changes.api {
            let entry = { (change: APIChange) -> [String: Any] in
                var item: [String: Any] = ["operation": change.operation, "kind": change.kind.rawValue, "breaking": change.breaking]
                if let subject = change.subject { item["subject"] = APIReferenceHTML.inlineCode(subject) }
                if let detail = change.detail { item["detail"] = detail }
                if let path = changes.referencePath(of: change.operation, inNewVersion: true) { item["newURL"] = urls.docsPage(version.name, "") + path }
                if let path = changes.referencePath(of: change.operation, inNewVersion: false) { item["oldURL"] = urls.docsPage(previous.name, "") + path }
                return item
            }
            context["api"] = [
                "breaking": api.filter(\.breaking).map(entry),
                "other": api.filter { !$0.breaking }.map(entry),
                "hasBreaking": api.contains(where: \.breaking),
                "hasOther": api.contains { !$0.breaking },
                "count": api.count,
                "none": api.isEmpty,
            ]
        }
        let pageURL = { (name: String, path: String) in urls.docsPage(name, path) }
        context["added"] = changes.added.map { ["title": $0.title, "url": pageURL(version.name, $0.path)] }
        context["removed"] = changes.removed.map { ["title": $0.title, "url": pageURL(previous.name, $0.path)] }
        var used = PageChrome.reservedAnchors.union(["api-changes", "pages-changed", "page-redlines"])
        context["changed"] = changes.changed.map { page -> [String: Any] in
            var entry: [String: Any] = ["title": page.title, "url": pageURL(version.name, page.path)]
            if let redline = page.redline { entry["wordSummary"] = SectionNote.wordSummary(inserted: redline.inserted, deleted: redline.deleted) }
            return entry
        }
        // The marked-up text of the first pages only: a version that rewrote a thousand pages
        // would make one page of many megabytes. `redline diff docs` prints all of them.
        context["redlines"] = changes.changed.compactMap { page -> [String: Any]? in
            guard let redline = page.redline else { return nil }
            let resolver = LinkResolver(pagePath: pageURL(version.name, page.path), sourceFolderPath: pageURL(version.name, page.path))
            let html = RedlineHTML(redline, renderer: environment.markdown, reservedAnchors: used, resolveLink: { resolver.resolve($0) })
            used.formUnion(html.sections.map(\.anchor))
            return ["title": page.title, "wordSummary": SectionNote.wordSummary(inserted: redline.inserted, deleted: redline.deleted), "redline": html.html]
        }
        if changes.changed.count > Self.redlinesShown {
            context["moreRedlines"] = ["count": changes.changed.count - Self.redlinesShown, "command": "redline diff docs \(previous.name) \(version.name)"]
        }
        context["hasAdded"] = !changes.added.isEmpty
        context["hasRemoved"] = !changes.removed.isEmpty
        context["hasChanged"] = !changes.changed.isEmpty
        context["hasPages"] = !(changes.added.isEmpty && changes.removed.isEmpty && changes.changed.isEmpty)
        var outcome = renderer.publish("docs-changes", context: context, path: Self.path, source: version.directory)
        outcome.merge(environment.publishFile(feed(changes), path: urls.docsPage(version.name, Self.path) + "feed.xml", source: version.directory))
        return outcome
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
