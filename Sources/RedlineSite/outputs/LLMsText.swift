import Foundation
import RedlineContent
import RedlineMarkdown

/// `llms.txt` and `llms-full.txt` (the llms.txt proposal, llmstxt.org): an H1 with the site's
/// name, a blockquote summary, then H2 sections of `- [title](url): notes` links to the pages'
/// Markdown twins. At the root: the policies in force with their upcoming versions, the latest
/// docs, and the change notices of the last year; under each docs version, that version's pages.
/// The `-full` files are the listed twins one after another, each whole, front matter included.
struct LLMsText {
    let environment: RenderEnvironment
    let changes: PolicyChanges

    struct Link {
        let title: String
        /// The twin's URL path.
        let path: String
        var notes: String? = nil
    }

    struct Section {
        let title: String
        let links: [Link]
    }

    private var urls: SiteURLs { environment.urls }

    /// The root's sections; empty ones are left out.
    func siteSections() -> [Section] {
        var sections = [Section(title: "Policies", links: policyLinks())]
        if let latest = environment.corpus.latestDocs {
            sections.append(Section(title: "API documentation (\(latest.name), the latest)", links: docsLinks(latest)))
        }
        sections.append(Section(title: "Change notices of the last year", links: noticeLinks()))
        let older = environment.corpus.docs.filter { $0.name != environment.corpus.latestDocs?.name }
        // "Optional" is the proposal's name for what a reader with little room may skip.
        sections.append(Section(title: "Optional", links: older.map {
            Link(title: "API documentation \($0.name)", path: urls.docsVersion($0.name) + "llms.txt", notes: "an older version, listed on its own")
        }))
        return sections.filter { !$0.links.isEmpty }
    }

    func docsSections(_ version: DocsVersion) -> [Section] {
        [Section(title: "Pages", links: docsLinks(version))]
    }

    /// The policies in force (or, before any is, the first to come), each with the versions still to come.
    private func policyLinks() -> [Link] {
        let now = environment.now
        return environment.corpus.publishedPolicies.flatMap { document -> [Link] in
            guard let featured = document.featured(on: now) else { return [] }
            let status = document.status(of: featured, on: now)
            var links = [Link(title: featured.title, path: MarkdownTwin.path(for: urls.policy(document.id)),
                              notes: status == .current ? "in force since \(featured.effective)" : "takes effect \(featured.effective)")]
            for locale in document.locales {
                guard let translation = document.featuredTranslation(in: locale, on: now) else { continue }
                links.append(Link(title: "\(translation.title) (\(locale))", path: MarkdownTwin.path(for: urls.policy(document.id, locale: locale)),
                                  notes: "a translation of the version of \(translation.effective); the text above is the binding one"))
            }
            for upcoming in document.versions where upcoming.effective > max(now, featured.effective) {
                links.append(Link(title: "\(upcoming.title), version of \(upcoming.effective)",
                                  path: MarkdownTwin.path(for: urls.policyVersion(document.id, upcoming.effective)),
                                  notes: "upcoming: takes effect \(upcoming.effective)" + (upcoming.summary.map { "; \($0)" } ?? "")))
            }
            return links
        }
    }

    private func docsLinks(_ version: DocsVersion) -> [Link] {
        version.pages.map { page in
            Link(title: page.title, path: MarkdownTwin.path(for: urls.docsPage(version.name, page.path)),
                 notes: page.deprecated.map { $0.isEmpty ? "deprecated" : "deprecated: \($0)" })
        }
    }

    /// Notices of versions that took effect in the last 365 days or are still to come, newest first.
    private func noticeLinks() -> [Link] {
        let now = environment.now
        return changes.all.filter { $0.version.effective.days(until: now) <= 365 && !$0.version.draft }
            .sorted { ($0.version.effective, $0.document.id) > ($1.version.effective, $1.document.id) }
            .map { change in
                Link(title: "\(change.version.title): changes of \(change.version.effective)",
                     path: MarkdownTwin.path(for: urls.policyChanges(change.document.id, change.version.effective)),
                     notes: change.version.summary)
            }
    }

    /// The file: H1, blockquote, a line of detail, then the sections.
    func text(title: String, summary: String, sections: [Section]) -> String {
        var out = "# \(Self.line(title))\n\n> \(Self.line(summary))\n\n"
        out += "Every link is a page's Markdown twin: the text as published, with front matter giving its version, status and SHA-256.\n"
        for section in sections {
            out += "\n## \(Self.line(section.title))\n\n"
            for link in section.links {
                out += "- [\(Self.label(link.title))](\(urls.absolute(link.path)))" + (link.notes.map { ": " + Self.line($0) } ?? "") + "\n"
            }
        }
        return out
    }

    /// The twins the sections list, whole, one after another; `read` gives a twin's bytes by URL path.
    func full(_ sections: [Section], read: (String) -> Data?) -> String {
        var out = ""
        for link in sections.flatMap(\.links) where link.path.hasSuffix(MarkdownTwin.fileName) {
            guard let data = read(link.path) else { continue }
            if !out.isEmpty { out += "\n" }
            out += String(decoding: data, as: UTF8.self)
        }
        return out
    }

    /// One line of inert text, whatever an editor's title or summary holds.
    static func line(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ").markdownTagFree
    }

    /// A link text that cannot close the link early.
    static func label(_ text: String) -> String {
        line(text).replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "[", with: "\\[").replacingOccurrences(of: "]", with: "\\]")
    }
}
