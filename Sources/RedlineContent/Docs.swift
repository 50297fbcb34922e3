/// One page of API documentation: `docs/<version>/<path>.md`.
public struct DocsPage: Sendable {
    public let version: String
    /// Path within the version, without extension: `authentication`, `guides/webhooks`;
    /// empty for the version's own `index.md`.
    public let path: String
    public let title: String
    /// Lower comes first in navigation; pages without one follow, by title.
    public let weight: Int?
    /// nil when current; otherwise the editor's note, or empty for a plain "deprecated".
    public let deprecated: String?
    public let source: SourceFile
    /// `draft: true`: a page still being written, built only for preview.
    public let draft: Bool

    public init(version: String, path: String, title: String, weight: Int?, deprecated: String?, source: SourceFile, draft: Bool = false) {
        self.draft = draft
        self.version = version
        self.path = path
        self.title = title
        self.weight = weight
        self.deprecated = deprecated
        self.source = source
    }

    /// The first path component, which groups pages in the navigation ("" for top-level pages).
    public var section: String {
        guard let slash = path.firstIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }

    static let frontMatterKeys: Set<String> = ["title", "weight", "deprecated", "draft"]
}

/// All pages of one API version, in navigation order.
public struct DocsVersion: Sendable {
    public let name: String
    /// Published pages, in navigation order: what the navigation, search and the manifest list.
    public let pages: [DocsPage]
    /// Pages marked `draft: true`; empty unless the build includes drafts.
    public let drafts: [DocsPage]
    /// Non-Markdown files (images, downloads), relative to the version folder, copied as they are.
    public let assets: [String]
    public let directory: String

    public init(name: String, pages: [DocsPage], assets: [String], directory: String) {
        self.name = name
        self.pages = pages.filter { !$0.draft }.sorted(by: DocsVersion.navigationOrder)
        drafts = pages.filter(\.draft)
        self.assets = assets.sorted()
        self.directory = directory
        self.pagePaths = Set(pages.filter { !$0.draft }.map(\.path))
    }

    /// The same version without its draft pages.
    public var withoutDrafts: DocsVersion { DocsVersion(name: name, pages: pages, assets: assets, directory: directory) }

    /// For the version switcher: does this version have a page at `path`?
    public func hasPage(_ path: String) -> Bool { pagePaths.contains(path) }

    public var indexPage: DocsPage? { pages.first { $0.path.isEmpty } }

    private let pagePaths: Set<String>

    static func navigationOrder(_ a: DocsPage, _ b: DocsPage) -> Bool {
        if a.path.isEmpty != b.path.isEmpty { return a.path.isEmpty }
        if a.section != b.section { return a.section.naturalLess(than: b.section) }
        switch (a.weight, b.weight) {
        case let (x?, y?) where x != y: return x < y
        case (.some, nil): return true
        case (nil, .some): return false
        default: return (a.title, a.path) < (b.title, b.path)
        }
    }
}

extension String {
    /// "v2" < "v10": digit runs compare by value, so version names sort as people expect.
    public func naturalLess(than other: String) -> Bool {
        var a = self[...], b = other[...]
        while let ca = a.first, let cb = b.first {
            if ca.isNumber && cb.isNumber {
                let na = a.prefix { $0.isNumber }, nb = b.prefix { $0.isNumber }
                let va = Int(na) ?? 0, vb = Int(nb) ?? 0
                if va != vb { return va < vb }
                a = a.dropFirst(na.count)
                b = b.dropFirst(nb.count)
            } else {
                if ca != cb { return ca < cb }
                a = a.dropFirst()
                b = b.dropFirst()
            }
        }
        return a.isEmpty && !b.isEmpty
    }
}
