import Foundation
import RedlineManifest
import Yams

/// `content/site.yaml`: what the whole site shares.
public struct SiteConfig: Sendable {
    public var title: String
    /// Absolute, ending in `/`. Pages link with its path, so a site can live under a prefix.
    public var baseURL: String
    /// BCP 47 tag for `<html lang>`.
    public var language: String
    public var description: String?
    /// Raw HTML in Markdown is dropped unless the editors opt in.
    public var allowRawHTML: Bool
    /// Minimum days between `published` and `effective` for a material change.
    public var noticeDays: Int
    /// The docs version readers land on; by default the highest version name not marked pre-release.
    public var latestDocsVersion: String?
    /// The line of `docs.latest`, for the warning that it pins an older version.
    public var latestDocsLine: Int?
    /// Docs versions published ahead of their release (`docs.prerelease`): never the default latest.
    public var prereleaseDocsVersions: [String] = []
    /// `docs.tryIt`: each API reference operation can be sent from the page; off by default.
    public var tryIt = false
    /// `docs.tryItServers`: where "Try it" may send requests, instead of each OpenAPI file's `servers`.
    public var tryItServers: [String] = []
    /// Heading texts (matched case-insensitively, as parts of headings) whose change should
    /// make a version material, e.g. "Information we collect", "Sharing", "Retention".
    public var sensitiveSections: [String]
    /// Largest share of words (0...1) an editorial version may change before `check` warns.
    public var editorialChangeLimit: Double
    /// Change notices: whether campaigns wait for approval, and what every notice carries.
    public var notices = NoticeSettings()
    /// How a link or image that leads nowhere is reported: an error (the default) or, with `links: warn`, a warning.
    public var brokenLinks: Diagnostic.Severity = .error
    /// The cookie banner and the consent API.
    public var consent: ConsentSettings
    /// The pages' own words in other languages (`text.<locale>`); English where none is given.
    public var text = PageText()
    /// Paper for printed redlines (`redline diff --format docx|pdf`): `a4` (the default) or `letter`.
    public var paper = "a4"
    /// Where "Edit this page" on a docs page leads: a URL with `{path}`, the page's file relative to
    /// the content folder (e.g. `https://github.com/acme/legal/edit/main/content/{path}`); nil: no link.
    public var editURL: String?
    /// Origins added to the server's Content-Security-Policy, by directive (`script-src`,
    /// `frame-src`, …): what the scripts and iframes the banner gates load from. Never inline script.
    public var contentSecurityPolicy: [String: [String]] = [:]
    /// Languages policies are translated into (`<date>.<locale>.md`), besides `language`.
    public var languages: [String] = []
    /// The language whose text is legally binding; the others say so on their pages.
    public var bindingLanguage: String { bindingLanguageSetting ?? language }
    var bindingLanguageSetting: String?

    public static let fileName = "site.yaml"
    static let knownKeys: Set<String> = ["title", "baseURL", "language", "description", "rawHTML", "noticeDays", "docs",
                                         "sensitiveSections", "editorialChangeLimit", "consent", "links", "notices", "paper", "editURL",
                                         "contentSecurityPolicy", "languages", "bindingLanguage", "text"]

    public init(title: String, baseURL: String, language: String = "en", description: String? = nil,
                allowRawHTML: Bool = false, noticeDays: Int = 30, latestDocsVersion: String? = nil,
                sensitiveSections: [String] = [], editorialChangeLimit: Double = 0.1, consent: ConsentSettings = ConsentSettings()) {
        self.title = title
        self.baseURL = SiteConfig.normalizedBaseURL(baseURL) ?? baseURL
        self.language = language
        self.description = description
        self.allowRawHTML = allowRawHTML
        self.noticeDays = noticeDays
        self.latestDocsVersion = latestDocsVersion
        self.sensitiveSections = sensitiveSections
        self.editorialChangeLimit = editorialChangeLimit
        self.consent = consent
    }

    /// The first sensitive pattern that `heading` contains, if any.
    public func sensitivePattern(matching heading: String) -> String? {
        let lowered = heading.lowercased()
        return sensitiveSections.first { lowered.contains($0.lowercased()) }
    }

    /// The path part of ``baseURL``, always starting and ending with `/`.
    public var basePath: String {
        guard let schemeEnd = baseURL.range(of: "://") else { return "/" }
        let afterHost = baseURL[schemeEnd.upperBound...].drop { $0 != "/" }
        return afterHost.isEmpty ? "/" : String(afterHost)
    }

