import RedlineContent
import RedlineMarkdown

/// Renders one policy version at its permanent URL, and at the policy's own URL
/// when it is the version readers should see today.
struct PolicyVersionPage {
    let environment: RenderEnvironment
    let document: PolicyDocument
    let version: PolicyVersion
    var changes: PolicyChanges?
    /// A translation's language, whose words and dates its pages use; nil: the site's own.
    var locale: String? = nil

    var words: PageWords { PageWords(site: environment.site, locale: locale) }

    func render() -> PageOutcome {
        let markdown: RenderedMarkdown
        let body: String
        do throws(DiagnosticsError) {
            // A version is published at two URLs; links mean what they mean beside the file in
            // policies/<id>/, which is /<id>/: `../cookies/` is the cookie policy, `images/x.png` is beside the versions.
            (markdown, body) = try environment.renderBodyKeepingText(of: version.source, pagePath: environment.urls.policy(document.id),
                                                                     sourceFolderPath: environment.urls.policy(document.id), effective: version.effective)
        } catch {
            return PageOutcome(diagnostics: error.diagnostics)
        }
        let rendered = RenderedBody(html: markdown.html, outline: markdown.outline, hasCodeTabs: markdown.hasCodeTabs)
        let urls = environment.urls
        let status = document.status(of: version, on: environment.now)
        let permanentPath = urls.policyVersion(document.id, version.effective)
        var outcome = PageOutcome()
        if status != .draft {
            // A draft is in no search index and has no hash in the manifest: it is not published.
            outcome.search = searchEntries(markdown, status: status)
            outcome.policyHash = PolicyHash(documentID: document.id, effective: version.effective, sha256: Digest.sha256Hex(rendered.html))
            // The hashed bytes themselves, so that evidence can carry the exact text a record names.
            outcome.merge(environment.publishFile(rendered.html, path: permanentPath + "text.txt", source: version.source.displayPath))
            outcome.merge(publishTwins(environment.twinBody(body, links: markdown.links), sha256: Digest.sha256Hex(rendered.html),
                                       permanentPath: permanentPath))
        }
        outcome.noteLinks(of: markdown, source: version.source.displayPath, path: permanentPath)

        // Archived versions stay citable but should not outrank the one in force.
        outcome.merge(environment.publish("policy", context: context(rendered, status: status, path: permanentPath, canonical: permanentPath, atPolicyURL: false),
                                          path: permanentPath, source: version.source.displayPath,
                                          indexable: status != .archived && status != .draft, lastModified: version.effective))
        if document.featured(on: environment.now)?.effective == version.effective {
            let path = urls.policy(document.id)
            outcome.anchors[path] = outcome.anchors[permanentPath]
            outcome.merge(environment.publish("policy", context: context(rendered, status: status, path: path, canonical: path, atPolicyURL: true),
                                              path: path, source: version.source.displayPath, indexable: status != .draft, lastModified: version.effective))
        }
        return outcome
    }

    /// The Markdown twin at the version's permanent URL, and at the policy's own when it shows this version.
    private func publishTwins(_ body: @autoclosure () -> String, sha256: String, permanentPath: String) -> PageOutcome {
        guard environment.writesFiles else { return PageOutcome() }
        let urls = environment.urls
        let twin = MarkdownTwin.policyVersion(environment, document: document, version: version, body: body(), title: version.title,
                                              summary: version.summary, locale: nil, sha256: sha256,
                                              changesPath: changes?.change(document.id, version.effective) != nil
                                                  ? urls.policyChanges(document.id, version.effective) : nil)
        var outcome = environment.publishTwin(twin, pagePath: permanentPath, source: version.source.displayPath)
        if document.featured(on: environment.now)?.effective == version.effective {
            outcome.merge(environment.publishTwin(twin, pagePath: urls.policy(document.id), source: version.source.displayPath))
        }
        return outcome
    }

    /// The version readers see at the policy's own URL is indexed there; the others only when
    /// the build indexes every version.
    private func searchEntries(_ markdown: RenderedMarkdown, status: VersionStatus) -> [SearchEntry] {
        let urls = environment.urls
        let documentIndex = environment.corpus.policies.firstIndex { $0.id == document.id } ?? 0
        let versionIndex = document.versions.firstIndex { $0.effective == version.effective } ?? 0
        let day = environment.longDate(version.effective)
        if document.featured(on: environment.now)?.effective == version.effective {
            let label = status == .current ? "In force since \(day)" : "Takes effect \(day)"
            return [SearchEntry(group: .currentPolicy, position: [documentIndex], url: urls.policy(document.id),
                                title: version.title, label: label, rendered: markdown)]
        }
        guard environment.searchAllVersions else { return [] }
        let label = status == .upcoming ? "Upcoming version, takes effect \(day)" : "Archived version of \(day)"
        return [SearchEntry(group: .otherPolicyVersion, position: [documentIndex, -versionIndex],
                            url: urls.policyVersion(document.id, version.effective), title: version.title, label: label, rendered: markdown)]
    }

