import Foundation
import RedlineManifest

/// What the built site declares, as its build published it from site.yaml: the cookies of each
/// consent category (`consent/config.json`, the list the banner shows and deletes from, as of
/// the day the site was built for) and the third-party origins (`manifest.json`'s
/// `contentSecurityPolicy`, which the server adds to its Content-Security-Policy). Read from
/// the build rather than from site.yaml, so a scan checks the declarations this build serves.
public struct SiteDeclarations: Sendable, Equatable {
    public struct Category: Sendable, Equatable {
        public var id: String
        /// Strictly necessary: its cookies are allowed before any choice and after a refusal.
        public var required: Bool
        public var cookies: [CookieRule]

        public init(id: String, required: Bool, cookies: [CookieRule]) {
            self.id = id
            self.required = required
            self.cookies = cookies
        }
    }

    /// One declared cookie: a name, `*` for any characters, and the domain a third party sets it on.
    public struct CookieRule: Sendable, Equatable, Decodable {
        public var name: String
        public var domain: String?

        public init(name: String, domain: String? = nil) {
            self.name = name
            self.domain = domain
        }
    }

    /// The site's own base URL, as published (`https://legal.example/`).
    public var baseURL: String
    public var categories: [Category]
    /// Declared third-party origins, every directive's together, lower-cased; a host may start with `*.`.
    public var origins: Set<String>
    /// Origins the build says load before any choice by design (Google's tag in Consent Mode's
    /// advanced mode, with every signal denied): `manifest.json`'s `consent.loadsBeforeConsent`.
    public var loadedBeforeConsent: Set<String>

    public init(baseURL: String, categories: [Category], origins: Set<String>, loadedBeforeConsent: Set<String> = []) {
        self.baseURL = baseURL
        self.categories = categories
        self.origins = Set(origins.map { $0.lowercased() })
        self.loadedBeforeConsent = Set(loadedBeforeConsent.map { $0.lowercased() })
    }

    /// Reads `manifest.json` and the banner configuration it names.
    public init(manifest manifestJSON: Data, bannerConfig: Data) throws {
        let manifest = try JSONDecoder().decode(Manifest.self, from: manifestJSON)
        let config = try JSONDecoder().decode(BannerConfig.self, from: bannerConfig)
        self.init(baseURL: manifest.site.baseURL,
                  categories: config.categories.map { Category(id: $0.id, required: $0.required, cookies: $0.cookies) },
                  origins: Set((manifest.site.contentSecurityPolicy ?? [:]).values.joined()),
                  loadedBeforeConsent: Set(manifest.consent?.loadsBeforeConsent ?? []))
    }

    /// The part of `consent/config.json` the scan reads.
    private struct BannerConfig: Decodable {
        struct Category: Decodable {
            let id: String
            let required: Bool
            let cookies: [CookieRule]
        }
        let categories: [Category]
    }

    /// The category whose declaration covers `cookie`, or nil when none does. `siteHosts` are
    /// the hosts whose cookies are the site's own (the one it is served from in the scan, and
    /// its published host).
    public func category(of cookie: ObservedCookie, siteHosts: Set<String>) -> Category? {
        categories.first { category in
            category.cookies.contains { $0.covers(cookie, siteHosts: siteHosts, publishedHost: Origin.host(of: baseURL) ?? "") }
        }
    }

    /// Whether site.yaml's `contentSecurityPolicy` names `origin` (`https://*.example` names its subdomains).
    public func declares(origin: String) -> Bool {
        Self.matches(origin, in: origins)
    }

    /// Whether `origin` may load before any choice.
    public func loadsBeforeConsent(origin: String) -> Bool {
        Self.matches(origin, in: loadedBeforeConsent)
    }

    private static func matches(_ origin: String, in origins: Set<String>) -> Bool {
        let origin = origin.lowercased()
        if origins.contains(origin) { return true }
        return origins.contains { declared in
            guard let star = declared.range(of: "://*.") else { return false }
            let scheme = declared[..<star.lowerBound], suffix = "." + declared[star.upperBound...]
            return origin.hasPrefix(scheme + "://") && origin.hasSuffix(suffix) && origin.count > scheme.count + 3 + suffix.count
        }
    }
}

extension SiteDeclarations.CookieRule {
    /// Whether this declaration names `cookie`. Without a domain it names the site's own cookies;
    /// with one, cookies on that domain and below it. A domain that covers the published host
    /// (`.example.com` for `legal.example.com`) is the site's own too, wherever it is served from.
    func covers(_ cookie: ObservedCookie, siteHosts: Set<String>, publishedHost: String) -> Bool {
        guard Glob.matches(name, cookie.name) else { return false }
        let host = Self.bare(cookie.domain)
        guard let domain, !Self.bare(domain).isEmpty else { return siteHosts.contains(host) }
        let declared = Self.bare(domain)
        if host == declared || host.hasSuffix("." + declared) { return true }
        let coversPublishedHost = publishedHost == declared || publishedHost.hasSuffix("." + declared)
        return coversPublishedHost && siteHosts.contains(host)
    }

    private static func bare(_ domain: String) -> String {
        String(domain.lowercased().drop { $0 == "." })
    }
}

/// Cookie-name patterns as site.yaml writes them: `*` stands for any characters, nothing else is special.
enum Glob {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        let pieces = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        guard pieces.count > 1 else { return pattern == text }
        guard text.hasPrefix(pieces[0]), text.count >= pieces[0].count + pieces[pieces.count - 1].count else { return false }
        var rest = Substring(text.dropFirst(pieces[0].count))
        for piece in pieces.dropFirst().dropLast() where !piece.isEmpty {
            guard let found = rest.range(of: piece) else { return false }
            rest = rest[found.upperBound...]
        }
        return rest.hasSuffix(pieces[pieces.count - 1])
    }
}

/// Origins of URLs as a browser compares them: scheme, host and a port other than the scheme's own.
enum Origin {
    static func of(_ url: String) -> String? {
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(),
              ["http", "https", "ws", "wss"].contains(scheme), let host = parts.host?.lowercased(), !host.isEmpty else { return nil }
        let standard = (scheme == "https" || scheme == "wss") ? 443 : 80
        let shownHost = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(scheme)://\(shownHost)" + (parts.port.map { $0 == standard ? "" : ":\($0)" } ?? "")
    }

    static func host(of url: String) -> String? {
        URLComponents(string: url)?.host?.lowercased()
    }
}
