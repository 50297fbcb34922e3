import Foundation
import RedlineContent
import RedlineManifest
import RedlineOutput

/// Atom feeds of policy versions (one per policy and `changes.xml` for the site) and
/// `changes.json` for machines. Entry ids are `tag:` URIs built from the host, the version's
/// effective date and its path, so they never change once published.
struct Feeds {
    let environment: RenderEnvironment
    let changes: PolicyChanges

    struct Entry {
        let document: PolicyDocument
        let version: PolicyVersion
        let change: PolicyChange?
    }

    func entries(for document: PolicyDocument? = nil) -> [Entry] {
        let documents = document.map { [$0] } ?? environment.corpus.policies
        return documents.flatMap { document in
            document.versions.map { Entry(document: document, version: $0, change: changes.change(document.id, $0.effective)) }
        }.sorted { (updated($0.version), $0.document.id) > (updated($1.version), $1.document.id) }
    }

    func atom(for document: PolicyDocument?) -> String {
        let urls = environment.urls
        let entries = entries(for: document)
        let selfPath = document.map { urls.policyFeed($0.id) } ?? urls.siteFeed
        let title = document.map { "\($0.title(on: environment.now)): versions" } ?? "\(environment.site.title): policy changes"
        let alternate = document.map { urls.policyHistory($0.id) } ?? urls.home
        let firstDay = (document?.versions.first?.effective ?? environment.corpus.policies.compactMap { $0.versions.first?.effective }.min())
        let items = entries.map { entry -> AtomFeed.Entry in
            let version = entry.version
            let kind = entry.change == nil ? "first version" : (version.material ? "material change" : "editorial change")
            let link = entry.change != nil ? urls.policyChanges(entry.document.id, version.effective) : urls.policyVersion(entry.document.id, version.effective)
            var summary = version.summary ?? ""
            if let change = entry.change {
                let sections = change.redline.changedSections.map { $0.heading.isEmpty ? "Introduction" : $0.heading }
                if !sections.isEmpty { summary += (summary.isEmpty ? "" : " ") + "Sections changed: " + sections.joined(separator: ", ") + "." }
            }
            return AtomFeed.Entry(id: tag(version.effective, "\(entry.document.id)/\(version.effective)"),
                                  title: "\(version.title): \(kind), effective \(environment.longDate(version.effective))",
                                  link: urls.absolute(link), published: timestamp(updated(version)), updated: timestamp(updated(version)),
                                  category: version.material ? "material" : "editorial",
                                  summary: summary.isEmpty ? "\(version.title), effective \(version.effective)" : summary)
        }
        return AtomFeed(id: tag(firstDay, document?.id ?? "changes"), language: environment.site.language, title: title,
                        selfURL: urls.absolute(selfPath), alternateURL: urls.absolute(alternate),
                        updated: entries.first.map { timestamp(updated($0.version)) } ?? timestamp(environment.now),
                        author: environment.site.title, entries: items).xml
    }

    struct ChangesDocument: Encodable {
        struct Change: Encodable {
            let document: String
            let title: String
            let effective: String
            let published: String?
            let material: Bool
            let summary: String?
            let status: String
            let url: String
            let changesUrl: String?
            let previous: String?
            let inserted: Int
            let deleted: Int
            let sections: [Section]
        }
        /// The one changed-section summary: the manifest's, so `changes.json` and `manifest.json` say the same.
        typealias Section = Manifest.ChangedSection
        let generatedAt: String
        let changes: [Change]
    }

    func json(generatedAt: String) throws -> Data {
        let urls = environment.urls
        let changes = entries().map { entry in
            let version = entry.version
            return ChangesDocument.Change(
                document: entry.document.id, title: version.title, effective: version.effective.description,
                published: version.published?.description, material: version.material, summary: version.summary,
                status: entry.document.status(of: version, on: environment.now).rawValue,
                url: urls.absolute(urls.policyVersion(entry.document.id, version.effective)),
                changesUrl: entry.change.map { _ in urls.absolute(urls.policyChanges(entry.document.id, version.effective)) },
                previous: entry.change?.previous.effective.description,
                inserted: entry.change?.redline.inserted ?? 0, deleted: entry.change?.redline.deleted ?? 0,
                sections: entry.change.map { changedSections($0) } ?? [])
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(ChangesDocument(generatedAt: generatedAt, changes: changes))
    }

    func changedSections(_ change: PolicyChange) -> [ChangesDocument.Section] {
        let base = environment.urls.absolute(environment.urls.policyChanges(change.document.id, change.version.effective))
        return change.html.sections.filter { $0.change.isChanged }.map { section in
            Manifest.ChangedSection(section.change, url: base + "#" + section.anchor)
        }
    }

    /// When a version was announced: its `published` date, else its effective date.
    private func updated(_ version: PolicyVersion) -> Day { version.published ?? version.effective }

    private func timestamp(_ day: Day) -> String { "\(day)T00:00:00Z" }

    private func tag(_ day: Day?, _ specific: String) -> String {
        return "tag:\(environment.urls.tagAuthority),\(day?.description ?? "2000-01-01"):\(environment.urls.basePath.dropFirst())\(specific)"
    }

}