    func context(_ body: RenderedBody, status: VersionStatus, path: String, canonical: String, atPolicyURL: Bool) -> PageContext<PolicyPageValues> {
        let urls = environment.urls
        var chrome = PageChrome(environment: environment).context(
            title: version.title, path: path, canonicalPath: canonical,
            description: version.summary, noindex: status == .archived || status == .draft,
            section: .policy(document.id), outline: body.outline, locale: locale)
        // Every published version has its twin beside each of its pages; a draft has none.
        if status != .draft { chrome.markdownURL = MarkdownTwin.path(for: path) }
        let links = TranslationLinks(environment: environment, document: document)
        let languages = links.languages(of: version, current: environment.site.language)
        var values = PolicyPageValues(
            feedTitle: words.format("feedTitle", ["title": version.title]), body: body.html,
            codeTabsScript: body.hasCodeTabs ? urls.codeTabsScript : nil, draft: status == .draft ? true : nil,
            document: DocumentLinks(id: document.id, url: urls.policy(document.id), historyURL: urls.policyHistory(document.id),
                                    feedURL: urls.policyFeed(document.id)),
            version: describe(version, status: status), languages: languages, hasLanguages: !languages.isEmpty,
            translation: bindingNotice(), alternates: links.alternates(of: version), atPolicyURL: atPolicyURL,
            permanentURL: urls.policyVersion(document.id, version.effective),
            permanentAbsoluteURL: urls.absolute(urls.policyVersion(document.id, version.effective)))
        if status != .current, let current = document.current(on: environment.now) {
            values.current = describe(current, status: .current)
        }
        if let previous = document.previous(of: version) {
            values.previous = describe(previous, status: document.status(of: previous, on: environment.now))
        }
        if let next = document.next(of: version) {
            let nextStatus = document.status(of: next, on: environment.now)
            values.next = describe(next, status: nextStatus)
            // An archived version was in force until the next one took effect.
            if status == .archived { values.inForceUntil = words.longDate(next.effective) }
            if status == .current && nextStatus == .upcoming { values.upcoming = describe(next, status: nextStatus) }
        }
        return PageContext(top: values, below: chrome)
    }

    /// When a translation is the binding text, the site's own language says so too.
    private func bindingNotice() -> BindingNotice? {
        let binding = environment.site.bindingLanguage
        guard binding != environment.site.language, document.translation(of: version, in: binding) != nil else { return nil }
        return TranslationLinks(environment: environment, document: document).bindingNotice(of: version, words: words)
    }

    func describe(_ version: PolicyVersion, status: VersionStatus) -> VersionValues {
        let words = words
        return VersionValues(
            title: version.title, effectiveDate: version.effective.description, effectiveText: words.longDate(version.effective),
            material: version.material, kind: words.kind(material: version.material),
            status: status.rawValue, statusLabel: words.statusLabel(status),
            isCurrent: status == .current, isArchived: status == .archived, isUpcoming: status == .upcoming, isDraft: status == .draft,
            url: environment.urls.policyVersion(version.documentID, version.effective),
            isFirst: document.previous(of: version) == nil, labels: words.versionLabels(version.effective),
            changesURL: changes?.change(version.documentID, version.effective) != nil
                ? environment.urls.policyChanges(version.documentID, version.effective) : nil,
            summary: version.summary, publishedDate: version.published?.description,
            publishedText: version.published.map { words.longDate($0) })
    }
}

struct RenderedBody {
    let html: String
    let outline: [RedlineMarkdown.Heading]
    var hasCodeTabs = false
}

/// `<doc-id>/versions/`: every version, newest first, with what kind of change it was.
struct PolicyHistoryPage {
    let environment: RenderEnvironment
    let document: PolicyDocument
    let changes: PolicyChanges

    func render() -> PageOutcome {
        let path = environment.urls.policyHistory(document.id)
        let title = "\(document.title(on: environment.now)): version history"
        var slugger = AnchorSlugger(reserved: PageChrome.reservedAnchors)
        var outline: [RedlineMarkdown.Heading] = []
        // The history is of published versions; a preview of a policy that has none yet lists its drafts.
        let listed = (document.versions.isEmpty ? document.drafts : document.versions).reversed()
        let rows = listed.map { version in
            let page = PolicyVersionPage(environment: environment, document: document, version: version, changes: changes)
            var row = page.describe(version, status: document.status(of: version, on: environment.now))
            let anchor = slugger.slug(for: "version \(version.effective)")
            row.anchor = anchor
            outline.append(.init(level: 2, text: environment.longDate(version.effective), anchor: anchor))
            return row
        }
        // A policy with only drafts is not published: its history stays out of the sitemap.
        let chrome = PageChrome(environment: environment).context(
            title: title, path: path, noindex: document.versions.isEmpty, section: .policy(document.id), outline: outline)
        let values = HistoryValues(document: DocumentLinks(id: document.id, title: document.title(on: environment.now),
                                                           url: environment.urls.policy(document.id), feedURL: environment.urls.policyFeed(document.id)),
                                   versions: rows)
        let source = (document.versions.first ?? document.drafts.first)?.source.displayPath ?? document.id
        return environment.publish("policy-history", context: PageContext(top: values, below: chrome), path: path, source: source, indexable: !document.versions.isEmpty,
                                   lastModified: document.versions.last?.effective)
    }
}

/// What `policy-history.mustache` shows besides the chrome.
struct HistoryValues {
    let document: DocumentLinks
    let versions: [VersionValues]
}

extension PolicyVersionPage: SitePage {
    static let templates = ["policy": "policy pages"]

    static func pages(of site: PageSource) -> [PolicyVersionPage] {
        site.environment.corpus.policies.flatMap { document in
            (document.versions + document.drafts).map {
                PolicyVersionPage(environment: site.environment, document: document, version: $0, changes: site.changes)
            }
        }
    }

    func renderKey(_ keys: RenderKeys) -> String? { keys.policyVersion(document, version) }
}

extension PolicyHistoryPage: SitePage {
    static let templates = ["policy-history": "version history pages"]

    static func pages(of site: PageSource) -> [PolicyHistoryPage] {
        site.environment.corpus.policies.map { PolicyHistoryPage(environment: site.environment, document: $0, changes: site.changes) }
    }

    func renderKey(_ keys: RenderKeys) -> String? { keys.policyHistory(document) }
}
