/// Every word of the pages' own chrome (headings, labels, navigation, the notices' sentences), per
/// locale, English by default: site.yaml's `text.<locale>` replaces any of them, as
/// `consent.text.<locale>` does for the banner. A translated page reads its language's words, so a
/// German notice is German from the skip link to the footer, not German text in English chrome.
public struct PageText: Sendable, Equatable {
    /// The English words, exactly as the pages of a site without `text` have always shown them.
    /// `{name}` marks where the build puts a value; sentences with links are cut where the links go
    /// (the templates hold the markup), so a part may be empty in a language that needs no word there.
    public static let english: [String: String] = [
        // Layout: every page.
        "skipToContent": "Skip to content",
        "siteNavigation": "Site",
        "searchLabel": "Search policies and docs",
        "searchPlaceholder": "Search",
        "searchButton": "Search",
        "policiesNavigation": "Policies",
        "cookieSettings": "Cookie settings",
        "privacyChoices": "Your Privacy Choices",
        // The "Your Privacy Choices" page; the banner script fills in the choices.
        "choicesIntro": "Here you can opt out of the sale and sharing of your personal information and of targeted advertising, and choose which optional cookies this site may use.",
        "choicesNoScript": "Choosing needs JavaScript. Your browser can also send Global Privacy Control, which this site honours as an opt-out.",
        "builtFor": "Policies as in force on",
        "builtForEnd": "",
        "onThisPage": "On this page",
        "apiDocs": "API docs",
        // A page's Markdown twin (partials/page-actions): the link, the button and what the script says.
        "markdownLink": "Markdown",
        "copyPage": "Copy page",
        "pageCopied": "Copied as Markdown.",
        "copyPageSelected": "Your browser did not let the page copy itself: the Markdown is selected below; copy it with Ctrl+C (⌘C on a Mac).",
        "copyPageFailed": "The Markdown could not be loaded; open it with the Markdown link.",
        "draftMark": "DRAFT",
        "draftNotice": "— not published. This page exists only in a preview build; readers, feeds, search and notices never see it.",
        // A version's facts (partials/version-meta).
        "effective": "Effective",
        "published": "Published",
        "status": "Status",
        "change": "Change",
        "firstVersion": "First version",
        "materialChange": "Material change",
        "editorialChange": "Editorial change",
        "statusCurrent": "In force",
        "statusArchived": "Archived",
        "statusUpcoming": "Upcoming",
        "statusDraft": "Draft",
        // A policy version's page.
        "feedTitle": "{title} versions",
        "publishedAt": "This version is published at",
        "languages": "Languages",
        "translation": "Translation.",
        "bindingText": "The {language} text is the one that is legally binding:",
        "readIt": "read it",
        "staleTitle": "The binding text has a newer version",
        "staleEffective": ", effective {date}, that is not translated yet:",
        "readNewer": "read the newer version",
        "upcomingTitle": "Upcoming version.",
        "takesEffectOn": "This version takes effect on",
        "untilThen": "Until then,",
        "theVersionEffective": "the version effective {date}",
        "applies": "applies",
        "archivedTitle": "This version is no longer in force.",
        "appliedFrom": "It applied from",
        "until": "until",
        "readInForce": "Read the version in force",
        "changingTitle": "This policy is changing.",
        "newVersionOn": "A new version takes effect on",
        "readNewVersion": "Read the new version",
        "summaryOfChanges": "Summary of changes:",
        "seeWhatChanged": "See exactly what changed in this version",
        "comparedWith": ", compared with the version effective {date}",
        "otherVersions": "Other versions",
        "previousVersion": "Previous version: {date}",
        "nextVersion": "Next version: {date}",
        "upcomingMark": "(upcoming)",
        "allVersions": "All versions",
        "permanentLink": "Permanent link to this version",
        "atomFeed": "Atom feed",
        // A change notice.
        "changeNotice": "Change notice",
        "changesTitle": "Changes to the {title}, {date}",
        "changesDescription": "What changed in the {title} effective {date}.",
        "noticeCompares": "This notice compares the",
        "titleEffective": "{title} effective {date}",
        "noticeWith": "with the",
        "versionEffective": "version effective {date}",
        "notYetInForce": "Not yet in force.",
        "changesTakeEffect": "These changes take effect on",
        "untilThenThe": "Until then the",
        "currentVersion": "current version",
        "currentVersionApplies": "applies",
        "sectionsChanged": "Sections changed",
        "inTotal": "{words} in total.",
        "readInNewVersion": "read it in the new version",
        "layoutOnly": "Only the layout changed; no words were added or removed.",
        "fullText": "Full text with changes marked",
        "howToRead": "How to read this:",
        "insertedText": "inserted text is underlined",
        "and": "and",
        "deletedText": "deleted text is struck through",
        "legendEnd": "Each changed section says what happened to it. Screen readers announce the start and end of each insertion and deletion.",
        "coarse": "Some passages changed so much that they are shown as whole blocks removed and added.",
        "versions": "Versions",
        "thisVersion": "This version: {date}",
        "introduction": "Introduction",
        // What happened to a section, and how many words changed.
        "oneWord": "{n} word",
        "manyWords": "{n} words",
        "wordsAdded": "{words} added",
        "wordsRemoved": "{words} removed",
        "wordsAddedAndRemoved": "{added}, {removed}",
        "formattingOnly": "formatting only",
        "sectionAdded": "Added section",
        "sectionRemoved": "Removed section",
        "sectionFormatting": "Formatting changed; no words changed",
        "sectionChanged": "Changed: {words}",
        "sectionRenamed": "Renamed from “{heading}”",
        "sectionMoved": "Moved",
        "sectionMovedUnchanged": "Moved without changes",
        "sectionSplit": "Split out",
        "sectionSplitFrom": "Split out from “{heading}”",
        "sectionMerged": "Merged from several sections",
        "sectionAndWords": "{note}; {words}",
        // A language's search page.
        "search": "Search",
        "searchFormLabel": "Search the policies in force and the latest API documentation",
        "searchHelp": "Results appear as you type. Without JavaScript, use the list of all pages below.",
        "allPages": "All {count} pages",
        "policiesHeading": "Policies",
    ]

