import Foundation
import RedlineContent
import RedlineDiff
import RedlineOpenAPI

/// What changed between two versions of the API docs: pages added, removed and changed (each
/// changed page with the section-aware redline policies get), and, when both versions have an
/// OpenAPI file, the API's own changes, each breaking or not. The build's `docs/<v>/changes/`
/// page and `redline diff docs` both show this.
public struct DocsChanges: Sendable {
    public struct Page: Sendable {
        /// The page's path in its version (`shipments/create`; empty for the landing page).
        public let path: String
        public let title: String
        public let redline: Redline?
    }

    public let from: String
    public let to: String
    public let added: [Page]
    public let removed: [Page]
    public let changed: [Page]
    /// nil unless both versions have an OpenAPI file.
    public let api: [APIChange]?
    /// By operation key, where it is in each version's reference (page path and anchor).
    let oldLinks: [String: (path: String, anchor: String)]
    let newLinks: [String: (path: String, anchor: String)]

    public var breaking: [APIChange] { (api ?? []).filter(\.breaking) }

    /// Compares two versions in `content`, with their reference pages, as the build would make them.
    public static func compare(content: String, from: String, to: String) throws(DiagnosticsError) -> DocsChanges {
        let (loaded, loadDiagnostics) = ContentLoader.load(contentDirectory: content)
        guard let loaded, !loadDiagnostics.hasErrors else { throw DiagnosticsError(loadDiagnostics.errors) }
        let (corpus, references, problems) = APIReference.load(loaded.withoutDrafts)
        if problems.hasErrors { throw DiagnosticsError(problems.errors) }
        let names = corpus.docs.map(\.name)
        func version(_ name: String) throws(DiagnosticsError) -> DocsVersion {
            guard let found = corpus.docs.first(where: { $0.name == name }) else {
                throw DiagnosticsError([.error("\(content)/docs", line: nil, "there is no docs version '\(name)'; there are: \(names.joined(separator: ", "))")])
            }
            return found
        }
        return try compare(try version(from), try version(to), references: references)
    }

    static func compare(_ old: DocsVersion, _ new: DocsVersion, references: [String: APIReference]) throws(DiagnosticsError) -> DocsChanges {
        func body(_ page: DocsPage, in version: DocsVersion) throws(DiagnosticsError) -> String {
            if let reference = references[version.name], reference.source == page.source, let markdown = reference.markdown[page.path] {
                return markdown
            }
            return try RenderEnvironment.readBody(of: page.source)
        }
        let oldPages = Dictionary(old.pages.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let newPaths = Set(new.pages.map(\.path))
        var changed: [Page] = []
        for page in new.pages {
            guard let before = oldPages[page.path] else { continue }
            let redline = RedlineDiffer.diff(old: try body(before, in: old), new: try body(page, in: new))
            if redline.inserted + redline.deleted > 0 || !redline.changedSections.isEmpty {
                changed.append(Page(path: page.path, title: page.title, redline: redline))
            }
        }
        let oldReference = references[old.name], newReference = references[new.name]
        let api = oldReference.flatMap { before in newReference.map { APIChanges.compare(before.spec, $0.spec) } }
        return DocsChanges(from: old.name, to: new.name,
                           added: new.pages.filter { oldPages[$0.path] == nil }.map { Page(path: $0.path, title: $0.title, redline: nil) },
                           removed: old.pages.filter { !newPaths.contains($0.path) }.map { Page(path: $0.path, title: $0.title, redline: nil) },
                           changed: changed, api: api,
                           oldLinks: oldReference?.operationLinks ?? [:], newLinks: newReference?.operationLinks ?? [:])
    }

    /// Where an operation is documented in the old (`from`) or new (`to`) version, as a path in that
    /// version with its anchor: `reference/shipments/#create-a-shipment`.
    public func referencePath(of operation: String, inNewVersion: Bool) -> String? {
        guard let link = (inNewVersion ? newLinks : oldLinks)[operation] else { return nil }
        return "\(link.path)/#\(link.anchor)"
    }
}
