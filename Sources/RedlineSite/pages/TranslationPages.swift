import Foundation
import RedlineContent
import RedlineDiff
import RedlineMarkdown

/// Links between a version's languages: the switcher on each page (which keeps the version) and
/// `hreflang` alternates for search engines.
struct TranslationLinks {
    let environment: RenderEnvironment
    let document: PolicyDocument

    /// "Deutsch" for `de`: each language named in itself, as a switcher should.
    static func name(of locale: String) -> String {
        let language = String(locale.split(separator: "-").first ?? Substring(locale))
        let name = Locale(identifier: locale).localizedString(forLanguageCode: language) ?? locale
        return name.prefix(1).uppercased() + name.dropFirst()
    }

    /// Every language `version` can be read in, the binding text first; empty when it has no translation.
    func languages(of version: PolicyVersion, current: String) -> [LanguageLink] {
        let urls = environment.urls
        let translated = environment.site.languages.filter { document.translation(of: version, in: $0) != nil }
        guard !translated.isEmpty else { return [] }
        let own = environment.site.language
        return [LanguageLink(locale: own, name: Self.name(of: own), url: urls.policyVersion(document.id, version.effective), current: current == own)]
            + translated.map { locale in
                LanguageLink(locale: locale, name: Self.name(of: locale), url: urls.policyVersion(document.id, version.effective, locale: locale),
                             current: current == locale)
            }
    }

    /// Which language's text of `version` binds, said in `words`' language, with a link to it.
    func bindingNotice(of version: PolicyVersion, words: PageWords) -> BindingNotice {
        let binding = environment.site.bindingLanguage
        let urls = environment.urls
        return BindingNotice(bindingName: Self.name(of: binding), bindingLocale: binding,
                             bindingText: words.format("bindingText", ["language": words.languageName(binding)]),
                             bindingURL: binding == environment.site.language ? urls.policyVersion(document.id, version.effective)
                                                                               : urls.policyVersion(document.id, version.effective, locale: binding))
    }

    /// `<link rel="alternate" hreflang>` for each language, with the binding text as `x-default`.
    func alternates(of version: PolicyVersion) -> [AlternateLink] {
        let languages = languages(of: version, current: "")
        guard !languages.isEmpty else { return [] }
        let urls = environment.urls
        return languages.map { AlternateLink(hreflang: $0.locale, url: urls.absolute($0.url)) }
            + [AlternateLink(hreflang: "x-default", url: urls.absolute(urls.policyVersion(document.id, version.effective)))]
    }
}

/// A version's translation at `/<locale>/<id>/<date>/`, and at `/<locale>/<id>/` when it is what
/// readers of that language see today. It says which language is binding and, when the binding
/// text has a newer version it does not translate, says so with a link.
struct TranslatedVersionPage {
    let environment: RenderEnvironment
    let document: PolicyDocument
    let translation: PolicyTranslation
    var changes: PolicyChanges?

