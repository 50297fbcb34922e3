import Foundation

/// `manifest.json`: the one contract between `redline build` and everything that reads
/// the site (the consent server above all). A public format: fields are only ever added.
///
/// Dates are `YYYY-MM-DD` strings and URLs are absolute, built from the site's base URL.
public struct Manifest: Codable, Sendable, Equatable {
    public static let fileName = "manifest.json"
    public static let currentFormat = 1

    /// Format version of this file, raised only for changes a reader must know about.
    public var format: Int
    /// ISO 8601 UTC timestamp of the build (midnight of `buildDate` when the build was given `--now`).
    public var generatedAt: String
    /// The day the build treated as today: it decides what is current and what is upcoming.
    public var buildDate: Day
    public var site: Site
    public var documents: [Document]
    public var docs: [DocsVersion]
    /// What the cookie banner asks and the consent server accepts; absent in manifests
    /// written before the consent service existed.
    public var consent: Consent?
    /// Upcoming effective dates for which the build also wrote the site as it will be on that
    /// day, under `.redline/as-of/<day>/`: `redline serve` switches to it on the day, without a rebuild.
    public var asOf: [Day]?

    public static let asOfFolder = ".redline/as-of"

    public init(format: Int = Manifest.currentFormat, generatedAt: String, buildDate: Day, site: Site,
                documents: [Document], docs: [DocsVersion], consent: Consent? = nil) {
        self.format = format
        self.generatedAt = generatedAt
        self.buildDate = buildDate
        self.site = site
        self.documents = documents
        self.docs = docs
        self.consent = consent
    }

    public struct Site: Codable, Sendable, Equatable {
        public var title: String
        public var baseURL: String
        public var language: String
        /// How change notices are sent (site.yaml's `notices`); absent: approval by hand.
        public var notices: Notices?
        /// Origins site.yaml adds to the Content-Security-Policy, by directive; absent: none.
        public var contentSecurityPolicy: [String: [String]]?

        public init(title: String, baseURL: String, language: String, notices: Notices? = nil,
                    contentSecurityPolicy: [String: [String]]? = nil) {
            self.title = title
            self.baseURL = baseURL
            self.language = language
            self.notices = notices
            self.contentSecurityPolicy = contentSecurityPolicy
        }
    }

    /// Whether a new material version's campaign waits for an admin (`manual`, the default) or sends at once.
    public enum NoticeApproval: String, Codable, Sendable {
        case manual, automatic
    }

    /// Whether editorial versions are e-mailed: `none` (the default: the law asks only for material
    /// changes) or `optional`, a courtesy notice each reader can stop with one click (RFC 8058).
    public enum EditorialNotices: String, Codable, Sendable {
        case none, optional
    }

    /// Change-notice settings the server needs from site.yaml.
    public struct Notices: Codable, Sendable, Equatable {
        /// `manual` (the default): a campaign waits for an admin's approval; `automatic`: it sends at once.
        public var approval: NoticeApproval
        /// Where replies to a notice go.
        public var replyTo: String?
        /// A postal or contact line printed in every notice.
        public var contact: String?
        /// Days a material change must be announced before it takes effect (site.yaml `noticeDays`).
        public var periodDays: Int?
        /// Longer or shorter periods by region or group (`EEA: 15`); the longest that applies wins.
        public var periods: [String: Int]?
        /// Whether editorial versions get an optional notice; absent: none.
        public var editorial: EditorialNotices?

        public init(approval: NoticeApproval = .manual, replyTo: String? = nil, contact: String? = nil,
                    periodDays: Int? = nil, periods: [String: Int]? = nil, editorial: EditorialNotices? = nil) {
            self.approval = approval
            self.editorial = editorial
            self.replyTo = replyTo
            self.contact = contact
            self.periodDays = periodDays
            self.periods = periods
        }

        /// The period owed to a person whose region is unknown: every listed one may apply, so the longest.
        public var longestPeriodDays: Int { max(periodDays ?? 30, periods?.values.max() ?? 0) }

        public var automatic: Bool { approval == .automatic }
    }

    public struct Document: Codable, Sendable, Equatable {
        public var id: String
        public var title: String
        /// Always shows the version in force.
        public var url: String
        public var historyUrl: String
        /// Oldest first.
        public var versions: [Version]

