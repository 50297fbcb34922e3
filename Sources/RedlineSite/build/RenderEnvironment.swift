import Crypto
import Foundation
import RedlineContent
import RedlineMarkdown

/// What every page renderer needs, shared read-only across the threads of a build.
struct RenderEnvironment: Sendable {
    let corpus: Corpus
    let templates: TemplateSet
    let urls: SiteURLs
    /// The build's one day: what is current, archived and upcoming. Changed only by ``on(_:writingTo:)``.
    private(set) var now: Day
    let markdown: MarkdownRenderer
    /// nil for `redline check`, which renders everything and writes nothing.
    private(set) var staging: StagingDirectory?
    /// Whether archived and upcoming policy versions and older docs versions go into the search index.
    var searchAllVersions = false
    /// What the last build rendered, for pages whose render key is unchanged; nil for `check`.
    var cache: PageCache? = nil
    /// The digest of what every page depends on apart from content and the day (``RenderKeys/staticInputs(_:highlighter:)``).
    var renderInputs = ""
    /// The content folder as the build was given it, which source files' display paths start with.
    var contentDirectory = ""
    /// Each docs version's API reference, by version name.
    var apiReferences: [String: APIReference] = [:]
    /// When each docs page last changed, for its "Last updated" line.
    var lastUpdated = LastUpdated.disabled

    var site: SiteConfig { corpus.site }

    /// The same build as it will be on `day`, written to `staging`: every other setting carried over.
    func on(_ day: Day, writingTo staging: StagingDirectory) -> RenderEnvironment {
        var later = self
        later.now = day
        later.staging = staging
        return later
    }

    /// "Edit this page" for a page made from `source`: site.yaml's `editURL` with the file's path
    /// inside the content folder, or nil when there is no pattern.
    func editURL(for source: SourceFile) -> String? {
        guard let pattern = site.editURL else { return nil }
        let prefix = contentDirectory.hasSuffix("/") ? contentDirectory : contentDirectory + "/"
        let relative = source.displayPath.hasPrefix(prefix) ? String(source.displayPath.dropFirst(prefix.count)) : source.displayPath
        let encoded = relative.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? relative
        return pattern.replacingOccurrences(of: "{path}", with: encoded)
    }

    /// Renders `template`, writes it at `path` and describes it for the sitemap.
    func publish<Top, Below>(_ template: String, context: TemplateContext<Top, Below>, path: String, source: String,
                             indexable: Bool, lastModified: Day? = nil) -> PageOutcome {
        guard let html = templates.render(template, context) else {
            return PageOutcome(diagnostics: [.error(source, line: nil, "template '\(template)' did not render")])
        }
        do {
            try staging?.write(html, to: urls.outputFile(forPath: path))
        } catch {
            return PageOutcome(diagnostics: [.error(source, line: nil, "cannot write \(urls.outputFile(forPath: path)): \(error.localizedDescription)")])
        }
        return PageOutcome(pages: [PublishedPage(path: path, indexable: indexable, lastModified: lastModified)])
    }

    /// Writes `text` as it is at `path` (a file, not a folder), out of the sitemap: e.g. the exact
    /// bytes a policy version's SHA-256 covers, which consent evidence exports carry.
    func publishFile(_ text: String, path: String, source: String) -> PageOutcome {
        do {
            try staging?.write(text, to: urls.outputFile(forPath: path))
        } catch {
            return PageOutcome(diagnostics: [.error(source, line: nil, "cannot write \(urls.outputFile(forPath: path)): \(error.localizedDescription)")])
        }
        return PageOutcome(pages: [PublishedPage(path: path, indexable: false, lastModified: nil)])
    }

    /// Reads the Markdown body of a content file, front matter left out; problems come back
    /// as diagnostics naming the file.
    static func readBody(of source: SourceFile) throws(DiagnosticsError) -> String {
        try readBodyAndLine(of: source).body
    }

    /// The body and the line of the file it starts on.
    static func readBodyAndLine(of source: SourceFile) throws(DiagnosticsError) -> (body: String, firstLine: Int) {
        let text: String
        do {
            text = try ContentLoader.readText(source.absolutePath)
        } catch {
            throw DiagnosticsError([.error(source.displayPath, line: nil, error.localizedDescription)])
        }
        guard let body = FrontMatter.bodyAndLine(of: text) else {
            throw DiagnosticsError([.error(source.displayPath, line: 1, "front matter disappeared while building: was the file changed?")])
        }
        return body
    }

    /// Reads and renders the Markdown body of a content file whose own page is at `pagePath`.
    /// The links it returns carry lines of the file, not of the body.
    /// - Parameter effective: a policy version's effective date, for the cookie table it may ask for.
    func renderBody(of source: SourceFile, pagePath: String, sourceFolderPath: String, effective: Day? = nil) throws(DiagnosticsError) -> RenderedMarkdown {
        try renderBodyKeepingText(of: source, pagePath: pagePath, sourceFolderPath: sourceFolderPath, effective: effective).rendered
    }

