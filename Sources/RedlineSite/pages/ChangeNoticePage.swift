import Foundation
import RedlineContent
import RedlineDiff
import RedlineMarkdown
import RedlineOutput

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
        /// The translated text of the version, whose hash the notice's twin names.
        let source: SourceFile
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
        var chrome = PageChrome(environment: environment).context(
            title: words.format("changesTitle", ["title": title, "date": date]), path: path,
            description: summary ?? words.format("changesDescription", ["title": title, "date": date]),
            noindex: status == .draft, section: .policy(document.id), outline: outline, locale: locale)
        if status != .draft { chrome.markdownURL = MarkdownTwin.path(for: path) }
        var described = versionPage.describe(version, status: status)
        var previous = versionPage.describe(change.previous, status: document.status(of: change.previous, on: environment.now))
        if let translation {
            described.url = urls.policyVersion(document.id, version.effective, locale: translation.locale)
            described.title = translation.title
            described.changesURL = nil
            previous.url = urls.policyVersion(document.id, change.previous.effective, locale: translation.locale)
            previous.title = translation.previousTitle
        }
        described.summary = summary
        let wordSummary = words.wordSummary(inserted: change.redline.inserted, deleted: change.redline.deleted)
        let values = Values(
            feedTitle: words.format("feedTitle", ["title": title]), comparesVersion: words.format("titleEffective", ["title": title, "date": date]),
            document: DocumentLinks(id: document.id, title: title, url: locale.map { urls.policy(document.id, locale: $0) } ?? urls.policy(document.id),
                                    historyURL: urls.policyHistory(document.id),
                                    feedURL: locale.map { urls.policyFeed(document.id, locale: $0) } ?? urls.policyFeed(document.id)),
            version: described, previous: previous, draft: status == .draft ? true : nil,
            changedSections: changedSections(changed, words: words), hasChanges: !changed.isEmpty,
            wordSummary: wordSummary, inTotal: words.format("inTotal", ["words": wordSummary]),
            coarse: change.redline.isCoarse, redline: words.localizedRedline(change.html))
        var outcome = environment.publish("change-notice", context: PageContext(top: values, below: chrome), path: path,
                                          source: version.source.displayPath, indexable: status != .draft, lastModified: version.effective)
        if environment.writesFiles && status != .draft {
            outcome.merge(publishTwin(path: path, title: chrome.pageTitle, summary: summary, status: status))
        }
        return outcome
    }

    /// The notice's Markdown twin: what changed as the Markdown redline (`redline diff --format
    /// markdown`), under front matter naming both versions and the new text's SHA-256.
    private func publishTwin(path: String, title: String, summary: String?, status: VersionStatus) -> PageOutcome {
        let urls = environment.urls
        let document = change.document, version = change.version
        let locale = translation?.locale
        let source = translation?.source ?? version.source
        let sha256: String
        do throws(DiagnosticsError) {
            // The version page's own rendering, so the hash is the one the manifest lists.
            sha256 = Digest.sha256Hex(try environment.renderBody(of: source, pagePath: urls.policy(document.id),
                                                                 sourceFolderPath: urls.policy(document.id), effective: version.effective).html)
        } catch {
            return PageOutcome(diagnostics: error.diagnostics)
        }
        let input = RedlineInput(change.redline, title: title, oldLabel: change.previous.effective.description, newLabel: version.effective.description)
        // The Markdown format writes text and cannot fail.
        let redline = ((try? RedlineOutput.render(input, as: .markdown)).map { String(decoding: $0, as: UTF8.self) }) ?? ""

        let versionPath = locale.map { urls.policyVersion(document.id, version.effective, locale: $0) } ?? urls.policyVersion(document.id, version.effective)
        let previousPath = locale.map { urls.policyVersion(document.id, change.previous.effective, locale: $0) }
            ?? urls.policyVersion(document.id, change.previous.effective)
        let twin = MarkdownTwin(
            fields: [("title", .text(title)), ("document", .text(document.id)), ("version", .text(version.effective.description)),
                     ("previous", .text(change.previous.effective.description)), ("effective", .text(version.effective.description)),
                     ("status", .text(status.rawValue)), ("material", .flag(version.material)),
                     ("locale", .text(locale ?? environment.site.language)), ("summary", summary.map(MarkdownTwin.Value.text)),
                     ("sha256", .text(sha256)), ("url", .text(urls.absolute(path))), ("versionUrl", .text(urls.absolute(versionPath))),
                     ("previousUrl", .text(urls.absolute(previousPath)))],
            title: title, body: (summary.map { $0.markdownTagFree + "\n\n" } ?? "") + redline)
        return environment.publishTwin(twin, pagePath: path, source: source.displayPath)
    }

    /// What `change-notice.mustache` shows besides the chrome.
    struct Values {
        struct ChangedSection {
            let heading, anchor, note, status: String
            let versionURL: String?
        }

        let feedTitle, comparesVersion: String
        let document: DocumentLinks
        let version, previous: VersionValues
        let draft: Bool?
        let changedSections: [ChangedSection]
        let hasChanges: Bool
        let wordSummary, inTotal: String
        let coarse: Bool
        let redline: String
    }

    /// Each changed section with what happened to it and a link to it in the new version (in the notice's language).
    private func changedSections(_ changed: [RedlineHTML.Section], words: PageWords) -> [Values.ChangedSection] {
        let urls = environment.urls
        let document = change.document, version = change.version
        let versionURL = translation.map { urls.policyVersion(document.id, version.effective, locale: $0.locale) }
            ?? urls.policyVersion(document.id, version.effective)
        return changed.map { section in
            Values.ChangedSection(heading: words.heading(of: section.change), anchor: section.anchor, note: words.note(for: section.change) ?? "",
                                  status: section.change.status.rawValue, versionURL: section.newVersionAnchor.map { versionURL + "#" + $0 })
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
