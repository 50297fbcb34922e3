import Foundation
import RedlineContent

/// The cookie policy's table of cookies, made from site.yaml's declarations, so that the table
/// and the banner never disagree. A policy version asks for it with a paragraph of its own that
/// reads `{{cookie-table}}`; the version lists the cookies declared for its effective date
/// (`since`/`until`), so a change of declarations shows in the next version's redline and never
/// alters the text, and the SHA-256, of a version already published.
public enum CookieTable {
    public static let placeholder = "{{cookie-table}}"

    /// `body` with each placeholder paragraph replaced by the table for a version effective on `day`.
    public static func expand(_ body: String, site: SiteConfig, on day: Day) -> String {
        guard body.contains(placeholder) else { return body }
        var lines = body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for index in lines.indices where lines[index].trimmingCharacters(in: .whitespaces) == placeholder {
            lines[index] = table(site: site, on: day)
        }
        return lines.joined(separator: "\n")
    }

    static func table(site: SiteConfig, on day: Day) -> String {
        var rows = ["| Cookie | Category | Provider | Purpose | Duration |", "|---|---|---|---|---|"]
        for category in site.consent.categories {
            for cookie in category.cookies where cookie.listed(on: day) {
                let provider = cookie.provider + (cookie.domain.map { " (\($0))" } ?? "")
                rows.append("| `\(cookie.name)` | \(cell(category.label)) | \(cell(provider)) | \(cell(cookie.purpose)) | \(cell(cookie.duration)) |")
            }
        }
        if rows.count == 2 { return "No cookies are declared." }
        return rows.joined(separator: "\n")
    }

    private static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    /// A declaration whose `since` or `until` is no effective date of a version that shows the
    /// table would change the table between versions: in a version already published.
    static func problems(_ corpus: Corpus, siteFile path: String) -> [Diagnostic] {
        var days: Set<Day> = []
        var anyTable = false
        for document in corpus.policies {
            for version in document.versions + document.drafts {
                guard let text = try? RenderEnvironment.readBody(of: version.source), text.contains(placeholder) else { continue }
                anyTable = true
                days.insert(version.effective)
            }
        }
        guard anyTable else { return [] }
        var problems: [Diagnostic] = []
        for category in corpus.site.consent.categories {
            for cookie in category.cookies {
                for (field, day) in [("since", cookie.since), ("until", cookie.until)] {
                    guard let day, !days.contains(day) else { continue }
                    problems.append(.error(path, line: cookie.line,
                                           "cookie '\(cookie.name)': '\(field): \(day)' is not the effective date of a policy version with the cookie table; "
                                           + "the table may change only with a new version (\(days.sorted().map(\.description).joined(separator: ", ")))"))
                }
            }
        }
        return problems
    }
}
