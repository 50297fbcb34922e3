/// Makes relative links in Markdown absolute paths, so a body renders the same at every URL
/// it is published under (`/privacy/` and `/privacy/2026-06-01/`, `/docs/` and `/docs/v2/`).
///
/// Two conventions are accepted, as in Docusaurus: a link to a `.md` file is relative to the
/// source file and points at the page made from it; any other relative link is relative to the
/// page's own URL.
struct LinkResolver: Sendable {
    /// The page's own URL path, ending in `/`.
    let pagePath: String
    /// The URL path of the folder that holds the source file, ending in `/`.
    let sourceFolderPath: String

    func resolve(_ link: String) -> String {
        guard !link.isEmpty, !link.hasPrefix("/"), !link.hasPrefix("#"), !link.hasPrefix("?"), !Self.hasScheme(link) else { return link }
        var target = link
        var suffix = ""
        if let index = target.firstIndex(where: { $0 == "#" || $0 == "?" }) {
            suffix = String(target[index...])
            target = String(target[..<index])
        }
        var base = pagePath
        for ext in [".md", ".markdown"] where target.hasSuffix(ext) {
            target = String(target.dropLast(ext.count))
            if target == "index" || target.hasSuffix("/index") { target = String(target.dropLast("index".count)) }
            if !target.isEmpty && !target.hasSuffix("/") { target += "/" }
            base = sourceFolderPath
        }
        return Self.join(base, target) + suffix
    }

    static func hasScheme(_ link: String) -> Bool {
        guard let colon = link.firstIndex(of: ":") else { return false }
        let scheme = link[..<colon]
        return !scheme.isEmpty && scheme.allSatisfy { $0.isLetter || $0.isNumber || "+-.".contains($0) }
    }

    /// RFC 3986 dot-segment removal over a directory path and a relative path.
    static func join(_ directory: String, _ relative: String) -> String {
        var segments = directory.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        let parts = relative.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        for (index, part) in parts.enumerated() {
            let isLast = index == parts.count - 1
            switch part {
            case ".": continue
            case "..": if !segments.isEmpty { segments.removeLast() }
            case "": if !isLast { continue }
            default: segments.append(part)
            }
        }
        let trailingSlash = relative.isEmpty || relative.hasSuffix("/") || parts.last == "." || parts.last == ".."
        let path = "/" + segments.joined(separator: "/")
        return trailingSlash && path != "/" ? path + "/" : path
    }
}