        public init(id: String, title: String, url: String, historyUrl: String, versions: [Version]) {
            self.id = id
            self.title = title
            self.url = url
            self.historyUrl = historyUrl
            self.versions = versions
        }
    }

    public struct Version: Codable, Sendable, Equatable {
        public var effective: Day
        public var title: String
        public var material: Bool
        /// The editor's summary; null for editorial versions without one.
        public var summary: String?
        public var published: String?
        public var status: VersionStatus
        /// The version's permanent URL.
        public var url: String
        /// SHA-256 (hex) of the version's rendered HTML body: the exact text a reader was shown.
        public var sha256: String
        /// The change notice against the previous version; null for a document's first version.
        public var changesUrl: String?
        /// The sections this version changed; empty for a first version.
        public var changedSections: [ChangedSection]
        /// By locale, the version's translations: where each is and the SHA-256 of its text.
        public var translations: [String: Translation] = [:]

        public struct Translation: Codable, Sendable, Equatable {
            public var title: String
            public var url: String
            public var sha256: String
            /// The translation's own summary of the change, when it has one.
            public var summary: String?
            /// Its change notice against the language's previous translation, when there is one.
            public var changesUrl: String?

            public init(title: String, url: String, sha256: String, summary: String? = nil, changesUrl: String? = nil) {
                self.title = title
                self.url = url
                self.sha256 = sha256
                self.summary = summary
                self.changesUrl = changesUrl
            }
        }

        /// The translation for a reader of `locale`: the same tag, else the same language (`de` for `de-AT`).
        public func translation(for locale: String) -> Translation? {
            LanguageTag.bestMatch(for: locale, among: translations.keys).flatMap { translations[$0] }
        }

        public init(effective: Day, title: String, material: Bool, summary: String?, published: String?,
                    status: VersionStatus, url: String, sha256: String, changesUrl: String? = nil, changedSections: [ChangedSection] = []) {
            self.effective = effective
            self.title = title
            self.material = material
            self.summary = summary
            self.published = published
            self.status = status
            self.url = url
            self.sha256 = sha256
            self.changesUrl = changesUrl
            self.changedSections = changedSections
        }

        enum CodingKeys: String, CodingKey {
            case effective, title, material, summary, published, status, url, sha256, changesUrl, changedSections, translations
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            effective = try container.decode(Day.self, forKey: .effective)
            title = try container.decode(String.self, forKey: .title)
            material = try container.decode(Bool.self, forKey: .material)
            summary = try container.decodeIfPresent(String.self, forKey: .summary)
            published = try container.decodeIfPresent(String.self, forKey: .published)
            status = try container.decode(VersionStatus.self, forKey: .status)
            url = try container.decode(String.self, forKey: .url)
            sha256 = try container.decode(String.self, forKey: .sha256)
            changesUrl = try container.decodeIfPresent(String.self, forKey: .changesUrl)
            changedSections = try container.decodeIfPresent([ChangedSection].self, forKey: .changedSections) ?? []
            translations = try container.decodeIfPresent([String: Translation].self, forKey: .translations) ?? [:]
        }

