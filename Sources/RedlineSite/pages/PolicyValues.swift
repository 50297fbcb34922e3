import RedlineContent

/// How a page names a version of its day: "the version of 1 June 2026" and the like, in its language.
struct VersionLabels: FlattenedInTemplates {
    let previousLabel, nextLabel, thisLabel, theVersionEffective, versionEffective, comparedWith: String
}

/// A policy version as the templates show it (`version`, `current`, `previous`, `next`, `upcoming`,
/// a history row). A translation's neighbours carry only their link, date and labels: the
/// fields they leave nil are looked up further out, as a template expects.
struct VersionValues {
    var title: String? = nil
    var effectiveDate: String? = nil
    let effectiveText: String
    var material: Bool? = nil
    var kind: String? = nil
    var status: String? = nil
    var statusLabel: String? = nil
    var isCurrent: Bool? = nil
    var isArchived: Bool? = nil
    var isUpcoming: Bool? = nil
    var isDraft: Bool? = nil
    var url: String
    var isFirst: Bool? = nil
    let labels: VersionLabels
    var changesURL: String? = nil
    var summary: String? = nil
    var publishedDate: String? = nil
    var publishedText: String? = nil
    /// A history row's anchor.
    var anchor: String? = nil
}

/// A policy's own links, for the feed link in the head and the links under the text.
struct DocumentLinks {
    let id: String
    var title: String? = nil
    let url: String
    var historyURL: String? = nil
    let feedURL: String
}

/// One language a version is in, for the switcher.
struct LanguageLink {
    let locale, name, url: String
    let current: Bool
}

/// `<link rel="alternate" hreflang>`.
struct AlternateLink {
    let hreflang, url: String
}

/// Which text binds, with a link; `stale` when the binding text moved on and this language did not follow.
struct BindingNotice {
    struct Stale {
        let effectiveText, url, text: String
    }

    let bindingName, bindingLocale, bindingText, bindingURL: String
    var stale: Stale? = nil
}

/// What `policy.mustache` shows besides the chrome.
struct PolicyPageValues {
    var feedTitle: String
    let body: String
    let codeTabsScript: String?
    let draft: Bool?
    var document: DocumentLinks
    var version: VersionValues
    var languages: [LanguageLink]
    var hasLanguages: Bool
    var translation: BindingNotice?
    var alternates: [AlternateLink]
    let atPolicyURL: Bool
    var permanentURL: String
    var permanentAbsoluteURL: String
    var current: VersionValues? = nil
    var previous: VersionValues? = nil
    var next: VersionValues? = nil
    var upcoming: VersionValues? = nil
    var inForceUntil: String? = nil
}
