import Foundation
import RedlineContent
import RedlineDiff
import RedlineMarkdown

/// `<doc-id>/changes/<date>/`: what changed in a version, in words and as a full redline.
struct ChangeNoticePage {
    let environment: RenderEnvironment
    let change: PolicyChange
    /// For a translation's notice (`/<locale>/<id>/changes/<date>/`): its language, titles and summary.
    struct Translation {
        let locale: String
        let title: String
        let previousTitle: String
        var summary: String? = nil
    }
    var translation: Translation? = nil

    func render() -> PageOutcome {
        let urls = environment.urls
        let document = change.document, version = change.version
        let locale = translation?.locale
        let words = PageWords(site: environment.site, locale: locale)
        let path = locale.map { urls.policyChanges(document.id, version.effective, locale: $0) } ?? urls.policyChanges(document.id, version.effective)
        let versionPage = PolicyVersionPage(environment: environment, document: document, version: version, locale: locale)
        let status = document.status(of: version, on: environment.now)
        let changed = change.html.sections.filter { $0.change.isChanged }
        let outline = changed.map { Heading(level: 2, text: words.heading(of: $0.change), anchor: $0.anchor) }
        let title = translation?.title ?? version.title
        let date = words.longDate(version.effective)
        // A translation's notice says what its own summary says, or nothing: never the English one.
        let summary = translation.map(\.summary) ?? version.summary
        var context = PageChrome(environment: environment).context(
            title: words.format("changesTitle", ["title": title, "date": date]), path: path,
            description: summary ?? words.format("changesDescription", ["title": title, "date": date]),
            section: .policy(document.id), outline: outline, locale: locale)
        context["feedTitle"] = words.format("feedTitle", ["title": title])
        context["comparesVersion"] = words.format("titleEffective", ["title": title, "date": date])
        context["document"] = ["id": document.id, "title": title, "url": locale.map { urls.policy(document.id, locale: $0) } ?? urls.policy(document.id),
                               "historyURL": urls.policyHistory(document.id),
                               "feedURL": locale.map { urls.policyFeed(document.id, locale: $0) } ?? urls.policyFeed(document.id)]
        var described = versionPage.describe(version, status: status)
        var previous = versionPage.describe(change.previous, status: document.status(of: change.previous, on: environment.now))
        if let translation {
            described["url"] = urls.policyVersion(document.id, version.effective, locale: translation.locale)
            described["title"] = translation.title
            described.removeValue(forKey: "changesURL")
            previous["url"] = urls.policyVersion(document.id, change.previous.effective, locale: translation.locale)
            previous["title"] = translation.previousTitle
        }
        if let summary { described["summary"] = summary } else { described.removeValue(forKey: "summary") }
        context["version"] = described
        context["previous"] = previous
        if status == .draft {
            context["draft"] = true
            context["noindex"] = true
        }
        context["changedSections"] = changedSections(changed, words: words)
        context["hasChanges"] = !changed.isEmpty
        let wordSummary = words.wordSummary(inserted: change.redline.inserted, deleted: change.redline.deleted)
        context["wordSummary"] = wordSummary
        context["inTotal"] = words.format("inTotal", ["words": wordSummary])
        context["coarse"] = change.redline.isCoarse
        context["redline"] = words.localizedRedline(change.html)
        return environment.publish("change-notice", context: context, path: path, source: version.source.displayPath,
                                   indexable: status != .draft, lastModified: version.effective)
    }

    /// Each changed section with what happened to it and a link to it in the new version (in the notice's language).
    private func changedSections(_ changed: [RedlineHTML.Section], words: PageWords) -> [[String: Any]] {
        let urls = environment.urls
        let document = change.document, version = change.version
        let versionURL = translation.map { urls.policyVersion(document.id, version.effective, locale: $0.locale) }
            ?? urls.policyVersion(document.id, version.effective)
        return changed.map { section -> [String: Any] in
            var entry: [String: Any] = [
                "heading": words.heading(of: section.change),
                "anchor": section.anchor,
                "note": words.note(for: section.change) ?? "",
                "status": section.change.status.rawValue,
            ]
            if let anchor = section.newVersionAnchor { entry["versionURL"] = versionURL + "#" + anchor }
            return entry
        }
    }
}

extension ChangeNoticePage: SitePage {
    static let templates = ["change-notice": "change notices"]

    static func pages(of site: PageSource) -> [ChangeNoticePage] {
        site.changes.all.map { ChangeNoticePage(environment: site.environment, change: $0) }
    }

    func renderKey(_ keys: RenderKeys) -> String? {
        // A translation's notice depends on the binding version as well as its own file: never cached.
        translation == nil ? keys.changeNotice(change) : nil
    }
}
