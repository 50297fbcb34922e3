import ArgumentParser
import Foundation
import RedlineContent
import RedlineDiff

/// `redline diff docs v1 v2`: what changed between two versions of the API docs: pages added,
/// removed and changed, each changed page with the same section-aware redline as policies.
struct DocsDiff {
    struct Page {
        let path: String
        let title: String
        let redline: Redline?
    }

    let from: String
    let to: String
    let added: [Page]
    let removed: [Page]
    let changed: [Page]

    /// Compares two versions of the docs in `content`; pages are matched by their path in the version.
    static func compare(content: String, from: String, to: String) throws -> DocsDiff {
        let (corpus, diagnostics) = ContentLoader.load(contentDirectory: content)
        guard let corpus, !diagnostics.contains(where: { $0.severity == .error }) else {
            throw ValidationError(diagnostics.filter { $0.severity == .error }.map(\.description).joined(separator: "\n"))
        }
        let names = corpus.docs.map(\.name)
        func version(_ name: String) throws -> DocsVersion {
            guard let found = corpus.docs.first(where: { $0.name == name }) else {
                throw ValidationError("there is no docs version '\(name)' in \(content)/docs; there are: \(names.joined(separator: ", "))")
            }
            return found
        }
        let old = try version(from), new = try version(to)
        let oldPages = Dictionary(old.pages.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let newPages = Dictionary(new.pages.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let label = { (page: DocsPage) in page.path.isEmpty ? "index" : page.path }
        var changed: [Page] = []
        for page in new.pages {
            guard let before = oldPages[page.path] else { continue }
            let redline = RedlineDiffer.diff(old: try DiffInput(path: before.source.absolutePath).body, new: try DiffInput(path: page.source.absolutePath).body)
            if redline.inserted + redline.deleted > 0 || redline.changedSections.count > 0 {
                changed.append(Page(path: label(page), title: page.title, redline: redline))
            }
        }
        return DocsDiff(from: from, to: to,
                        added: new.pages.filter { oldPages[$0.path] == nil }.map { Page(path: label($0), title: $0.title, redline: nil) },
                        removed: old.pages.filter { newPages[$0.path] == nil }.map { Page(path: label($0), title: $0.title, redline: nil) },
                        changed: changed)
    }

    var summary: String {
        "docs \(from) → \(to): \(Console.count(added.count, "page")) added, \(removed.count) removed, \(changed.count) changed"
    }

    func text(colour: Bool) -> String {
        var lines = [summary]
        lines += added.map { "+ \($0.path) (\($0.title))" }
        lines += removed.map { "- \($0.path) (\($0.title))" }
        lines += changed.map { "~ \($0.path) (\($0.title)): +\($0.redline!.inserted) −\($0.redline!.deleted) words" }
        for page in changed {
            lines += ["", "== \(page.path) ==", RedlineTextFormat.render(page.redline!, colour: colour)]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func markdown() -> String {
        var parts = ["# Docs \(from) → \(to)", ""]
        if !added.isEmpty { parts += ["## Added", ""] + added.map { "- `\($0.path)`: \($0.title)" } + [""] }
        if !removed.isEmpty { parts += ["## Removed", ""] + removed.map { "- `\($0.path)`: \($0.title)" } + [""] }
        for page in changed {
            parts += ["## Changed: `\(page.path)` (\(page.title))", "", RedlineMarkdownFormat.render(page.redline!), ""]
        }
        return parts.joined(separator: "\n")
    }

    func json() throws -> String {
        func entry(_ page: Page) throws -> [String: Any] {
            var object: [String: Any] = ["path": page.path, "title": page.title]
            if let redline = page.redline {
                object["inserted"] = redline.inserted
                object["deleted"] = redline.deleted
                object["redline"] = try JSONSerialization.jsonObject(with: Data(try RedlineJSONFormat.render(redline).utf8))
            }
            return object
        }
        let object: [String: Any] = ["from": from, "to": to, "added": try added.map(entry), "removed": try removed.map(entry),
                                     "changed": try changed.map(entry)]
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]),
                      as: UTF8.self) + "\n"
    }
}
