import Foundation

/// One thing the site does that its declarations do not allow.
public struct Finding: Sendable, Equatable, Encodable, Comparable {
    public enum Kind: String, Sendable, Encodable, CaseIterable {
        /// A cookie no category of site.yaml declares.
        case undeclaredCookie = "undeclared-cookie"
        /// A request to an origin site.yaml's `contentSecurityPolicy` does not name.
        case undeclaredRequest = "undeclared-request"
        /// An optional category's cookie before any choice.
        case cookieBeforeConsent = "cookie-before-consent"
        /// A third-party request before any choice.
        case requestBeforeConsent = "request-before-consent"
        /// An optional category's cookie still there after reject-all or withdrawing.
        case cookieAfterRefusal = "cookie-after-refusal"
        /// A third-party request after reject-all or withdrawing.
        case requestAfterRefusal = "request-after-refusal"

        public var heading: String {
            switch self {
            case .undeclaredCookie: "Cookies not declared in site.yaml"
            case .undeclaredRequest: "Third-party requests to origins not declared in site.yaml"
            case .cookieBeforeConsent: "Optional cookies set before any choice"
            case .requestBeforeConsent: "Third-party requests before any choice"
            case .cookieAfterRefusal: "Optional cookies still present after a refusal"
            case .requestAfterRefusal: "Third-party requests after a refusal"
            }
        }
    }

    public var kind: Kind
    public var phase: ScanPhase
    /// The first page it was seen on, as a path of the site.
    public var page: String
    /// On how many pages it was seen (in its phase; for an undeclared cookie or origin, in any).
    public var pages = 1
    public var cookie: String?
    public var domain: String?
    /// The category that declares the cookie.
    public var category: String?
    public var origin: String?
    /// The first URL requested from the origin.
    public var url: String?
    /// What was requested: `script`, `image`, `frame`, `stylesheet`, `fetch`, `xhr`, …
    public var type: String?

    public init(kind: Kind, phase: ScanPhase, page: String, cookie: String? = nil, domain: String? = nil,
                category: String? = nil, origin: String? = nil, url: String? = nil, type: String? = nil) {
        self.kind = kind
        self.phase = phase
        self.page = page
        self.cookie = cookie
        self.domain = domain
        self.category = category
        self.origin = origin
        self.url = url
        self.type = type
    }

    /// What makes two sightings the same finding: an undeclared cookie or origin is one finding
    /// whenever it shows; the others are one per phase.
    struct Key: Hashable {
        let kind: Kind
        let phase: ScanPhase?
        let subject: String
    }

    var key: Key {
        let undeclared = kind == .undeclaredCookie || kind == .undeclaredRequest
        return Key(kind: kind, phase: undeclared ? nil : phase, subject: subject)
    }

    /// The cookie (with its domain) or the origin.
    var subject: String {
        cookie.map { "\($0) (\(domain ?? ""))" } ?? origin ?? ""
    }

    /// One sentence: what, where and when.
    public var message: String {
        let what: String
        switch kind {
        case .undeclaredCookie: what = "cookie \(subject) is not declared in site.yaml"
        case .undeclaredRequest: what = "\(type ?? "request") from \(subject) (\(url ?? "")): the origin is not declared in site.yaml's contentSecurityPolicy"
        case .cookieBeforeConsent, .cookieAfterRefusal: what = "cookie \(subject) of category \(category ?? "")"
        case .requestBeforeConsent, .requestAfterRefusal: what = "\(type ?? "request") from \(subject) (\(url ?? ""))"
        }
        let others = pages > 1 ? " and \(pages - 1) other page\(pages == 2 ? "" : "s")" : ""
        return "\(what): \(phase.title), on \(page)\(others)"
    }

    public static func < (a: Finding, b: Finding) -> Bool {
        let order = Kind.allCases, phases = ScanPhase.allCases
        return (order.firstIndex(of: a.kind)!, phases.firstIndex(of: a.phase)!, a.subject, a.page)
            < (order.firstIndex(of: b.kind)!, phases.firstIndex(of: b.phase)!, b.subject, b.page)
    }

    private enum CodingKeys: String, CodingKey {
        case kind, phase, page, pages, cookie, domain, category, origin, url, type, message
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(phase, forKey: .phase)
        try container.encode(page, forKey: .page)
        try container.encode(pages, forKey: .pages)
        try container.encodeIfPresent(cookie, forKey: .cookie)
        try container.encodeIfPresent(domain, forKey: .domain)
        try container.encodeIfPresent(category, forKey: .category)
        try container.encodeIfPresent(origin, forKey: .origin)
        try container.encodeIfPresent(url, forKey: .url)
        try container.encodeIfPresent(type, forKey: .type)
        try container.encode(message, forKey: .message)
    }
}

/// The outcome of a scan: what was scanned, and every finding.
public struct ScanReport: Sendable, Encodable {
    /// The site's base URL, as published.
    public var baseURL: String
    /// How many pages were visited in each phase.
    public var pages: Int
    public var phases: [ScanPhase]
    public var findings: [Finding]
    /// No findings.
    public var clean: Bool

    public init(baseURL: String, pages: Int, phases: [ScanPhase] = ScanPhase.allCases, findings: [Finding]) {
        self.baseURL = baseURL
        self.pages = pages
        self.phases = phases
        self.findings = findings
        self.clean = findings.isEmpty
    }

    /// `--json`: keys sorted, so the output is stable.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// For a person: a summary line, then the findings grouped by kind.
    public func text() -> String {
        let summary = "Scanned \(count(pages, "page")) of \(baseURL) \(phases.map(\.title).joined(separator: ", ")):"
        guard !clean else { return summary + " no findings." }
        var lines = [summary + " \(count(findings.count, "finding")).", ""]
        for kind in Finding.Kind.allCases {
            let ofKind = findings.filter { $0.kind == kind }
            guard !ofKind.isEmpty else { continue }
            lines.append("\(kind.heading) (\(ofKind.count)):")
            lines += ofKind.map { "  \($0.message)" }
            lines.append("")
        }
        return lines.joined(separator: "\n").trimmingCharacters(in: .newlines)
    }

    private func count(_ n: Int, _ noun: String) -> String {
        "\(n) \(noun)\(n == 1 ? "" : "s")"
    }
}
