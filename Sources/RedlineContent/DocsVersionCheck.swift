extension ContentLoader {
    /// site.yaml's `docs.latest` and `docs.prerelease` against the versions in `content/docs/`:
    /// a name that is no version is an error; a pinned `latest` older than a released version is a
    /// warning, since the newer version's readers would be told to go back to the older one.
    static func checkDocsVersions(_ site: SiteConfig, docs: [DocsVersion], sitePath: String) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let names = Set(docs.map(\.name))
        if let latest = site.latestDocsVersion, !names.contains(latest) {
            diagnostics.append(.error(sitePath, line: site.latestDocsLine, "docs.latest names '\(latest)', but there is no content/docs/\(latest)/"))
        }
        for name in site.prereleaseDocsVersions where !names.contains(name) {
            diagnostics.append(.error(sitePath, line: nil, "docs.prerelease names '\(name)', but there is no content/docs/\(name)/"))
        }
        guard let latest = site.latestDocsVersion, names.contains(latest) else { return diagnostics }
        let newer = docs.filter { latest.naturalLess(than: $0.name) && !site.prereleaseDocsVersions.contains($0.name) }.map(\.name)
        if let newest = newer.last {
            diagnostics.append(.warning(sitePath, line: site.latestDocsLine,
                "docs.latest pins '\(latest)', but \(newer.joined(separator: ", ")) \(newer.count == 1 ? "is" : "are") newer: their pages tell readers "
                + "the latest version is \(latest) and point search engines to it. Remove docs.latest (the newest version is the default), "
                + "set it to \(newest), or list the newer versions under docs.prerelease"))
        }
        return diagnostics
    }
}
