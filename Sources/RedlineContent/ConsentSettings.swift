import RedlineManifest

/// The `consent:` section of site.yaml: what the cookie banner asks and what the consent
/// server accepts. Every field has a default, so a site without the section still gets a
/// banner with the three usual categories.
public struct ConsentSettings: Sendable, Equatable {
    public struct Category: Sendable, Equatable {
        /// Lower-case slug sent to the API, e.g. `analytics`.
        public var id: String
        public var label: String
        public var description: String
        /// Always granted and cannot be switched off (strictly necessary cookies).
        public var required: Bool
        /// Denied without asking when the browser sends Global Privacy Control.
        public var gpc: Bool
        /// The cookies it sets, which the banner lists and deletes when the category is refused.
        public var cookies: [CookieDeclaration]

        public init(id: String, label: String, description: String, required: Bool = false, gpc: Bool = false,
                    cookies: [CookieDeclaration] = []) {
            self.id = id
            self.label = label
            self.description = description
            self.required = required
            self.gpc = gpc
            self.cookies = cookies
        }
    }

    public var categories: [Category]
    /// Documents whose material versions ask readers again; nil means every policy.
    public var documents: [String]?
    /// Line of `documents:` in site.yaml, to report an unknown document id where it was written.
    public var documentsLine: Int
    /// Origins (`https://app.example`) whose pages may call the consent API from a browser.
    public var allowedOrigins: [String]
    /// Ask again after this many days even without a change (CNIL suggests 13 months).
    public var maxAgeDays: Int
    public var bannerTitle: String
    public var bannerMessage: String
    /// The banner's words in other languages (`consent.text.<locale>`).
    public var text = BannerText()
    /// The mode of consent by the visitor's region; nil asks everyone (opt-in).
    public var regions: RegionRules?
    /// Google Consent Mode v2; nil when the site does not use Google's tags.
    public var googleConsentMode: GoogleConsentMode?

    public static let standardCategories: [Category] = [
        Category(id: "necessary", label: "Strictly necessary",
                 description: "Keep you signed in, remember this choice and protect the site. They cannot be switched off.",
                 required: true),
        Category(id: "analytics", label: "Analytics",
                 description: "Count visits and measure which pages help, so we can improve them."),
        Category(id: "marketing", label: "Marketing",
                 description: "Measure campaigns and show relevant offers on other sites.", gpc: true),
    ]

    public init(categories: [Category] = ConsentSettings.standardCategories, documents: [String]? = nil, documentsLine: Int = 1,
                allowedOrigins: [String] = [], maxAgeDays: Int = 395,
                bannerTitle: String = "Your privacy choices",
                bannerMessage: String = "We use cookies that are strictly necessary to run this site. With your consent we also use optional cookies for the purposes listed under “Choose”. You can change your choice at any time with “Cookie settings” at the bottom of every page.") {
        self.categories = categories
        self.documents = documents
        self.documentsLine = documentsLine
        self.allowedOrigins = allowedOrigins
        self.maxAgeDays = maxAgeDays
        self.bannerTitle = bannerTitle
        self.bannerMessage = bannerMessage
    }

    static let knownKeys: Set<String> = ["categories", "documents", "allowedOrigins", "maxAgeDays", "banner", "text",
                                         "regions", "regionHeader", "googleConsentMode"]

    /// Reads the section, adding every problem to `reader`'s diagnostics.
    static func read(from reader: inout FieldReader, siteTitle: String = "") -> ConsentSettings {
        var settings = ConsentSettings()
        guard reader.fields["consent"] != nil else { return settings }
        guard var section = reader.nested("consent") else {
            reader.error("consent", "'consent' must be a mapping, for example 'consent:' then '  maxAgeDays: 395'")
            return settings
        }
        if let documents = section.stringList("documents") {
            settings.documents = documents
            settings.documentsLine = section.line(of: "documents")
        }
        if let origins = section.stringList("allowedOrigins") {
            for origin in origins where !isOrigin(origin) {
                section.error("allowedOrigins", "'\(origin)' is not an origin: write scheme and host only, e.g. 'https://app.example.com'")
            }
            settings.allowedOrigins = origins.filter(isOrigin).map { $0.lowercased() }
        }
        settings.maxAgeDays = section.int("maxAgeDays", range: 1...3650) ?? settings.maxAgeDays
        if section.fields["banner"] != nil {
            if var banner = section.nested("banner") {
                settings.bannerTitle = banner.string("title") ?? settings.bannerTitle
                settings.bannerMessage = banner.string("message") ?? settings.bannerMessage
                banner.warnAboutUnknownKeys(allowed: ["title", "message"])
                section.append(banner.diagnostics)
            } else {
                section.error("banner", "'banner' must be a mapping with 'title' and 'message'")
            }
        }
        if let entries = section.mappingList("categories") {
            settings.categories = readCategories(entries, siteTitle: siteTitle, into: &section)
        }
        if section.fields["text"] != nil {
            if let text = section.nested("text") {
                settings.text = BannerText.read(text, categoryIDs: Set(settings.categories.map(\.id)), into: &section)
            } else {
                section.error("text", "'text' must map languages to the banner's words, e.g. 'de:' then '  acceptAll: Alle akzeptieren'")
            }
        }
        settings.regions = RegionSettings.read(&section)
        settings.googleConsentMode = GoogleConsentMode.read(&section, categories: settings.categories)
        section.warnAboutUnknownKeys(allowed: knownKeys)
        reader.append(section.diagnostics)
        return settings
    }

    private static func readCategories(_ entries: [FieldReader], siteTitle: String, into section: inout FieldReader) -> [Category] {
        var categories: [Category] = []
        var seen: Set<String> = []
        for var entry in entries {
            let id = entry.string("id", required: true)
            let label = entry.string("label", required: true)
            let description = entry.string("description") ?? ""
            let required = entry.bool("required") ?? false
            let gpc = entry.bool("gpc") ?? false
            let cookies = entry.mappingList("cookies").map { CookieDeclaration.read($0, siteTitle: siteTitle, into: &entry) } ?? []
            entry.warnAboutUnknownKeys(allowed: ["id", "label", "description", "required", "gpc", "cookies"])
            if let id {
                if !isSlug(id) {
                    entry.error("id", "category id '\(id)' must use lower-case letters, digits and '-' only")
                } else if !seen.insert(id).inserted {
                    entry.error("id", "category '\(id)' is listed twice")
                }
            }
            if required && gpc {
                entry.error("gpc", "a required category cannot be denied by Global Privacy Control")
            }
            section.append(entry.diagnostics)
            if let id, let label {
                categories.append(Category(id: id, label: label, description: description, required: required, gpc: gpc, cookies: cookies))
            }
        }
        if categories.isEmpty {
            section.error("categories", "'categories' must list at least one category")
        } else if !categories.contains(where: \.required) {
            section.error("categories", "one category must be 'required: true' (strictly necessary cookies cannot be refused)")
        }
        return categories
    }

    static func isSlug(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// `scheme://host[:port]` with nothing after it: what a browser sends in `Origin`.
    static func isOrigin(_ text: String) -> Bool {
        let lower = text.lowercased()
        guard let schemeEnd = lower.range(of: "://"), ["http", "https"].contains(lower[..<schemeEnd.lowerBound]) else { return false }
        let rest = lower[schemeEnd.upperBound...]
        return !rest.isEmpty && !rest.contains("/") && !rest.contains(" ") && !rest.contains("?") && !rest.contains("#")
    }
}
