import RedlineContent
import RedlineManifest
import RedlineMarkdown

/// A page's Markdown twin, `<page>/index.md`: the text as its author wrote it (links made
/// absolute), under front matter that says what it is: title, document and version, effective
/// day, status, and the SHA-256 the manifest lists for the text. What assistants, researchers and
/// "Copy page" take, and what the server answers to `Accept: text/markdown` on the page's URL.
struct MarkdownTwin {
    /// A front matter value: text (always quoted) or a true/false flag.
    enum Value {
        case text(String)
        case flag(Bool)

        var yaml: String {
            switch self {
            case let .text(text): MarkdownTwin.quoted(text)
            case let .flag(flag): flag ? "true" : "false"
            }
        }
    }

    /// Front matter fields in order; nil values are left out.
    var fields: [(name: String, value: Value?)]
    var title: String
    var body: String

    static let fileName = "index.md"

    /// The twin's URL path beside the page at `pagePath` (which ends in `/`).
    static func path(for pagePath: String) -> String { pagePath + fileName }

    var text: String {
        var out = "---\n"
        for (name, value) in fields { if let value { out += "\(name): \(value.yaml)\n" } }
        out += "---\n\n"
        // The page shows its title as the one <h1>; a body that has its own keeps it.
        let trimmed = body.drop { $0 == "\n" || $0 == " " }
        if !trimmed.hasPrefix("# ") { out += "# \(title.markdownTagFree)\n\n" }
        out += trimmed
        return out.hasSuffix("\n") ? out : out + "\n"
    }

    /// A YAML double-quoted scalar, so no title can break the block, with `<`, `>` and `&`
    /// escaped too: a renderer that shows front matter as text obeys no HTML in it.
    static func quoted(_ value: String) -> String {
        QuotedString.json(value, escapingMarkup: true)
    }
}

extension RenderEnvironment {
    /// The Markdown a page rendered, as its twin carries it: every link as the page resolved it,
    /// made an absolute URL, so the text means the same read anywhere. Uses the render's own links.
    func twinBody(_ body: String, links: [LinkReference]) -> String {
        var resolved: [String: String] = [:]
        for link in links {
            let destination = link.destination
            let target = destination.hasPrefix("/") && !destination.hasPrefix("//") ? urls.absolute(destination) : destination
            if target != link.written { resolved[link.written] = target }
        }
        return MarkdownRenderer.rewritingLinks(in: body, resolved)
    }

    /// Whether this build writes files: `check` renders everything and writes nothing, so it
    /// makes no twins either.
    var writesFiles: Bool { staging != nil }

    /// Writes `twin` beside the page at `pagePath`.
    func publishTwin(_ twin: MarkdownTwin, pagePath: String, source: String) -> PageOutcome {
        publishFile(twin.text, path: MarkdownTwin.path(for: pagePath), source: source)
    }
}

extension MarkdownTwin {
    /// A policy version's twin (a translation's when `locale` is set, with its own title, hash and pages).
    static func policyVersion(_ environment: RenderEnvironment, document: PolicyDocument, version: PolicyVersion, body: String,
                              title: String, summary: String?, locale: String?, sha256: String, changesPath: String?) -> MarkdownTwin {
        let urls = environment.urls
        let status = document.status(of: version, on: environment.now)
        let path = locale.map { urls.policyVersion(document.id, version.effective, locale: $0) } ?? urls.policyVersion(document.id, version.effective)
        return MarkdownTwin(
            fields: [("title", .text(title)), ("document", .text(document.id)), ("version", .text(version.effective.description)),
                     ("effective", .text(version.effective.description)), ("status", .text(status.rawValue)),
                     ("material", .flag(version.material)), ("locale", .text(locale ?? environment.site.language)),
                     ("binding", .flag(locale == nil)), ("summary", summary.map(Value.text)), ("sha256", .text(sha256)),
                     ("url", .text(urls.absolute(path))), ("changes", changesPath.map { .text(urls.absolute($0)) })],
            title: title, body: body)
    }
}
