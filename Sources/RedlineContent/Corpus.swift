/// Everything under `content/`, loaded and validated: the input of every build.
public struct Corpus: Sendable {
    public let site: SiteConfig
    /// Sorted by id.
    public let policies: [PolicyDocument]
    /// Oldest first, by natural order of their names.
    public let docs: [DocsVersion]

    public init(site: SiteConfig, policies: [PolicyDocument], docs: [DocsVersion]) {
        self.site = site
        // A policy whose every version is a draft is only in builds with drafts (a preview): a
        // published build drops drafts first, and with them such a policy.
        self.policies = policies.filter { !$0.versions.isEmpty || !$0.drafts.isEmpty }.sorted { $0.id < $1.id }
        self.docs = docs.sorted { $0.name.naturalLess(than: $1.name) }
    }

    /// The docs version readers land on: site.yaml's `docs.latest`, else the highest that is
    /// not a pre-release, else the highest.
    public var latestDocs: DocsVersion? {
        if let name = site.latestDocsVersion, let version = docs.first(where: { $0.name == name }) {
            return version
        }
        return docs.last { !isPrerelease($0) } ?? docs.last
    }

    /// Whether site.yaml marks `version` as published ahead of its release.
    public func isPrerelease(_ version: DocsVersion) -> Bool {
        site.prereleaseDocsVersions.contains(version.name)
    }

    /// The policies readers, the manifest, feeds and the banner know: those with a published version.
    public var publishedPolicies: [PolicyDocument] { policies.filter { !$0.versions.isEmpty } }

    /// The corpus as published: drafts left out, and policies that have only drafts with them.
    public var withoutDrafts: Corpus {
        Corpus(site: site, policies: policies.map(\.withoutDrafts), docs: docs.map(\.withoutDrafts))
    }

    public func policy(_ id: String) -> PolicyDocument? {
        policies.first { $0.id == id }
    }
}