    /// Accepts `http(s)://host[/path]`, adds the trailing slash; nil for anything else.
    public static func normalizedBaseURL(_ raw: String) -> String? {
        let lower = raw.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else { return nil }
        let host = raw.drop { $0 != ":" }.dropFirst(3).prefix { $0 != "/" }
        guard !host.isEmpty, !raw.contains(" "), !raw.contains("?"), !raw.contains("#") else { return nil }
        return raw.hasSuffix("/") ? raw : raw + "/"
    }

    /// Parses site.yaml text; `path` is used in diagnostics.
    /// - Returns: the configuration, or nil when an error makes it unusable, plus every problem found.
    public static func parse(_ text: String, path: String) -> (SiteConfig?, [Diagnostic]) {
        var reader: FieldReader
        switch settings(in: text, path: path) {
        case let .success(fields): reader = FieldReader(path: path, fields: fields, blockLine: 1, lineOffset: 0)
        case let .failure(problems): return (nil, problems.diagnostics)
        }
        let title = reader.string("title", required: true)
        var baseURL = reader.string("baseURL", required: true)
        if let raw = baseURL {
            baseURL = normalizedBaseURL(raw)
            if baseURL == nil { reader.error("baseURL", "'baseURL' must be an absolute http:// or https:// URL, not '\(raw)'") }
        }
        let language = reader.string("language") ?? "en"
        if !LanguageTag.isValid(language) {
            reader.error("language", "'language' must be a language tag such as 'en' or 'en-GB', not '\(language)'")
        }
        let description = reader.string("description")
        let rawHTML = reader.bool("rawHTML") ?? false
        let noticeDays = reader.int("noticeDays", range: 0...3650) ?? 30
        let docs = readDocs(&reader)
        let sensitive = reader.stringList("sensitiveSections") ?? []
        let editorialLimit = reader.double("editorialChangeLimit", range: 0...1) ?? 0.1
        let consent = ConsentSettings.read(from: &reader, siteTitle: title ?? "")
        var config = SiteConfig(title: title ?? "", baseURL: baseURL ?? "", language: language, description: description,
                                allowRawHTML: rawHTML, noticeDays: noticeDays, latestDocsVersion: docs.latest,
                                sensitiveSections: sensitive, editorialChangeLimit: editorialLimit, consent: consent)
        config.latestDocsLine = docs.latestLine
        config.prereleaseDocsVersions = docs.prerelease
        config.tryIt = docs.tryIt
        config.tryItServers = docs.tryItServers
        config.brokenLinks = readBrokenLinks(&reader)
        config.notices = NoticeSettings.read(from: &reader)
        config.paper = readPaper(&reader)
        config.editURL = readEditURL(&reader)
        config.contentSecurityPolicy = readContentSecurityPolicy(&reader)
        config.languages = readLanguages(&reader, siteLanguage: language)
        config.bindingLanguageSetting = reader.string("bindingLanguage")
        config.text = PageText.read(from: &reader)
        if let binding = config.bindingLanguageSetting, binding != language, !config.languages.contains(binding) {
            reader.error("bindingLanguage", "'bindingLanguage' must be the site's language (\(language)) or one of 'languages'")
        }
        reader.warnAboutUnknownKeys(allowed: knownKeys)
        guard title != nil, baseURL != nil else { return (nil, reader.diagnostics) }
        return (config, reader.diagnostics)
    }

    /// The problems that leave no settings to read at all.
    private struct Unreadable: Error {
        let diagnostics: [Diagnostic]
    }

