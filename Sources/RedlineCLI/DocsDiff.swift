import ArgumentParser
import Foundation
import RedlineContent
import RedlineMarkdown
import RedlineOpenAPI
import RedlineOutput
import RedlineSite

/// `redline diff docs v1 v2`: ``DocsChanges`` as text, JSON, Markdown or an HTML page, each
/// changed page's redline in the same format (on the HTML page, as a fragment of it).
struct DocsDiff {
    let changes: DocsChanges

    static func compare(content: String, from: String, to: String) throws -> DocsDiff {
        // The pages and OpenAPI files compared are content/'s own, as for build: no link out of it.
        let links = SymlinkAudit.problems(in: content)
        if !links.isEmpty { throw ValidationError(links.map(\.description).joined(separator: "\n")) }
        do {
            return DocsDiff(changes: try DocsChanges.compare(content: content, from: from, to: to))
        } catch {
            throw ValidationError(error.diagnostics.map(\.description).joined(separator: "\n"))
        }
    }

    private func label(_ page: DocsChanges.Page) -> String { page.path.isEmpty ? "index" : page.path }

    func render(as format: RedlineFormat) throws -> String {
        switch format {
        case .text(let colour): try text(colour: colour)
        case .json: try json()
        case .markdown: try markdown()
        case .htmlPage: try html()
        // Not `case` by `case`: a format added to the output module is not one the docs diff prints until it says so.
        default: throw ValidationError("redline diff docs prints text, json, markdown or html")
        }
    }

    /// A changed page's redline, as the one output module writes it.
    private func redlineText(of page: DocsChanges.Page, as format: RedlineFormat) throws -> String {
        String(decoding: try RedlineOutput.render(RedlineInput(page.redline!), as: format), as: UTF8.self)
    }

    var summary: String {
        var text = "docs \(changes.from) → \(changes.to): \(Console.count(changes.added.count, "page")) added, "
            + "\(changes.removed.count) removed, \(changes.changed.count) changed"
        if let api = changes.api {
            text += "; API: \(Console.count(api.count, "change")), \(changes.breaking.count) breaking"
        }
        return text
    }

    func text(colour: Bool) throws -> String {
        var lines = [summary]
        for change in changes.api ?? [] { lines.append((change.breaking ? "! breaking  " : "  ") + change.summary.replacingOccurrences(of: "`", with: "")) }
        lines += changes.added.map { "+ \(label($0)) (\($0.title))" }
        lines += changes.removed.map { "- \(label($0)) (\($0.title))" }
        lines += changes.changed.map { "~ \(label($0)) (\($0.title)): +\($0.redline!.inserted) −\($0.redline!.deleted) words" }
        for page in changes.changed {
            lines += ["", "== \(label(page)) ==", try redlineText(of: page, as: .text(colour: colour))]
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func markdown() throws -> String {
        var parts = ["# Docs \(changes.from) → \(changes.to)", ""]
        if let api = changes.api {
            parts += ["## API changes", ""]
            parts += api.isEmpty ? ["The API did not change.", ""]
                : api.map { "- " + ($0.breaking ? "**Breaking:** " : "") + "`\($0.operation)`: " + $0.summary.dropFirst($0.operation.count + 2) } + [""]
        }
        if !changes.added.isEmpty { parts += ["## Added", ""] + changes.added.map { "- `\(label($0))`: \($0.title)" } + [""] }
        if !changes.removed.isEmpty { parts += ["## Removed", ""] + changes.removed.map { "- `\(label($0))`: \($0.title)" } + [""] }
        for page in changes.changed {
            parts += ["## Changed: `\(label(page))` (\(page.title))", "", try redlineText(of: page, as: .markdown), ""]
        }
        return parts.joined(separator: "\n")
    }

    func json() throws -> String {
        func entry(_ page: DocsChanges.Page) throws -> [String: Any] {
            var object: [String: Any] = ["path": label(page), "title": page.title]
            if let redline = page.redline {
                object["inserted"] = redline.inserted
                object["deleted"] = redline.deleted
                object["redline"] = try JSONSerialization.jsonObject(with: Data(try redlineText(of: page, as: .json).utf8))
            }
            return object
        }
        var object: [String: Any] = ["from": changes.from, "to": changes.to, "added": try changes.added.map(entry),
                                     "removed": try changes.removed.map(entry), "changed": try changes.changed.map(entry)]
        if let api = changes.api {
            object["api"] = api.map { change -> [String: Any] in
                var item: [String: Any] = ["operation": change.operation, "kind": change.kind.rawValue, "breaking": change.breaking]
                if let subject = change.subject { item["subject"] = subject.replacingOccurrences(of: "`", with: "") }
                if let detail = change.detail { item["detail"] = detail }
                return item
            }
        }
        return String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]),
                      as: UTF8.self) + "\n"
    }

    /// One page, for a pull request or an e-mail: the API's changes, then each changed page's redline.
    func html() throws -> String {
        func item(_ change: APIChange) -> String {
            "<li>" + (change.breaking ? "<strong>Breaking:</strong> " : "") + "<code>\(change.operation.htmlEscaped)</code>: \(change.kind.rawValue)"
                + (change.subject.map { " " + APIReferenceHTML.inlineCode($0) } ?? "") + (change.detail.map { " (\($0.htmlEscaped))" } ?? "") + "</li>"
        }
        var body = "<h1>Docs \(changes.from.htmlEscaped) → \(changes.to.htmlEscaped)</h1>\n<p>\(summary.htmlEscaped)</p>\n"
        if let api = changes.api {
            body += "<h2>API changes</h2>\n" + (api.isEmpty ? "<p>The API did not change.</p>\n" : "<ul>\n" + api.map(item).joined(separator: "\n") + "\n</ul>\n")
        }
        if !changes.added.isEmpty { body += "<h2>Added</h2>\n<ul>" + changes.added.map { "<li><code>\(label($0).htmlEscaped)</code>: \($0.title.htmlEscaped)</li>" }.joined() + "</ul>\n" }
        if !changes.removed.isEmpty { body += "<h2>Removed</h2>\n<ul>" + changes.removed.map { "<li><code>\(label($0).htmlEscaped)</code>: \($0.title.htmlEscaped)</li>" }.joined() + "</ul>\n" }
        for page in changes.changed {
            body += "<h2>Changed: <code>\(label(page).htmlEscaped)</code> (\(page.title.htmlEscaped))</h2>\n" + (try redlineText(of: page, as: .htmlFragment)) + "\n"
        }
        return RedlineHTMLPage.document(title: "Docs \(changes.from) → \(changes.to)", body: body)
    }
}
