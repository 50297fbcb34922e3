import Foundation
import RedlineContent
import RedlineDiff
import RedlineManifest
import RedlineMarkdown
import RedlineOutput

/// One page's language: its chrome's words (site.yaml `text.<locale>` over English) and its dates.
/// Every page renderer takes its words from here, so a translated page cannot fall back to English
/// in one label while the rest is in its reader's language.
struct PageWords {
    /// The page's `lang`.
    let locale: String
    let words: [String: String]

    /// The words of `locale`'s pages; nil: the site's own language.
    init(site: SiteConfig, locale: String? = nil) {
        self.locale = locale ?? site.language
        words = site.text.words(for: self.locale)
    }

    subscript(key: String) -> String { words[key] ?? PageText.english[key] ?? key }

    /// `key`'s words with each `{name}` replaced by its value.
    func format(_ key: String, _ values: [String: String]) -> String {
        var text = self[key]
        for (name, value) in values { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        return text
    }

    /// The templates' `t`: the words without placeholders, empty ones left out so that
    /// `{{#t.key}}` can skip the space before a part a language leaves empty.
    var templateContext: [String: String] {
        words.filter { !$0.value.isEmpty && !$0.value.contains("{") }
    }

    func longDate(_ day: Day) -> String { DateText.long(day, language: locale) }

    /// Another language's name in this one: "Englisch" on a German page, "anglais" on a French one.
    func languageName(_ tag: String) -> String {
        let language = String(tag.split(separator: "-").first ?? Substring(tag))
        return Locale(identifier: locale).localizedString(forLanguageCode: language) ?? TranslationLinks.name(of: tag)
    }

    /// What a version's links and headings say of it, added to its description for the templates.
    func versionLabels(_ day: Day) -> VersionLabels {
        let date = ["date": longDate(day)]
        return VersionLabels(previousLabel: format("previousVersion", date), nextLabel: format("nextVersion", date),
                             thisLabel: format("thisVersion", date), theVersionEffective: format("theVersionEffective", date),
                             versionEffective: format("versionEffective", date), comparedWith: format("comparedWith", date))
    }

    func statusLabel(_ status: VersionStatus) -> String {
        switch status {
        case .current: return self["statusCurrent"]
        case .archived: return self["statusArchived"]
        case .upcoming: return self["statusUpcoming"]
        case .draft: return self["statusDraft"]
        }
    }

    func kind(material: Bool) -> String { self[material ? "materialChange" : "editorialChange"] }

    /// The heading of a section that has none (the text before the first heading).
    func heading(of change: SectionChange) -> String { change.heading.isEmpty ? self["introduction"] : change.heading }

    /// "3 words added, 1 word removed", as ``SectionNote/wordSummary(inserted:deleted:)`` says it in English.
    func wordSummary(inserted: Int, deleted: Int) -> String {
        func words(_ n: Int) -> String { format(n == 1 ? "oneWord" : "manyWords", ["n": String(n)]) }
        switch (inserted, deleted) {
        case (0, 0): return self["formattingOnly"]
        case (_, 0): return format("wordsAdded", ["words": words(inserted)])
        case (0, _): return format("wordsRemoved", ["words": words(deleted)])
        default: return format("wordsAddedAndRemoved", ["added": format("wordsAdded", ["words": words(inserted)]),
                                                        "removed": format("wordsRemoved", ["words": words(deleted)])])
        }
    }

    /// What happened to a section, as ``SectionNote/text(for:)`` says it in English.
    func note(for change: SectionChange) -> String? {
        let changedWords = change.inserted + change.deleted > 0
        func withWords(_ note: String) -> String {
            changedWords ? format("sectionAndWords", ["note": note, "words": wordSummary(inserted: change.inserted, deleted: change.deleted)]) : note
        }
        switch change.status {
        case .unchanged: return nil
        case .added: return self["sectionAdded"]
        case .removed: return self["sectionRemoved"]
        case .modified:
            return changedWords ? format("sectionChanged", ["words": wordSummary(inserted: change.inserted, deleted: change.deleted)])
                                : self["sectionFormatting"]
        case .renamed: return withWords(format("sectionRenamed", ["heading": change.previousHeading ?? ""]))
        case .moved: return changedWords ? withWords(self["sectionMoved"]) : self["sectionMovedUnchanged"]
        case .split:
            return withWords(change.previousHeading.map { format("sectionSplitFrom", ["heading": $0]) } ?? self["sectionSplit"])
        case .merged: return withWords(self["sectionMerged"])
        }
    }

    /// The redline's sections with their notes in this language: RedlineHTML writes them in English.
    func localizedRedline(_ html: RedlineHTML) -> String {
        html.sections.map { section in
            guard let english = SectionNote.text(for: section.change), let own = note(for: section.change), own != english else { return section.html }
            let written = "<span class=\"status-label\">\(english.htmlEscaped)</span>"
            guard let range = section.html.range(of: written) else { return section.html }
            return section.html.replacingCharacters(in: range, with: "<span class=\"status-label\">\(own.htmlEscaped)</span>")
        }.joined(separator: "\n")
    }
}
