@_exported import enum RedlineManifest.VersionStatus
@_exported import struct RedlineManifest.Day
@_exported import struct RedlineManifest.PolicyTimeline
@_exported import enum RedlineManifest.Hex
@_exported import enum RedlineManifest.LanguageTag

/// One version of a policy: one file, `policies/<id>/<effective>.md`.
public struct PolicyVersion: Sendable {
    public let documentID: String
    public let effective: Day
    public let title: String
    /// Decided by the editor: a material change must be announced and may need new consent.
    public let material: Bool
    public let summary: String?
    public let published: Day?
    public let source: SourceFile
    /// Line of each front matter key, for checks that run after loading.
    public let fieldLines: [String: Int]
    /// `draft: true`: a version still being written.
    public let draft: Bool

    public init(documentID: String, effective: Day, title: String, material: Bool, summary: String?,
                published: Day?, source: SourceFile, fieldLines: [String: Int] = [:], draft: Bool = false) {
        self.draft = draft
        self.documentID = documentID
        self.effective = effective
        self.title = title
        self.material = material
        self.summary = summary
        self.published = published
        self.source = source
        self.fieldLines = fieldLines
    }

    static let frontMatterKeys: Set<String> = ["title", "effective", "material", "summary", "published", "draft"]
}

/// A version's text in another language: `<date>.<locale>.md` beside `<date>.md`. The
/// version's own file (the site's `language`) stays the one that decides status and dates.
public struct PolicyTranslation: Sendable {
    public let documentID: String
    /// `de`, `fr-CA`.
    public let locale: String
    /// The version it translates.
    public let effective: Day
    public let title: String
    public let summary: String?
    public let source: SourceFile

    public init(documentID: String, locale: String, effective: Day, title: String, summary: String?, source: SourceFile) {
        self.documentID = documentID
        self.locale = locale
        self.effective = effective
        self.title = title
        self.summary = summary
        self.source = source
    }

    static let frontMatterKeys: Set<String> = ["title", "effective", "summary"]
}

/// A policy and all its versions, oldest first.
public struct PolicyDocument: Sendable {
    public let id: String
    /// Published versions, oldest first: everything readers, feeds, the manifest and the
    /// server see. Drafts are apart, so no draft can ever be in force or announced.
    public let versions: [PolicyVersion]
    /// Versions marked `draft: true`, oldest first; empty unless the build includes drafts.
    public let drafts: [PolicyVersion]
    /// Files beside the versions (images, PDFs), relative to the policy's folder; published under its URL.
    public let assets: [String]
    /// The policy's folder on disk, where `assets` are.
    public let directory: String
    /// Translations of published versions, by locale then effective date.
    public let translations: [PolicyTranslation]

    /// Names in a policy's URL that its own pages use, so no file beside the versions may take them.
    public static let reservedNames: Set<String> = ["versions", "changes", "feed.xml", "index.html"]

    /// The published versions on the calendar: the one place that decides status, re-consent and notices.
    public let timeline: PolicyTimeline

    public init(id: String, versions: [PolicyVersion], assets: [String] = [], directory: String = "", translations: [PolicyTranslation] = []) {
        self.id = id
        let sorted = versions.sorted { $0.effective < $1.effective }
        self.versions = sorted.filter { !$0.draft }
        timeline = PolicyTimeline(self.versions.map { .init(effective: $0.effective, material: $0.material) })
        drafts = sorted.filter(\.draft)
        self.assets = assets.sorted()
        self.directory = directory
        // A draft's translation is as unpublished as the draft.
        let published = Set(self.versions.map(\.effective))
        self.translations = translations.filter { published.contains($0.effective) }
            .sorted { ($0.locale, $0.effective) < ($1.locale, $1.effective) }
    }

    /// The locales some version is translated into, sorted.
    public var locales: [String] { Array(Set(translations.map(\.locale))).sorted() }

    /// The translations into `locale`, oldest first.
    public func translations(in locale: String) -> [PolicyTranslation] {
        translations.filter { $0.locale == locale }
    }

    public func translation(of version: PolicyVersion, in locale: String) -> PolicyTranslation? {
        translations.first { $0.locale == locale && $0.effective == version.effective }
    }

    /// What readers of `locale` see at `/<locale>/<id>/`: the translation of the featured version,
    /// else the newest translation before it (stale), else the first one.
    public func featuredTranslation(in locale: String, on day: Day) -> PolicyTranslation? {
        let all = translations(in: locale)
        guard let featured = featured(on: day) else { return all.last }
        return all.last { $0.effective <= featured.effective } ?? all.first
    }

    /// The version in force on `day`, if any has taken effect yet.
    public func current(on day: Day) -> PolicyVersion? {
        timeline.current(on: day).flatMap(published)
    }

    /// The version readers see at the document's own URL: the current one, or, before
    /// any has taken effect, the first upcoming one; in a preview of a policy that has only
    /// drafts, its latest draft.
    public func featured(on day: Day) -> PolicyVersion? {
        current(on: day) ?? versions.first ?? drafts.last
    }

    /// The version's state on `day`, by the one rule the server and the banner share.
    public func status(of version: PolicyVersion, on day: Day) -> VersionStatus {
        timeline.status(of: version.effective, draft: version.draft, on: day)
    }

    /// Whether the version is a change readers are told of and asked about again.
    public func isAnnounced(_ version: PolicyVersion) -> Bool {
        timeline.isAnnounced(version.effective)
    }

    /// The next version to take effect after `day`.
    public func nextUpcoming(after day: Day) -> PolicyVersion? {
        timeline.next(after: day).flatMap(published)
    }

    public func previous(of version: PolicyVersion) -> PolicyVersion? {
        timeline.previous(before: version.effective).flatMap(published)
    }

    public func next(of version: PolicyVersion) -> PolicyVersion? {
        timeline.next(after: version.effective).flatMap(published)
    }

    private func published(_ entry: PolicyTimeline.Entry) -> PolicyVersion? {
        versions.first { $0.effective == entry.effective }
    }

    /// The same document without its drafts: what a published build shows.
    public var withoutDrafts: PolicyDocument {
        PolicyDocument(id: id, versions: versions, assets: assets, directory: directory, translations: translations)
    }

    /// The title of the featured version: a policy may be renamed between versions.
    public func title(on day: Day) -> String {
        featured(on: day)?.title ?? id
    }
}

/// A content file: where it is on disk and how to name it to a person.
public struct SourceFile: Sendable, Hashable {
    /// The path as it should appear in messages, e.g. `content/policies/privacy/2026-04-17.md`.
    public let displayPath: String
    /// Absolute path on disk.
    public let absolutePath: String
    /// SHA-256 of the bytes the loader read, in hex: what an incremental build compares to know
    /// whether a page must be rendered again. Empty until the file was read.
    public var digest = ""

    public init(displayPath: String, absolutePath: String) {
        self.displayPath = displayPath
        self.absolutePath = absolutePath
    }
}
