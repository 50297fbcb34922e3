import RedlineContent

/// Every URL the site publishes, in one place, so pages, sitemap and manifest agree.
///
/// Paths are root-relative and include the base URL's path, so the site works under a
/// prefix such as `https://example.com/legal/`; absolute URLs add the scheme and host.
public struct SiteURLs: Sendable {
    public let baseURL: String
    public let basePath: String

    public init(baseURL: String, basePath: String) {
        self.baseURL = baseURL
        self.basePath = basePath
    }

    /// Output file for a URL path: `/privacy/` → `privacy/index.html`.
    public func outputFile(forPath path: String) -> String {
        var relative = String(path.dropFirst(basePath.count))
        if relative.isEmpty || relative.hasSuffix("/") { relative += "index.html" }
        return relative
    }

    public func absolute(_ path: String) -> String {
        // baseURL ends with basePath; replace it so the path is not doubled.
        String(baseURL.dropLast(basePath.count)) + path
    }

    public var home: String { basePath }
    public var stylesheet: String { basePath + "assets/style.css" }
    public var consentScript: String { basePath + "assets/consent.js" }
    public var consentConfig: String { basePath + "consent/config.json" }
    /// Consent Mode defaults and the `__gpp` API: made by the build, the first script of every page.
    public var consentSignals: String { basePath + "consent/signals.js" }
    /// "Your Privacy Choices": where a visitor under an opt-out law opts out.
    public var privacyChoices: String { basePath + "privacy-choices/" }
    public var printStylesheet: String { basePath + "assets/print-urls.css" }
    public var searchScript: String { basePath + "assets/search.js" }
    /// Turns groups of code blocks into tabs; only pages that have some load it.
    public var codeTabsScript: String { basePath + "assets/code-tabs.js" }
    public var copyPageScript: String { basePath + "assets/copy-page.js" }
    public var tryItScript: String { basePath + "assets/try-it.js" }
    public var feedbackScript: String { basePath + "assets/feedback.js" }
    public var search: String { basePath + "search/" }
    /// The folder of the search index files; `meta.json` is its entry point.
    public var searchIndex: String { basePath + "search/" }
    /// Global Privacy Control support declaration; always at the origin's root, as the spec requires.
    public var gpcDeclaration: String { "/.well-known/gpc.json" }
    public func policy(_ id: String) -> String { "\(basePath)\(id)/" }
    public func policyVersion(_ id: String, _ day: Day) -> String { "\(basePath)\(id)/\(day)/" }
    public func policyHistory(_ id: String) -> String { "\(basePath)\(id)/versions/" }
    public func policyChanges(_ id: String, _ day: Day) -> String { "\(basePath)\(id)/changes/\(day)/" }
    public func policyFeed(_ id: String) -> String { "\(basePath)\(id)/feed.xml" }
    // A translation's pages: the same paths under /<locale>/.
    public func policy(_ id: String, locale: String) -> String { "\(basePath)\(locale)/\(id)/" }
    public func policyVersion(_ id: String, _ day: Day, locale: String) -> String { "\(basePath)\(locale)/\(id)/\(day)/" }
    public func policyChanges(_ id: String, _ day: Day, locale: String) -> String { "\(basePath)\(locale)/\(id)/changes/\(day)/" }
    public func policyFeed(_ id: String, locale: String) -> String { "\(basePath)\(locale)/\(id)/feed.xml" }
    /// A language's own search page, with its index beside it.
    public func search(locale: String) -> String { "\(basePath)\(locale)/search/" }
    public var siteFeed: String { basePath + "changes.xml" }
    /// The host of `tag:` URIs in feeds (RFC 4151): the base URL's, without a port.
    var tagAuthority: String {
        baseURL.split(separator: "/").dropFirst().first.map { String($0.split(separator: ":").first ?? "localhost") } ?? "localhost"
    }
    public var changesJSON: String { basePath + "changes.json" }
    public var docsHome: String { "\(basePath)docs/" }
    public func docsVersion(_ version: String) -> String { "\(basePath)docs/\(version)/" }

    public func docsPage(_ version: String, _ path: String) -> String {
        path.isEmpty ? docsVersion(version) : "\(basePath)docs/\(version)/\(path)/"
    }
}