    /// site.yaml's top-level settings, by name, with their lines.
    private static func settings(in text: String, path: String) -> Result<[String: FrontMatter.Field], Unreadable> {
        let node: Node?
        do {
            node = try Yams.compose(yaml: FrontMatter.normalized(text), .default, .default, .utf8)
        } catch let error as YamlError {
            return .failure(Unreadable(diagnostics: FrontMatter.diagnostics(for: error, yaml: FrontMatter.normalized(text), path: path, lineOffset: 0)))
        } catch {
            return .failure(Unreadable(diagnostics: [.error(path, line: 1, "not valid YAML: \(error)")]))
        }
        guard let node, let mapping = node.mapping else {
            return .failure(Unreadable(diagnostics: [.error(path, line: 1, "site.yaml must be a list of 'key: value' settings")]))
        }
        if let bomb = YAMLAliases.problem(in: node) {
            return .failure(Unreadable(diagnostics: [.error(path, line: bomb.line, bomb.message)]))
        }
        var fields: [String: FrontMatter.Field] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string else { continue }
            fields[name] = FrontMatter.Field(node: value, line: key.mark?.line ?? 1)
        }
        return .success(fields)
    }

    /// `docs:`: which version is the latest, and which are published ahead of their release.
    private struct DocsSettings {
        var latest: String?
        var latestLine: Int?
        var prerelease: [String] = []
        var tryIt = false
        var tryItServers: [String] = []
    }

    private static func readDocs(_ reader: inout FieldReader) -> DocsSettings {
        var settings = DocsSettings()
        guard reader.fields["docs"] != nil else { return settings }
        guard var docs = reader.nested("docs") else {
            reader.error("docs", "'docs' must be a mapping, for example 'docs:' then '  latest: v2'")
            return settings
        }
        settings.latest = docs.string("latest")
        settings.latestLine = docs.fields["latest"] != nil ? docs.line(of: "latest") : nil
        settings.prerelease = docs.stringList("prerelease") ?? []
        settings.tryIt = docs.bool("tryIt") ?? false
        for server in docs.stringList("tryItServers") ?? [] {
            guard let url = URLComponents(string: server), ["https", "http"].contains(url.scheme?.lowercased() ?? ""), url.host?.isEmpty == false,
                  url.query == nil, url.fragment == nil else {
                docs.error("tryItServers", "'tryItServers' must list absolute http(s) URLs of the API, such as https://sandbox.example.com/v2; "
                           + "'\(server)' is not one")
                continue
            }
            settings.tryItServers.append(server)
        }
        docs.warnAboutUnknownKeys(allowed: ["latest", "prerelease", "tryIt", "tryItServers"])
        reader.append(docs.diagnostics)
        return settings
    }

    private static func readBrokenLinks(_ reader: inout FieldReader) -> Diagnostic.Severity {
        guard let links = reader.string("links") else { return .error }
        switch links {
        case "error": return .error
        case "warn": return .warning
        default:
            reader.error("links", "'links' must be 'error' (the default) or 'warn', not '\(links)'")
            return .error
        }
    }

    private static func readPaper(_ reader: inout FieldReader) -> String {
        guard let value = reader.string("paper") else { return "a4" }
        guard ["a4", "letter"].contains(value.lowercased()) else {
            reader.error("paper", "'paper' must be a4 or letter, not '\(value)'")
            return "a4"
        }
        return value.lowercased()
    }

    private static func readEditURL(_ reader: inout FieldReader) -> String? {
        guard let value = reader.string("editURL") else { return nil }
        guard (value.hasPrefix("https://") || value.hasPrefix("http://")) && value.contains("{path}") && !value.contains(where: \.isWhitespace) else {
            reader.error("editURL", "'editURL' must be an http(s) URL with {path} where the file's path goes, e.g. "
                         + "https://github.com/acme/legal/edit/main/content/{path}; got '\(value)'")
            return nil
        }
        return value
    }

    /// `languages:`, the languages policies are translated into: valid tags other than the site's own.
    private static func readLanguages(_ reader: inout FieldReader, siteLanguage: String) -> [String] {
        let languages = reader.stringList("languages") ?? []
        for tag in languages where !LanguageTag.isValid(tag) || tag == siteLanguage {
            reader.error("languages", tag == siteLanguage ? "'\(tag)' is the site's own language; list only the languages policies are translated into"
                                                          : "'\(tag)' is not a language tag such as 'de' or 'fr-CA'")
        }
        return languages.filter { LanguageTag.isValid($0) && $0 != siteLanguage }
    }

    /// The directives a site may widen, each with the origins gated scripts and iframes need.
    public static let contentSecurityPolicyDirectives: Set<String> = [
        "script-src", "frame-src", "img-src", "connect-src", "style-src", "font-src", "media-src",
    ]

    /// `contentSecurityPolicy:` maps directives to lists of origins (`https://stats.example`,
    /// `https://*.example`); keywords such as `'unsafe-inline'` and wildcards are refused.
    private static func readContentSecurityPolicy(_ reader: inout FieldReader) -> [String: [String]] {
        guard reader.fields["contentSecurityPolicy"] != nil else { return [:] }
        guard var section = reader.nested("contentSecurityPolicy") else {
            reader.error("contentSecurityPolicy", "'contentSecurityPolicy' must map directives to origins, e.g. 'script-src: [https://stats.example]'")
            return [:]
        }
        var policy: [String: [String]] = [:]
        for directive in section.fields.keys.sorted() {
            guard contentSecurityPolicyDirectives.contains(directive) else {
                section.error(directive, "'\(directive)' cannot be set here: use one of " + contentSecurityPolicyDirectives.sorted().joined(separator: ", "))
                continue
            }
            let sources = section.stringList(directive) ?? []
            for source in sources where !isPolicyOrigin(source) {
                section.error(directive, "'\(source)' is not an origin such as 'https://stats.example' or 'https://*.example.com'"
                              + (source.hasPrefix("'") ? "; keywords like \(source) would let injected code run" : ""))
            }
            policy[directive] = sources.filter(isPolicyOrigin)
        }
        reader.append(section.diagnostics)
        return policy
    }

    /// `https://host[:port]`, the host possibly starting with `*.`.
    static func isPolicyOrigin(_ text: String) -> Bool {
        let lower = text.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else { return false }
        let host = lower.drop { $0 != "/" }.dropFirst(2)
        let bare = host.hasPrefix("*.") ? host.dropFirst(2) : host
        return !bare.isEmpty && bare.allSatisfy { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == ":" } && !bare.contains("*")
    }
}