    func render() -> PageOutcome {
        guard let version = document.versions.first(where: { $0.effective == translation.effective }) else { return PageOutcome() }
        let urls = environment.urls
        let locale = translation.locale
        let markdown: RenderedMarkdown
        let body: String
        do throws(DiagnosticsError) {
            (markdown, body) = try environment.renderBodyKeepingText(of: translation.source, pagePath: urls.policy(document.id),
                                                                     sourceFolderPath: urls.policy(document.id), effective: version.effective)
        } catch {
            return PageOutcome(diagnostics: error.diagnostics)
        }
        let rendered = RenderedBody(html: markdown.html, outline: markdown.outline, hasCodeTabs: markdown.hasCodeTabs)
        let status = document.status(of: version, on: environment.now)
        let permanent = urls.policyVersion(document.id, version.effective, locale: locale)
        var outcome = PageOutcome()
        outcome.policyHash = PolicyHash(documentID: document.id, effective: version.effective, sha256: Digest.sha256Hex(rendered.html), locale: locale)
        outcome.merge(environment.publishFile(rendered.html, path: permanent + "text.txt", source: translation.source.displayPath))
        outcome.merge(publishTwins(environment.twinBody(body, links: markdown.links), sha256: Digest.sha256Hex(rendered.html),
                                   version: version, permanent: permanent))
        outcome.noteLinks(of: markdown, source: translation.source.displayPath, path: permanent)
        outcome.merge(environment.publish("policy", context: context(rendered, version: version, status: status, path: permanent, atPolicyURL: false),
                                          path: permanent, source: translation.source.displayPath, indexable: status != .archived,
                                          lastModified: version.effective))
        if document.featuredTranslation(in: locale, on: environment.now)?.effective == translation.effective {
            let path = urls.policy(document.id, locale: locale)
            // The language's search index holds the text its readers see at the policy's URL.
            let position = environment.corpus.policies.firstIndex { $0.id == document.id } ?? 0
            outcome.search = [SearchEntry(group: .currentPolicy, position: [position], url: path, title: translation.title,
                                          label: TranslationLinks.name(of: locale), rendered: markdown, locale: locale)]
            outcome.anchors[path] = outcome.anchors[permanent]
            outcome.merge(environment.publish("policy", context: context(rendered, version: version, status: status, path: path, atPolicyURL: true),
                                              path: path, source: translation.source.displayPath, indexable: true, lastModified: version.effective))
        }
        return outcome
    }

    /// The translation's Markdown twin at its permanent URL, and at the language's policy URL when readers see it there.
    private func publishTwins(_ body: @autoclosure () -> String, sha256: String, version: PolicyVersion, permanent: String) -> PageOutcome {
        guard environment.writesFiles else { return PageOutcome() }
        let urls = environment.urls
        let locale = translation.locale
        let hasPrevious = document.translations(in: locale).contains { $0.effective < version.effective }
        let twin = MarkdownTwin.policyVersion(environment, document: document, version: version, body: body(),
                                              title: translation.title, summary: translation.summary, locale: locale, sha256: sha256,
                                              changesPath: hasPrevious ? urls.policyChanges(document.id, version.effective, locale: locale) : nil)
        var outcome = environment.publishTwin(twin, pagePath: permanent, source: translation.source.displayPath)
        if document.featuredTranslation(in: locale, on: environment.now)?.effective == translation.effective {
            outcome.merge(environment.publishTwin(twin, pagePath: urls.policy(document.id, locale: locale), source: translation.source.displayPath))
        }
        return outcome
    }

    private func context(_ body: RenderedBody, version: PolicyVersion, status: VersionStatus, path: String, atPolicyURL: Bool) -> PageContext<PolicyPageValues> {
        let urls = environment.urls
        let locale = translation.locale
        let page = PolicyVersionPage(environment: environment, document: document, version: version, changes: changes, locale: locale)
        let words = page.words
        let permanent = urls.policyVersion(document.id, version.effective, locale: locale)
        var context = page.context(body, status: status, path: path, canonical: path, atPolicyURL: atPolicyURL)
        context.below.pageTitle = translation.title
        if let summary = translation.summary { context.below.description = summary }
        context.below.canonical = urls.absolute(path)
        var values = context.top
        values.feedTitle = words.format("feedTitle", ["title": translation.title])
        values.version.title = translation.title
        values.version.url = permanent
        values.version.summary = translation.summary
        values.version.changesURL = nil
        let translations = document.translations(in: locale)
        values.previous = nil
        if let previous = translations.last(where: { $0.effective < version.effective }) {
            values.version.changesURL = urls.policyChanges(document.id, version.effective, locale: locale)
            values.previous = VersionValues(effectiveText: words.longDate(previous.effective), url: urls.policyVersion(document.id, previous.effective, locale: locale),
                                            labels: words.versionLabels(previous.effective))
        }
        values.next = nil
        if let next = translations.first(where: { $0.effective > version.effective }),
           let nextVersion = document.versions.first(where: { $0.effective == next.effective }) {
            values.next = VersionValues(effectiveText: words.longDate(next.effective),
                                        isUpcoming: document.status(of: nextVersion, on: environment.now) == .upcoming,
                                        url: urls.policyVersion(document.id, next.effective, locale: locale), labels: words.versionLabels(next.effective))
        }
        values.upcoming = values.upcoming.map { inLanguage($0, of: document.next(of: version)) }
        values.current = values.current.map { inLanguage($0, of: document.current(on: environment.now)) }
        values.permanentURL = permanent
        values.permanentAbsoluteURL = urls.absolute(permanent)
        values.document = DocumentLinks(id: document.id, url: urls.policy(document.id, locale: locale), historyURL: urls.policyHistory(document.id),
                                        feedURL: urls.policyFeed(document.id, locale: locale))
        // The binding text's own page is no translation of anything.
        values.translation = locale != environment.site.bindingLanguage ? bindingNotice(version, words: words) : nil
        let links = TranslationLinks(environment: environment, document: document)
        values.languages = links.languages(of: version, current: locale)
        values.hasLanguages = true
        values.alternates = links.alternates(of: version)
        context.top = values
        return context
    }

