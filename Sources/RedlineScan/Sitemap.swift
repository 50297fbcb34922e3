import Foundation

/// The pages a scan visits: the built site's `sitemap.xml`.
public enum Sitemap {
    /// Every `<loc>` of a sitemap, in order, its XML escapes undone.
    public static func locations(in xml: String) -> [String] {
        var found: [String] = []
        var rest = Substring(xml)
        while let open = rest.range(of: "<loc>"), let close = rest[open.upperBound...].range(of: "</loc>") {
            found.append(unescaped(rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)))
            rest = rest[close.upperBound...]
        }
        return found
    }

    /// The site paths (`/privacy/`) of the locations under `baseURL`, each once, in order;
    /// a location elsewhere is not this site's page and is left out.
    public static func paths(_ locations: [String], baseURL: String) -> [String] {
        let base = baseURL.hasSuffix("/") ? baseURL : baseURL + "/"
        var seen: Set<String> = []
        return locations.compactMap { location in
            guard location.hasPrefix(base) else { return nil }
            let path = "/" + location.dropFirst(base.count)
            return seen.insert(path).inserted ? path : nil
        }
    }

    static func unescaped(_ text: String) -> String {
        guard text.contains("&") else { return text }
        // `&amp;` last, so `&amp;lt;` stays `&lt;`.
        return text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }
}
