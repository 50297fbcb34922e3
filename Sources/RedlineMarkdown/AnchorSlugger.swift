/// Turns heading text into stable, unique `id` values the way GitHub does:
/// lower-case, punctuation dropped, spaces to hyphens, and `-1`, `-2`… for repeats.
///
/// Slugs depend only on the heading text and the headings before it, so a link to
/// `#sharing` keeps working across versions as long as the heading keeps its words.
public struct AnchorSlugger: Sendable {
    private var used: [String: Int] = [:]
    private let reserved: Set<String>

    /// - Parameter reserved: ids already taken on the page (for example by the page chrome).
    public init(reserved: Set<String> = []) {
        self.reserved = reserved
    }

    public mutating func slug(for text: String) -> String {
        let base = Self.baseSlug(text)
        var candidate = base
        var counter = used[base, default: 0]
        while counter > 0 || reserved.contains(candidate) {
            if counter == 0 { counter = 1 }
            candidate = "\(base)-\(counter)"
            if used[candidate] == nil && !reserved.contains(candidate) { break }
            counter += 1
        }
        used[base, default: 0] += 1
        if candidate != base { used[candidate, default: 0] += 1 }
        return candidate
    }

    static func baseSlug(_ text: String) -> String {
        var slug = ""
        var pendingHyphen = false
        for scalar in text.lowercased().unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "_" {
                if pendingHyphen && !slug.isEmpty { slug.append("-") }
                pendingHyphen = false
                slug.unicodeScalars.append(scalar)
            } else if scalar == "-" || scalar.properties.isWhitespace {
                pendingHyphen = true
            }
        }
        return slug.isEmpty ? "section" : slug
    }
}
