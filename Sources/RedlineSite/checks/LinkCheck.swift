import Foundation
import RedlineContent
import RedlineMarkdown

/// A link written in a content file, as the page it appears on will hold it.
struct LinkUse: Sendable {
    /// The content file, as the user names it in messages.
    let source: String
    /// The line of the file, from 1.
    let line: Int
    /// The page's own URL path, for links that are only `#anchor`.
    let pagePath: String
    let link: LinkReference
}

/// [links]: every link and image in policies and docs must lead to a page, file or anchor the
/// site has. External links (with a scheme, or `//host`) are not fetched.
struct LinkCheck {
    let basePath: String
    /// URL paths of pages, ending in `/`.
    let pages: Set<String>
    /// URL paths of other files: assets, images, feeds.
    let files: Set<String>
    /// Anchors of pages made from Markdown, besides the layout's own; other pages' anchors are not checked.
    let anchors: [String: Set<String>]
    let severity: Diagnostic.Severity

    func problems(in uses: [LinkUse]) -> [Diagnostic] {
        var seen = Set<String>()
        var problems: [Diagnostic] = []
        // Many versions of a policy repeat one broken link: each reason is worked out once.
        var reasons: [String: String?] = [:]
        let suggestions = Suggestions(pages: pages, files: files)
        for use in uses {
            // A policy in force is rendered twice (its own URL and its version's); report it once.
            guard seen.insert("\(use.source):\(use.line):\(use.link.written)").inserted else { continue }
            // A site-absolute destination means the same on every page; others depend on the page.
            let destination = use.link.destination
            let key = "\(use.link.isImage ? "i" : "l")\(destination.hasPrefix("/") ? "" : use.pagePath)\u{0}\(destination)"
            let reason: String?
            if let known = reasons[key] {
                reason = known
            } else {
                reason = problem(with: use, suggestions: suggestions)
                reasons[key] = reason
            }
            guard let reason else { continue }
            problems.append(Diagnostic(severity, path: use.source, line: use.line, "broken link '\(use.link.written)': \(reason)"))
        }
        return problems
    }

    /// The site's paths grouped by length, so a typo is looked for only among paths of about its
    /// length, and each candidate's bytes are taken once.
    private final class Suggestions {
        let files: [Int: [(String, [UInt8])]]
        let pagesAndFiles: [Int: [(String, [UInt8])]]

        init(pages: Set<String>, files: Set<String>) {
            func byLength(_ paths: Set<String>) -> [Int: [(String, [UInt8])]] {
                Dictionary(grouping: paths.map { ($0, Array($0.utf8)) }, by: \.1.count)
            }
            self.files = byLength(files)
            pagesAndFiles = byLength(pages.union(files))
        }
    }

    private func problem(with use: LinkUse, suggestions: Suggestions) -> String? {
        let destination = use.link.destination
        guard !destination.isEmpty, !destination.hasPrefix("//"), !LinkResolver.hasScheme(destination) else { return nil }
        var path = destination
        var fragment = ""
        if let hash = path.firstIndex(of: "#") {
            fragment = String(path[path.index(after: hash)...]).removingPercentEncoding ?? ""
            path = String(path[..<hash])
        }
        if let query = path.firstIndex(of: "?") { path = String(path[..<query]) }
        if path.isEmpty { path = use.pagePath }
        // Outside the site's base path: another site on the same host, not ours to check.
        guard path.hasPrefix(basePath) || path + "/" == basePath else { return nil }
        path = path.removingPercentEncoding ?? path

        let page: String?
        if use.link.isImage {
            guard files.contains(path) else { return "no such image" + Self.suggestion(for: path, among: suggestions.files) }
            return nil
        } else if pages.contains(path) {
            page = path
        } else if pages.contains(path + "/") {
            page = path + "/"
        } else if path.hasSuffix("/index.html"), pages.contains(String(path.dropLast("index.html".count))) {
            page = String(path.dropLast("index.html".count))
        } else if files.contains(path) {
            page = nil
        } else {
            return "the site has no page or file at \(path)" + Self.suggestion(for: path, among: suggestions.pagesAndFiles)
        }
        // The layout's own anchors (top, main) are on every page, valid targets but never the one an editor meant.
        if !fragment.isEmpty, let page, let known = anchors[page], !known.contains(fragment), !PageChrome.reservedAnchors.contains(fragment) {
            return "\(page) has no anchor '#\(fragment)'"
                + Self.suggestion(for: fragment, among: Dictionary(grouping: known.map { ($0, Array($0.utf8)) }, by: \.1.count), prefix: "#")
        }
        return nil
    }

    /// "; did you mean '…'?" when a candidate is close enough to be a typo of `text`.
    private static func suggestion(for text: String, among candidates: [Int: [(String, [UInt8])]], prefix: String = "") -> String {
        let bytes = Array(text.utf8)
        let limit = max(1, min(3, bytes.count / 4))
        var best: (String, Int)?
        for length in (bytes.count - limit)...(bytes.count + limit) {
            for (candidate, candidateBytes) in candidates[length] ?? [] {
                let distance = editDistance(bytes, candidateBytes, limit: limit)
                if distance <= limit, distance < best?.1 ?? Int.max || (distance == best?.1 && candidate < best!.0) { best = (candidate, distance) }
            }
        }
        return best.map { "; did you mean '\(prefix)\($0.0)'?" } ?? ""
    }

    /// Edit distance counting a swap of two neighbours as one edit (the commonest typo), giving
    /// up (returning `limit + 1`) once it must exceed `limit`.
    static func editDistance(_ a: String, _ b: String, limit: Int) -> Int {
        editDistance(Array(a.utf8), Array(b.utf8), limit: limit)
    }

    static func editDistance(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int {
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var beforePrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            var rowMinimum = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { current[j] = min(current[j], beforePrevious[j - 2] + 1) }
                rowMinimum = min(rowMinimum, current[j])
            }
            if rowMinimum > limit { return limit + 1 }
            beforePrevious = previous
            previous = current
        }
        return previous[b.count]
    }
}