    /// ``renderBody(of:pagePath:sourceFolderPath:effective:)`` and the Markdown it rendered, which a page's twin is made of.
    func renderBodyKeepingText(of source: SourceFile, pagePath: String, sourceFolderPath: String,
                               effective: Day? = nil) throws(DiagnosticsError) -> (rendered: RenderedMarkdown, body: String) {
        var (body, firstLine) = try Self.readBodyAndLine(of: source)
        if let effective { body = CookieTable.expand(body, site: site, on: effective) }
        let resolver = LinkResolver(pagePath: pagePath, sourceFolderPath: sourceFolderPath)
        var rendered = markdown.render(body, reservedAnchors: PageChrome.reservedAnchors, resolveLink: { resolver.resolve($0) })
        rendered.links = rendered.links.map {
            LinkReference(destination: $0.destination, written: $0.written, line: $0.line + firstLine - 1, isImage: $0.isImage)
        }
        rendered.unknownCallouts = rendered.unknownCallouts.map { UnknownCallout(kind: $0.kind, line: $0.line + firstLine - 1) }
        rendered.unknownCodeLanguages = rendered.unknownCodeLanguages.map {
            UnknownCodeLanguage(language: $0.language, line: $0.line + firstLine - 1)
        }
        return (rendered, body)
    }

    /// Renders Markdown the build made (an API reference page) for the page at `pagePath`.
    func renderGenerated(_ body: String, pagePath: String) -> RenderedMarkdown {
        let resolver = LinkResolver(pagePath: pagePath, sourceFolderPath: pagePath)
        return markdown.render(body, reservedAnchors: PageChrome.reservedAnchors, resolveLink: { resolver.resolve($0) })
    }

    func longDate(_ day: Day) -> String {
        DateText.long(day, language: site.language)
    }
}

/// A page written by the build.
struct PublishedPage: Sendable {
    let path: String
    /// Listed in the sitemap: false for pages whose canonical URL is another page.
    let indexable: Bool
    let lastModified: Day?
}

/// The SHA-256 of a policy version's rendered text, for the manifest.
struct PolicyHash: Sendable {
    let documentID: String
    let effective: Day
    let sha256: String
    /// A translation's hash: its locale; nil for the version's own text.
    var locale: String? = nil

    var key: Key { Key(documentID: documentID, effective: effective, locale: locale) }

    /// Which text a hash is of: a version, or one of its translations.
    struct Key: Hashable, Sendable {
        let documentID: String
        let effective: Day
        let locale: String?
    }
}

/// The SHA-256 of a docs page's rendered text, for the manifest.
struct DocsHash: Sendable {
    let version: String
    let path: String
    let sha256: String
}

/// What rendering one piece of content produced.
struct PageOutcome: Sendable {
    var pages: [PublishedPage] = []
    var diagnostics: [Diagnostic] = []
    var policyHash: PolicyHash?
    var docsHash: DocsHash?
    /// The page's text for the search index, when it belongs there.
    var search: [SearchEntry] = []
    /// Filled in once all pages are done: each policy text and "version/path" to SHA-256.
    var hashes: (policies: [PolicyHash.Key: String], docs: [String: String]) = ([:], [:])
    /// Links written in the content, to check once every page is known.
    var links: [LinkUse] = []
    /// The anchors of pages made from Markdown, by URL path, without the layout's own (``PageChrome/reservedAnchors``).
    var anchors: [String: Set<String>] = [:]

    mutating func merge(_ other: PageOutcome) {
        pages += other.pages
        diagnostics += other.diagnostics
        search += other.search
        links += other.links
        anchors.merge(other.anchors) { $0.union($1) }
    }

    /// Records `markdown`'s links and anchors for the page at `path`, made from `source`, and warns of callouts that do not exist.
    mutating func noteLinks(of markdown: RenderedMarkdown, source: String, path: String) {
        // (And what the editor wrote that renders as they did not mean: a callout kind that does not exist.)
        diagnostics += markdown.unknownCallouts.map { callout in
            .warning(source, line: callout.line, "[!\(callout.kind)] is not a callout: use one of "
                     + Callout.allCases.map { "[!\($0.rawValue.uppercased())]" }.joined(separator: ", ") + "; it is shown as a plain quote")
        }
        diagnostics += markdown.unknownCodeLanguages.map { fence in
            .warning(source, line: fence.line, "'\(fence.language)' is not a language the highlighter knows "
                     + "(e.g. python, javascript, json, yaml, bash, http, go, text); the code is shown plain")
        }
        links += markdown.links.map { LinkUse(source: source, line: $0.line, pagePath: path, link: $0) }
        anchors[path, default: []].formUnion(markdown.outline.map(\.anchor))
    }
}

extension PageOutcome {
    /// Every outcome's pages, problems and links, and the hashes of the texts they rendered.
    init(merging outcomes: [PageOutcome]) {
        var policyHashes: [PolicyHash.Key: String] = [:]
        var docsHashes: [String: String] = [:]
        for outcome in outcomes {
            merge(outcome)
            if let hash = outcome.policyHash { policyHashes[hash.key] = hash.sha256 }
            if let hash = outcome.docsHash { docsHashes["\(hash.version)/\(hash.path)"] = hash.sha256 }
        }
        hashes = (policyHashes, docsHashes)
    }
}

enum Digest {
    static func sha256Hex(_ text: String) -> String {
        Hex.encode(SHA256.hash(data: Data(text.utf8)))
    }
}

enum DateText {
    /// Every page shows a few dates, mostly the same ones: making a formatter for each cost a
    /// fifteenth of a large site's build.
    private static let made = RenderedOnce<String>()

    /// "17 April 2026" in the site's language (Foundation picks the order and month names).
    static func long(_ day: Day, language: String) -> String {
        made.value(for: "\(language) \(day)") { format(day, language: language) }
    }

    private static func format(_ day: Day, language: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: language)
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateStyle = .long
        formatter.timeStyle = .none
        var components = DateComponents()
        components.year = day.year
        components.month = day.month
        components.day = day.day
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: components) else { return day.description }
        return formatter.string(from: date)
    }
}
