/// One cookie (or a family of them, `_pk_id.*`) that a consent category sets, as site.yaml
/// declares it: the banner lists it, withdrawal deletes it, and the cookie policy's table shows it.
public struct CookieDeclaration: Sendable, Equatable {
    /// The cookie's name; `*` stands for any characters (`_pk_id.*`).
    public var name: String
    /// Where it is set, when not this site's own host (a third party's cookies cannot be deleted by the page).
    public var domain: String?
    /// How long it lasts, as readers read it: "13 months", "session".
    public var duration: String
    public var purpose: String
    public var provider: String
    /// The first policy version whose table lists it (a version's effective date); nil: every version.
    public var since: Day?
    /// The first policy version whose table no longer lists it; nil: still listed.
    public var until: Day?
    /// Line in site.yaml, to report a `since` or `until` that matches no version.
    public var line: Int

    public init(name: String, domain: String? = nil, duration: String, purpose: String, provider: String,
                since: Day? = nil, until: Day? = nil, line: Int = 1) {
        self.name = name
        self.domain = domain
        self.duration = duration
        self.purpose = purpose
        self.provider = provider
        self.since = since
        self.until = until
        self.line = line
    }

    /// Whether a policy version effective on `day` lists it: declarations change the table only
    /// from a version on, so a version's text (and its SHA-256) never changes after it is published.
    public func listed(on day: Day) -> Bool {
        (since.map { $0 <= day } ?? true) && (until.map { day < $0 } ?? true)
    }

    static let keys: Set<String> = ["name", "domain", "duration", "purpose", "provider", "since", "until"]

    static func read(_ entries: [FieldReader], siteTitle: String, into reader: inout FieldReader) -> [CookieDeclaration] {
        var cookies: [CookieDeclaration] = []
        for var entry in entries {
            let name = entry.string("name", required: true)
            let duration = entry.string("duration", required: true)
            let purpose = entry.string("purpose", required: true)
            let provider = entry.string("provider") ?? siteTitle
            let domain = entry.string("domain")
            let since = entry.day("since"), until = entry.day("until")
            entry.warnAboutUnknownKeys(allowed: keys)
            if let name, name.contains(where: { $0 == ";" || $0 == "=" || $0 == "," || $0.isWhitespace }) {
                entry.error("name", "cookie name '\(name)' cannot hold spaces, ';', ',' or '='")
            }
            if let since, let until, until <= since {
                entry.error("until", "'until' (\(until)) must come after 'since' (\(since))")
            }
            reader.append(entry.diagnostics)
            if let name, let duration, let purpose {
                cookies.append(CookieDeclaration(name: name, domain: domain, duration: duration, purpose: purpose, provider: provider,
                                                 since: since, until: until, line: entry.blockLine))
            }
        }
        return cookies
    }
}

/// Every word of the banner and its settings, per locale, English by default: site.yaml's
/// `consent.text.<locale>` replaces any of them, and may give categories their own label and
/// description in that language.
public struct BannerText: Sendable, Equatable {
    /// `{name}` marks where the banner puts a value.
    public static let english: [String: String] = [
        "title": "Your privacy choices",
        "message": "We use cookies that are strictly necessary to run this site. With your consent we also use optional cookies for the purposes listed under “Choose”. You can change your choice at any time with “Cookie settings” at the bottom of every page.",
        "acceptAll": "Accept all",
        "rejectAll": "Reject all",
        "choose": "Choose",
        "save": "Save choices",
        "settings": "Cookie settings",
        "categoriesLegend": "Cookie categories",
        "alwaysOn": "Always on.",
        "offByGPC": "Off: your browser sends Global Privacy Control.",
        "changed": "Our {document} changed on {date}.",
        "readChanges": "Read what changed",
        "chooseAgain": ", then choose again.",
        "readOur": "Read our",
        "and": "and",
        "receipt": "Your last choice was recorded with receipt {receipt}.",
        "saving": "Saving your choice…",
        "saved": "Your choice is saved. Receipt {receipt}.",
        "savedLocally": "Your choice is saved in this browser; it will be recorded when the server can be reached ({reason}).",
        "dismiss": "Dismiss",
        "blocked": "{title} is not shown until you allow {category} cookies.",
        "allow": "Allow {category}",
        "cookiesUsed": "Cookies: {names}.",
        // Opt-out and notice regions, and the "Your Privacy Choices" page.
        "gpcHonoured": "Your browser sends Global Privacy Control: we have opted you out of the sale and sharing of your personal information and of targeted advertising.",
        "optOut": "Opt out of sale, sharing and targeted advertising",
        "noticeMessage": "This site uses cookies for the purposes our cookie policy describes.",
        "privacyChoices": "Your Privacy Choices",
    ]

    /// By locale (`de`, `fr-CA`), the words that replace the English ones.
    public var strings: [String: [String: String]]
    public struct CategoryText: Sendable, Equatable {
        public var label: String?
        public var description: String?
    }

    /// By locale and category id, the category's label and description in that language.
    public var categories: [String: [String: CategoryText]]

    public init(strings: [String: [String: String]] = [:], categories: [String: [String: CategoryText]] = [:]) {
        self.strings = strings
        self.categories = categories
    }

    /// Reads `consent.text`: a mapping of locales, each a mapping of the keys of ``english`` and `categories`.
    static func read(_ section: FieldReader, categoryIDs: Set<String>, into reader: inout FieldReader) -> BannerText {
        var text = BannerText()
        for locale in section.fields.keys.sorted() {
            guard var strings = section.nested(locale) else {
                reader.append([.error(section.path, line: section.fields[locale]?.line, "'text.\(locale)' must be a mapping of banner words, e.g. 'acceptAll: Alle akzeptieren'")])
                continue
            }
            if !LanguageTag.isValid(locale) {
                strings.error(nil, "'\(locale)' is not a language tag such as 'de' or 'fr-CA'")
            }
            var words: [String: String] = [:]
            for key in english.keys.sorted() { if let value = strings.string(key) { words[key] = value } }
            if var categories = strings.nested("categories") {
                var byID: [String: CategoryText] = [:]
                for id in categories.fields.keys.sorted() {
                    guard var entry = categories.nested(id) else { continue }
                    if !categoryIDs.contains(id) { entry.error(nil, "there is no category '\(id)' to translate") }
                    byID[id] = CategoryText(label: entry.string("label"), description: entry.string("description"))
                    entry.warnAboutUnknownKeys(allowed: ["label", "description"])
                    categories.append(entry.diagnostics)
                }
                text.categories[locale] = byID
                strings.append(categories.diagnostics)
            }
            strings.warnAboutUnknownKeys(allowed: Set(english.keys).union(["categories"]))
            reader.append(strings.diagnostics)
            text.strings[locale] = words
        }
        return text
    }
}