    /// By locale (`de`, `fr-CA`), the words that replace the English ones.
    public var strings: [String: [String: String]]

    public init(strings: [String: [String: String]] = [:]) {
        self.strings = strings
    }

    /// The words for `locale`: English, then its language's (`de` for `de-AT`), then its own.
    public func words(for locale: String) -> [String: String] {
        let language = String(locale.split(separator: "-").first ?? Substring(locale))
        var words = Self.english.merging(strings[language] ?? [:]) { $1 }
        if locale != language { words.merge(strings[locale] ?? [:]) { $1 } }
        return words
    }

    /// Whether site.yaml gives any words for `locale` or its language.
    public func has(_ locale: String) -> Bool {
        let language = String(locale.split(separator: "-").first ?? Substring(locale))
        return strings[locale] != nil || strings[language] != nil
    }

    /// Reads `text`: a mapping of locales, each a mapping of the keys of ``english``.
    static func read(from reader: inout FieldReader) -> PageText {
        var text = PageText()
        guard reader.fields["text"] != nil else { return text }
        guard let section = reader.nested("text") else {
            reader.error("text", "'text' must map languages to the pages' words, e.g. 'de:' then '  effective: Gültig ab'")
            return text
        }
        for locale in section.fields.keys.sorted() {
            guard var entries = section.nested(locale) else {
                reader.append([.error(section.path, line: section.fields[locale]?.line, "'text.\(locale)' must be a mapping of words, e.g. 'effective: Gültig ab'")])
                continue
            }
            if !LanguageTag.isValid(locale) {
                entries.error(nil, "'\(locale)' is not a language tag such as 'de' or 'fr-CA'")
            }
            var words: [String: String] = [:]
            for key in english.keys.sorted() {
                guard let field = entries.fields[key] else { continue }
                // An empty part ('' or nothing) is allowed: a language may need no word where English has one.
                guard let scalar = field.node.scalar else {
                    entries.error(key, "'\(key)' must be text, not a list or a mapping")
                    continue
                }
                words[key] = FieldReader.isNull(field.node) ? "" : scalar.string.trimmingSpaces()
            }
            entries.warnAboutUnknownKeys(allowed: Set(english.keys))
            reader.append(entries.diagnostics)
            text.strings[locale] = words
        }
        return text
    }
}