/// site.yaml's `notices`.
public struct NoticeSettings: Sendable, Equatable {
    /// `manual`: a new material version's campaign waits for an admin's approval; `automatic`: it sends at once.
    public var approval = Manifest.NoticeApproval.manual
    public var replyTo: String?
    /// A postal or contact line at the end of every notice.
    public var contact: String?
    /// Notice periods in days by region or group, beside `noticeDays`.
    public var periods: [String: Int] = [:]
    /// `optional`: editorial versions are e-mailed too, as notices a reader can stop with one click.
    public var editorial = Manifest.EditorialNotices.none

    public init() {}
}

extension NoticeSettings {
    /// `notices:` in site.yaml.
    static func read(from reader: inout FieldReader) -> NoticeSettings {
        var notices = NoticeSettings()
        guard reader.fields["notices"] != nil else { return notices }
        guard var nested = reader.nested("notices") else {
            reader.error("notices", "'notices' must be a mapping, for example 'notices:' then '  approval: manual'")
            return notices
        }
        if let approval = nested.string("approval") {
            if let value = Manifest.NoticeApproval(rawValue: approval) {
                notices.approval = value
            } else {
                nested.error("approval", "'approval' must be 'manual' (the default: a campaign waits for an admin) or 'automatic', not '\(approval)'")
            }
        }
        if let replyTo = nested.string("replyTo") {
            let parts = replyTo.split(separator: "@")
            if parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !replyTo.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" }) {
                notices.replyTo = replyTo
            } else {
                nested.error("replyTo", "'replyTo' must be an e-mail address such as privacy@example.com, not '\(replyTo)'")
            }
        }
        notices.contact = nested.string("contact")
        notices.periods = readPeriods(&nested)
        if let editorial = nested.string("editorial") {
            if let value = Manifest.EditorialNotices(rawValue: editorial) {
                notices.editorial = value
            } else {
                nested.error("editorial", "'editorial' must be 'none' (the default: editorial versions are not e-mailed) or 'optional' "
                             + "(an optional notice readers can unsubscribe from), not '\(editorial)'")
            }
        }
        nested.warnAboutUnknownKeys(allowed: ["approval", "replyTo", "contact", "periods", "editorial"])
        reader.append(nested.diagnostics)
        return notices
    }

    /// `periods:` under `notices:`: days by ISO 3166 code or group (`EEA: 15`, `US-CA: 45`).
    private static func readPeriods(_ reader: inout FieldReader) -> [String: Int] {
        guard reader.fields["periods"] != nil else { return [:] }
        guard var nested = reader.nested("periods") else {
            reader.error("periods", "'periods' must be a mapping of regions to days, for example '  EEA: 15'")
            return [:]
        }
        var periods: [String: Int] = [:]
        for key in nested.fields.keys.sorted() {
            guard RegionCatalog.groups[key] != nil || RegionCatalog.isKnown(key) else {
                nested.error(key, "'\(key)' is not a region: write an ISO 3166 code (DE, US-CA) or a group (\(RegionCatalog.groups.keys.sorted().joined(separator: ", ")))")
                continue
            }
            if let days = nested.int(key, range: 0...3650) { periods[key] = days }
        }
        reader.append(nested.diagnostics)
        return periods
    }
}
