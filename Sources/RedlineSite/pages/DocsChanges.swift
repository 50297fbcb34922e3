import Foundation
import RedlineContent
import RedlineDiff
import RedlineOpenAPI
import RedlineParallel

/// What changed between two versions of the API docs: pages added, removed and changed (each
/// changed page with the section-aware redline policies get), and, when both versions have an
/// OpenAPI file, the API's own changes, each breaking or not. The build's `docs/<v>/changes/`
/// page and `redline diff docs` both show this.
public struct DocsChanges: Sendable {
    public struct Page: Sendable {
        /// The page's path in its version (`shipments/create`; empty for the landing page).
        public let path: String
        public let title: String
        /// Its changes, for a changed page within the comparison's limit of redlines; nil otherwise.
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

    /// - Parameter redlines: how many changed pages get their redline (in navigation order); the
    ///   others are only known to differ, which costs a comparison of bytes instead of a diff.
    static func compare(_ old: DocsVersion, _ new: DocsVersion, references: [String: APIReference],
                        redlines: Int = .max) throws(DiagnosticsError) -> DocsChanges {
        @Sendable func body(_ page: DocsPage, in version: DocsVersion) throws(DiagnosticsError) -> String {
            if let reference = references[version.name], reference.source == page.source, let markdown = reference.markdown[page.path] {
                return markdown
            }
            return try RenderEnvironment.readBody(of: page.source)
        }
        let oldPages = Dictionary(old.pages.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let newPaths = Set(new.pages.map(\.path))
        // Every page both versions have, compared on every core: a major version may change all of them.
        let pairs = new.pages.compactMap { page in oldPages[page.path].map { (before: $0, after: page) } }
        let results = parallelMap(pairs) { pair -> Result<(Page, texts: (String, String))?, DiagnosticsError> in
            do throws(DiagnosticsError) {
                let oldText = try body(pair.before, in: old), newText = try body(pair.after, in: new)
                return .success(oldText == newText ? nil : (Page(path: pair.after.path, title: pair.after.title, redline: nil), (oldText, newText)))
            } catch {
                return .failure(error)
            }
        }
        var differing: [(Page, texts: (String, String))] = []
        for result in results {
            switch result {
            case let .success(found): if let found { differing.append(found) }
            case let .failure(error): throw error
            }
        }
        // Only bytes that differ: the redline says whether any word did (a reflowed line changes none).
        let limit = min(redlines, differing.count)
        let diffed = parallelMap(Array(differing.prefix(limit))) { page, texts -> Page? in
            let redline = RedlineDiffer.diff(old: texts.0, new: texts.1)
            guard redline.inserted + redline.deleted > 0 || !redline.changedSections.isEmpty else { return nil }
            return Page(path: page.path, title: page.title, redline: redline)
        }
        let changed = diffed.compactMap { $0 } + differing.dropFirst(limit).map(\.0)
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
