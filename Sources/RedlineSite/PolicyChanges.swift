import Foundation
import RedlineContent
import RedlineDiff
import RedlineMarkdown
import RedlineOutput
import RedlineParallel

/// A policy version compared with the one before it: what the change notice, the feeds,
/// the manifest and `check` all report.
struct PolicyChange: Sendable {
    let document: PolicyDocument
    let version: PolicyVersion
    let previous: PolicyVersion
    let redline: Redline
    let html: RedlineHTML

    var key: String { "\(document.id)/\(version.effective)" }

    /// `version` compared with `previous`, reading the texts from the given files (a version's own,
    /// or its translations'), each with the cookie table of its day.
    static func compare(_ environment: RenderEnvironment, document: PolicyDocument, previous: PolicyVersion, previousSource: SourceFile,
                        version: PolicyVersion, source: SourceFile) throws(DiagnosticsError) -> PolicyChange {
        let old = CookieTable.expand(try RenderEnvironment.readBody(of: previousSource), site: environment.site, on: previous.effective)
        let new = CookieTable.expand(try RenderEnvironment.readBody(of: source), site: environment.site, on: version.effective)
        let redline = RedlineDiffer.diff(old: old, new: new)
        // Links mean what they do on the version's own pages: relative to the policy's folder.
        let resolver = LinkResolver(pagePath: environment.urls.policy(document.id), sourceFolderPath: environment.urls.policy(document.id))
        let html = RedlineHTML(redline, renderer: environment.markdown, reservedAnchors: PageChrome.reservedAnchors,
                               resolveLink: { resolver.resolve($0) })
        return PolicyChange(document: document, version: version, previous: previous, redline: redline, html: html)
    }
}

/// [diff]: every consecutive pair of versions of every policy, in parallel.
struct PolicyChanges: Sendable {
    private let byKey: [String: PolicyChange]

    static func compute(_ environment: RenderEnvironment) -> (PolicyChanges, [Diagnostic]) {
        var pairs: [(PolicyDocument, PolicyVersion, PolicyVersion)] = []
        for document in environment.corpus.policies {
            for (previous, version) in zip(document.versions, document.versions.dropFirst()) {
                pairs.append((document, previous, version))
            }
            // A draft is compared with the published version it would follow.
            for draft in document.drafts {
                if let previous = document.versions.last(where: { $0.effective < draft.effective }) { pairs.append((document, previous, draft)) }
            }
        }
        let results = parallelMap(pairs) { document, previous, version -> Result<PolicyChange, DiagnosticsError> in
            do throws(DiagnosticsError) {
                return .success(try PolicyChange.compare(environment, document: document, previous: previous, previousSource: previous.source,
                                                         version: version, source: version.source))
            } catch {
                return .failure(error)
            }
        }
        var byKey: [String: PolicyChange] = [:]
        var diagnostics: [Diagnostic] = []
        for result in results {
            switch result {
            case let .success(change): byKey[change.key] = change
            case let .failure(error): diagnostics += error.diagnostics
            }
        }
        return (PolicyChanges(byKey: byKey), diagnostics)
    }

    func change(_ documentID: String, _ effective: Day) -> PolicyChange? {
        byKey["\(documentID)/\(effective)"]
    }

    /// Every change, newest effective date first.
    var all: [PolicyChange] {
        byKey.values.sorted { ($0.version.effective, $0.document.id) > ($1.version.effective, $1.document.id) }
    }
}

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