    /// Which text binds, with a link; and, when the binding text moved on and this language did not
    /// follow, the newer text.
    private func bindingNotice(_ version: PolicyVersion, words: PageWords) -> BindingNotice {
        let urls = environment.urls
        var notice = TranslationLinks(environment: environment, document: document).bindingNotice(of: version, words: words)
        if let featured = document.featured(on: environment.now), featured.effective > version.effective,
           document.translations(in: translation.locale).last?.effective == version.effective {
            notice.stale = .init(effectiveText: words.longDate(featured.effective), url: urls.policyVersion(document.id, featured.effective),
                                 text: words.format("staleEffective", ["date": words.longDate(featured.effective)]))
        }
        return notice
    }

    /// Another version as this language's readers should see it: its translation's title, summary
    /// and page when there is one; else no summary, which would be in another language.
    private func inLanguage(_ described: VersionValues, of other: PolicyVersion?) -> VersionValues {
        var described = described
        guard let other, let translated = document.translation(of: other, in: translation.locale) else {
            described.summary = nil
            return described
        }
        described.title = translated.title
        described.url = environment.urls.policyVersion(document.id, other.effective, locale: translation.locale)
        described.summary = translated.summary
        return described
    }
}

/// `/<locale>/<id>/changes/<date>/`: a translation compared with the one before it in the same language.
struct TranslatedChangeNotice {
    let environment: RenderEnvironment
    let document: PolicyDocument
    let previous: PolicyTranslation
    let translation: PolicyTranslation

    func render() -> PageOutcome {
        guard let version = document.versions.first(where: { $0.effective == translation.effective }),
              let before = document.versions.first(where: { $0.effective == previous.effective }) else { return PageOutcome() }
        let change: PolicyChange
        do throws(DiagnosticsError) {
            change = try PolicyChange.compare(environment, document: document, previous: before, previousSource: previous.source,
                                              version: version, source: translation.source)
        } catch {
            return PageOutcome(diagnostics: error.diagnostics)
        }
        return ChangeNoticePage(environment: environment, change: change,
                                translation: .init(locale: translation.locale, title: translation.title, previousTitle: previous.title,
                                                   summary: translation.summary, source: translation.source)).render()
    }
}

// Few, and each depends on the binding version as well as its own file: rendered every time.
extension TranslatedVersionPage: SitePage {
    static let templates = ["policy": "policy pages"]

    static func pages(of site: PageSource) -> [TranslatedVersionPage] {
        site.environment.corpus.policies.flatMap { document in
            document.translations.map {
                TranslatedVersionPage(environment: site.environment, document: document, translation: $0, changes: site.changes)
            }
        }
    }
}

extension TranslatedChangeNotice: SitePage {
    static let templates = ["change-notice": "change notices"]

    static func pages(of site: PageSource) -> [TranslatedChangeNotice] {
        site.environment.corpus.policies.flatMap { document in
            document.locales.flatMap { locale in
                let translations = document.translations(in: locale)
                return zip(translations, translations.dropFirst()).map {
                    TranslatedChangeNotice(environment: site.environment, document: document, previous: $0, translation: $1)
                }
            }
        }
    }
}
