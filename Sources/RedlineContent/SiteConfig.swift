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
        let node: Node?
        do {
            node = try Yams.compose(yaml: FrontMatter.normalized(text), .default, .default, .utf8)
        } catch let error as YamlError {
            return (nil, FrontMatter.diagnostics(for: error, yaml: FrontMatter.normalized(text), path: path, lineOffset: 0))
        } catch {
            return (nil, [.error(path, line: 1, "not valid YAML: \(error)")])
        }
        guard let mapping = node?.mapping else {
            return (nil, [.error(path, line: 1, "site.yaml must be a list of 'key: value' settings")])
        }
        if let node, let bomb = YAMLAliases.problem(in: node) {
            return (nil, [.error(path, line: bomb.line, bomb.message)])
        }
        var fields: [String: FrontMatter.Field] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string else { continue }
            fields[name] = FrontMatter.Field(node: value, line: key.mark?.line ?? 1)
        }
        var reader = FieldReader(path: path, fields: fields, blockLine: 1, lineOffset: 0)
        let title = reader.string("title", required: true)
        var baseURL = reader.string("baseURL", required: true)
        if let raw = baseURL {
            baseURL = normalizedBaseURL(raw)
            if baseURL == nil { reader.error("baseURL", "'baseURL' must be an absolute http:// or https:// URL, not '\(raw)'") }
        }
        let language = reader.string("language") ?? "en"
        if !language.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) {
            reader.error("language", "'language' must be a language tag such as 'en' or 'en-GB', not '\(language)'")
        }
        let description = reader.string("description")
        let rawHTML = reader.bool("rawHTML") ?? false
        let noticeDays = reader.int("noticeDays", range: 0...3650) ?? 30
        var latestDocs: String?
        var latestDocsLine: Int?
        var prerelease: [String] = []
        if reader.fields["docs"] != nil {
            if var docs = reader.nested("docs") {
                latestDocs = docs.string("latest")
                latestDocsLine = docs.fields["latest"] != nil ? docs.line(of: "latest") : nil
                prerelease = docs.stringList("prerelease") ?? []
                docs.warnAboutUnknownKeys(allowed: ["latest", "prerelease"])
                reader.append(docs.diagnostics)
            } else {
                reader.error("docs", "'docs' must be a mapping, for example 'docs:' then '  latest: v2'")
            }
        }
        let sensitive = reader.stringList("sensitiveSections") ?? []
        let editorialLimit = reader.double("editorialChangeLimit", range: 0...1) ?? 0.1
        let consent = ConsentSettings.read(from: &reader, siteTitle: title ?? "")
        var brokenLinks = Diagnostic.Severity.error
        if let links = reader.string("links") {
            switch links {
            case "error": brokenLinks = .error
            case "warn": brokenLinks = .warning
            default: reader.error("links", "'links' must be 'error' (the default) or 'warn', not '\(links)'")
            }
        }
        var notices = NoticeSettings()
        if reader.fields["notices"] != nil {
            if var nested = reader.nested("notices") {
                if let approval = nested.string("approval") {
                    if ["manual", "automatic"].contains(approval) {
                        notices.approval = approval
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
                nested.warnAboutUnknownKeys(allowed: ["approval", "replyTo", "contact"])
                reader.append(nested.diagnostics)
            } else {
                reader.error("notices", "'notices' must be a mapping, for example 'notices:' then '  approval: manual'")
            }
        }
        var paper = "a4"
        if let value = reader.string("paper") {
            if ["a4", "letter"].contains(value.lowercased()) {
                paper = value.lowercased()
            } else {
                reader.error("paper", "'paper' must be a4 or letter, not '\(value)'")
            }
        }
        var editURL: String?
        if let value = reader.string("editURL") {
            if (value.hasPrefix("https://") || value.hasPrefix("http://")) && value.contains("{path}") && !value.contains(where: \.isWhitespace) {
                editURL = value
            } else {
                reader.error("editURL", "'editURL' must be an http(s) URL with {path} where the file's path goes, e.g. "
                             + "https://github.com/acme/legal/edit/main/content/{path}; got '\(value)'")
            }
        }
        let csp = readContentSecurityPolicy(&reader)
        let languages = reader.stringList("languages") ?? []
        for tag in languages where !LanguageTag.isValid(tag) || tag == language {
            reader.error("languages", tag == language ? "'\(tag)' is the site's own language; list only the languages policies are translated into"
                                                      : "'\(tag)' is not a language tag such as 'de' or 'fr-CA'")
        }
        let binding = reader.string("bindingLanguage")
        let text = PageText.read(from: &reader)
        if let binding, binding != language, !languages.contains(binding) {
            reader.error("bindingLanguage", "'bindingLanguage' must be the site's language (\(language)) or one of 'languages'")
        }
        reader.warnAboutUnknownKeys(allowed: knownKeys)

        guard let title, let baseURL else { return (nil, reader.diagnostics) }
        let config = SiteConfig(title: title, baseURL: baseURL, language: language, description: description,
                                allowRawHTML: rawHTML, noticeDays: noticeDays, latestDocsVersion: latestDocs,
                                sensitiveSections: sensitive, editorialChangeLimit: editorialLimit, consent: consent)
        var configured = config
        configured.brokenLinks = brokenLinks
        configured.latestDocsLine = latestDocsLine
        configured.prereleaseDocsVersions = prerelease
        configured.notices = notices
        configured.paper = paper
        configured.editURL = editURL
        configured.contentSecurityPolicy = csp
        configured.languages = languages.filter { LanguageTag.isValid($0) && $0 != language }
        configured.bindingLanguageSetting = binding
        configured.text = text
        return (configured, reader.diagnostics)
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
    public var approval = "manual"
    public var replyTo: String?
    /// A postal or contact line at the end of every notice.
    public var contact: String?

    public init() {}
}