        // Optional fields are written as null rather than left out, so every key is always there.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(effective, forKey: .effective)
            try container.encode(title, forKey: .title)
            try container.encode(material, forKey: .material)
            try container.encode(summary, forKey: .summary)
            try container.encode(published, forKey: .published)
            try container.encode(status, forKey: .status)
            try container.encode(url, forKey: .url)
            try container.encode(sha256, forKey: .sha256)
            try container.encode(changesUrl, forKey: .changesUrl)
            try container.encode(changedSections, forKey: .changedSections)
            // Only when there are some: a site without translations keeps its manifest as it was.
            if !translations.isEmpty { try container.encode(translations, forKey: .translations) }
        }
    }

    /// A section a version changed, with a link into its change notice.
    public struct ChangedSection: Codable, Sendable, Equatable {
        public var heading: String
        public var previousHeading: String?
        public var status: SectionStatus
        public var inserted: Int
        public var deleted: Int
        public var url: String

        public init(heading: String, previousHeading: String?, status: SectionStatus, inserted: Int, deleted: Int, url: String) {
            self.heading = heading
            self.previousHeading = previousHeading
            self.status = status
            self.inserted = inserted
            self.deleted = deleted
            self.url = url
        }

        enum CodingKeys: String, CodingKey {
            case heading, previousHeading, status, inserted, deleted, url
        }

        /// The summary without its link: `redline diff --format json` writes these fields for a
        /// section of two files, which has no page to link to.
        public func encodeSummary(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(heading, forKey: .heading)
            try container.encodeIfPresent(previousHeading, forKey: .previousHeading)
            try container.encode(status, forKey: .status)
            try container.encode(inserted, forKey: .inserted)
            try container.encode(deleted, forKey: .deleted)
        }

        public func encode(to encoder: any Encoder) throws {
            try encodeSummary(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(url, forKey: .url)
        }
    }

    public struct DocsVersion: Codable, Sendable, Equatable {
        public var version: String
        public var latest: Bool
        public var url: String
        public var pages: [DocsPage]
        /// Published ahead of its release (site.yaml `docs.prerelease`); absent otherwise.
        public var prerelease: Bool?

        public init(version: String, latest: Bool, url: String, pages: [DocsPage], prerelease: Bool? = nil) {
            self.version = version
            self.latest = latest
            self.url = url
            self.pages = pages
            self.prerelease = prerelease
        }
    }

    public struct DocsPage: Codable, Sendable, Equatable {
        public var path: String
        public var title: String
        public var url: String
        public var deprecated: Bool
        public var sha256: String

        public init(path: String, title: String, url: String, deprecated: Bool, sha256: String) {
            self.path = path
            self.title = title
            self.url = url
            self.deprecated = deprecated
            self.sha256 = sha256
        }
    }
}

extension Manifest {
    public struct Consent: Codable, Sendable, Equatable {
        /// The banner text shown to readers, identified by the hash of its words.
        public var notice: Notice
        public var categories: [Category]
        /// Documents whose material versions require asking again.
        public var documents: [String]
        /// Origins allowed to call the consent API from a browser, besides the site's own.
        public var allowedOrigins: [String]
        /// Consent expires after this many days even without a change.
        public var maxAgeDays: Int
        /// The banner's configuration file.
        public var configUrl: String
        /// The mode of consent by the visitor's region; absent when site.yaml sets none, and then
        /// every visitor is asked (opt-in), as before regions existed.
        public var regions: RegionRules?
        /// Origins the site loads from before any choice, by design: Google's tag in Consent Mode's
        /// advanced mode (its pings are cookieless until an update). `redline scan` allows them.
        public var loadsBeforeConsent: [String]?

        public init(notice: Notice, categories: [Category], documents: [String], allowedOrigins: [String], maxAgeDays: Int, configUrl: String,
                    regions: RegionRules? = nil, loadsBeforeConsent: [String]? = nil) {
            self.regions = regions
            self.loadsBeforeConsent = loadsBeforeConsent
            self.notice = notice
            self.categories = categories
            self.documents = documents
            self.allowedOrigins = allowedOrigins
            self.maxAgeDays = maxAgeDays
            self.configUrl = configUrl
        }
    }

    public struct Notice: Codable, Sendable, Equatable {
        /// First 16 hex digits of the SHA-256 of the banner's title, message and category texts.
        public var version: String
        public var locale: String
        /// Every language the banner can be shown in; absent in manifests written before it was
        /// listed, where any language tag is taken.
        public var locales: [String]?

        public init(version: String, locale: String, locales: [String]? = nil) {
            self.version = version
            self.locale = locale
            self.locales = locales
        }

        /// Whether a reader can have been shown this banner in `locale`.
        public func isShown(in locale: String) -> Bool {
            guard let locales else { return true }
            return locales.contains { $0.lowercased() == locale.lowercased() }
        }
    }

    public struct Category: Codable, Sendable, Equatable {
        public var id: String
        public var label: String
        public var required: Bool
        /// Denied without asking under Global Privacy Control.
        public var gpc: Bool

        public init(id: String, label: String, required: Bool, gpc: Bool) {
            self.id = id
            self.label = label
            self.required = required
            self.gpc = gpc
        }
    }
}

extension Manifest {
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    public static func decode(_ data: Data) throws -> Manifest {
        try JSONDecoder().decode(Manifest.self, from: data)
    }

    public func document(_ id: String) -> Document? {
        documents.first { $0.id == id }
    }
}
