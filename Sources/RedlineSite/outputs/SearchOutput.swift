import Foundation
import RedlineContent
import RedlineMarkdown
import RedlineSearch

/// A page's contribution to the search index, with where it sorts: results that score the
/// same keep this order (policies in force, then the latest docs, then older versions).
struct SearchEntry: Sendable {
    enum Group: Int, Sendable { case currentPolicy, latestDocs, otherPolicyVersion, otherDocsVersion }

    let group: Group
    /// Position within the group: document, then version or page.
    let position: [Int]
    let document: PreparedDocument
    /// A translation's language: each language has an index of its own. nil: the site's language.
    var locale: String? = nil

    init(group: Group, position: [Int], url: String, title: String, label: String, rendered: RenderedMarkdown, locale: String? = nil) {
        self.group = group
        self.position = position
        self.locale = locale
        document = PreparedDocument(SearchDocument(url: url, title: title, label: label, sections: rendered.sections.map {
            SearchDocument.Section(anchor: $0.heading?.anchor, heading: $0.heading?.text, text: $0.text)
        }))
    }

    init(group: Group, position: [Int], document: PreparedDocument) {
        self.group = group
        self.position = position
        self.document = document
    }

    static func precedes(_ a: SearchEntry, _ b: SearchEntry) -> Bool {
        if a.group != b.group { return a.group.rawValue < b.group.rawValue }
        return a.position.lexicographicallyPrecedes(b.position)
    }
}

/// [search]: the index files under `search/`, and the search page, which lists every indexed
/// page as plain links so it is useful without JavaScript too.
struct SearchOutput {
    static let templates = ["search": "the search page"]

    let environment: RenderEnvironment
    let entries: [SearchEntry]

    /// The site language's index and page, then one for each language translations are in.
    func write() -> PageOutcome {
        var outcome = write(entries.filter { $0.locale == nil }, locale: nil)
        for locale in Set(entries.compactMap(\.locale)).sorted() {
            outcome.merge(write(entries.filter { $0.locale == locale }, locale: locale))
        }
        return outcome
    }

    private func write(_ entries: [SearchEntry], locale: String?) -> PageOutcome {
        let urls = environment.urls
        let searchPath = locale.map { urls.search(locale: $0) } ?? urls.search
        let sorted = entries.sorted(by: SearchEntry.precedes)
        var outcome = PageOutcome()
        do {
            // A docs page's scope is its version, which the search page can limit results to.
            let scopes = sorted.map { entry -> String? in
                guard entry.group == .latestDocs || entry.group == .otherDocsVersion else { return nil }
                return environment.corpus.docs.first { entry.document.url.hasPrefix(urls.docsVersion($0.name)) }?.name
            }
            let index = try SearchIndexBuilder().build(sorted.map(\.document), scopes: scopes)
            let folder = String(urls.outputFile(forPath: searchPath).dropLast("index.html".count))
            for file in index.files {
                guard let staging = environment.staging else { continue }
                // Precompressed: `redline serve` (or nginx's gzip_static) sends these to browsers that take gzip.
                // An update keeps both files of an unchanged part of the index without compressing it again.
                if try staging.write(file.data, to: folder + file.path) == .unchanged, staging.keep(folder + file.path + ".gz") { continue }
                try staging.write(Gzip.compress(file.data), to: folder + file.path + ".gz")
            }
        } catch {
            return PageOutcome(diagnostics: [.error(urls.outputFile(forPath: searchPath), line: nil, "cannot write the search index: \(error)")])
        }

        let words = PageWords(site: environment.site, locale: locale)
        var groups: [Values.Group] = []
        for entry in sorted {
            let (heading, title) = Self.listing(entry, words: words)
            let link = Link(title: title, url: entry.document.url)
            if groups.last?.label == heading {
                groups[groups.count - 1].pages.append(link)
            } else {
                groups.append(Values.Group(label: heading, pages: [link]))
            }
        }
        // A language's own search: its page is in that language and searches only its texts.
        let chrome = PageChrome(environment: environment).context(title: words["search"], path: searchPath, noindex: true, section: .other,
                                                                   locale: locale)
        var values = Values(searchScript: urls.searchScript, searchIndex: searchPath + "meta.json",
                            allPages: words.format("allPages", ["count": String(sorted.count)]), groups: groups, pageCount: sorted.count)
        // The version filter, when older docs versions are indexed: the latest by default, any one version, or all.
        let docsVersions = environment.corpus.docs.reversed().map(\.name)
        if locale == nil, environment.searchAllVersions, docsVersions.count > 1, let latest = environment.corpus.latestDocs?.name {
            values.docsScopes = [Values.Scope(value: "", label: "Policies and API \(latest) (latest)")]
                + docsVersions.map { Values.Scope(value: $0, label: "API \($0) only") }
                + [Values.Scope(value: "all", label: "Everything, every API version")]
            values.latestDocsVersion = latest
        }
        outcome.merge(environment.publish("search", context: PageContext(top: values, below: chrome), path: searchPath,
                                          source: "templates/search.mustache", indexable: false))
        return outcome
    }

    /// What `search.mustache` shows besides the chrome.
    struct Values {
        struct Group {
            let label: String
            var pages: [Link]
        }

        struct Scope {
            let value, label: String
        }

        let searchScript, searchIndex, allPages: String
        let groups: [Group]
        let pageCount: Int
        var docsScopes: [Scope]? = nil
        var latestDocsVersion: String? = nil
    }

    /// The heading an entry is listed under on the search page, and its link text there.
    static func listing(_ entry: SearchEntry, words: PageWords) -> (heading: String, title: String) {
        switch entry.group {
        case .currentPolicy: (words["policiesHeading"], entry.document.title)
        case .otherPolicyVersion: ("Other policy versions", "\(entry.document.title): \(entry.document.label)")
        case .latestDocs, .otherDocsVersion: (entry.document.label, entry.document.title)
        }
    }
}

/// `assets/print-urls.css`: in print, a link is followed by its full address. Site links are
/// root-relative in the HTML, so the site's origin must be written into the rule itself.
enum PrintStylesheet {
    static func css(urls: SiteURLs) -> String {
        let origin = urls.absolute("/").dropLast()
        let quoted = origin.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return """
        /* Written by redline build: links print with the address they lead to. */
        @media print {
          main a[href^="/"]::after {
            content: " (\(quoted)" attr(href) ")"; font-size: 0.85em; overflow-wrap: anywhere;
          }
          main a[href^="http"]::after {
            content: " (" attr(href) ")"; font-size: 0.85em; overflow-wrap: anywhere;
          }
        }

        """
    }
}
