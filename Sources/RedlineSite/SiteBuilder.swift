import Foundation
import RedlineContent
import RedlineManifest
import RedlineMarkdown
import RedlineParallel

/// What a build reads, where it writes, and which day it treats as today.
public struct BuildOptions: Sendable {
    public var contentDirectory: String
    public var outputDirectory: String
    public var templatesDirectory: String
    /// Decides which versions are current and which upcoming; pass a fixed day for reproducible output.
    public var now: Day
    /// Overrides site.yaml's baseURL, e.g. to preview on localhost.
    public var baseURL: String?
    /// The manifest's `generatedAt`; by default midnight UTC of `now`, so identical inputs give identical output.
    public var generatedAt: String?
    /// Treat warnings as errors.
    public var strict: Bool = false
    /// Index every policy version and docs version for search, not only the current ones.
    public var searchAllVersions: Bool = false
    /// Build versions marked `draft: true` too, each marked DRAFT on its page, and still never in
    /// the manifest, a feed, the sitemap or the search index. For previews, never for publishing.
    public var drafts: Bool = false
    /// Build even when nothing changed since the last build into the same folder.
    public var force: Bool = false
    /// Leave out what does not come from the files' contents (docs pages' "Last updated" from git
    /// or modification times), so that the same files always give the same bytes.
    public var reproducible: Bool = false

    public init(contentDirectory: String = "content", outputDirectory: String = "public", templatesDirectory: String = "templates",
                now: Day, baseURL: String? = nil, generatedAt: String? = nil) {
        self.contentDirectory = contentDirectory
        self.outputDirectory = outputDirectory
        self.templatesDirectory = templatesDirectory
        self.now = now
        self.baseURL = baseURL
        self.generatedAt = generatedAt
    }
}

/// What a finished build did.
public struct BuildReport: Sendable {
    public let pageCount: Int
    public let fileCount: Int
    /// Warnings only: a build with errors throws instead.
    public let diagnostics: [Diagnostic]
    /// Nothing had changed since the last build into the same folder: it was left as it was.
    public var upToDate = false
    /// Pages taken unchanged from the last build's cache instead of rendered.
    public var reusedPages = 0
    /// How long each step took, in order, for `build --timings`.
    public var timings: [(step: String, seconds: Double)] = []
}

/// A build that stopped, with the step it stopped in and every problem found.
public struct BuildFailure: Error, CustomStringConvertible {
    public let step: String
    public let diagnostics: [Diagnostic]

    public var description: String {
        let errors = diagnostics.errors.count
        return "build failed in step '\(step)': \(errors) error\(errors == 1 ? "" : "s")"
    }
}

/// Turns `content/` into a static site as a pipeline of named steps:
/// load → templates → diff → render → search → assets → files → publish.
///
/// Pages are rendered on every core and written as they are made; only their URLs and
/// hashes stay in memory. Everything is written into a staging folder that replaces the
/// output only when the whole build succeeded.
public enum SiteBuilder {
    public static func build(_ options: BuildOptions) throws(BuildFailure) -> BuildReport {
        try run(options, write: true)
    }

    /// A digest of every input of a build with `options` (files under the content and templates
    /// folders, the options, the executable): it changes whenever a build could give another site.
    public static func inputsDigest(_ options: BuildOptions) -> String {
        BuildInputs.digest(options)
    }

    /// Everything `build` does except writing: for `redline check`.
    public static func check(_ options: BuildOptions) throws(BuildFailure) -> BuildReport {
        try run(options, write: false)
    }

    private static func run(_ options: BuildOptions, write: Bool) throws(BuildFailure) -> BuildReport {
        var clock = StepClock()
        let lock = write ? BuildLock(output: options.outputDirectory, protecting: [options.contentDirectory, options.templatesDirectory]) : nil
        defer { withExtendedLifetime(lock) {} }
        // A build killed while moving its files in is finished first, so the output is whole again.
        if write { StagingDirectory.finishInterruptedBuilds(of: options.outputDirectory) }
        let inputs = write ? BuildInputs.digest(options) : ""
        clock.mark("inputs")
        // Nothing changed since the last build into this folder: its output is still exact.
        if write, !options.force, let state = BuildInputs.recorded(in: options.outputDirectory), state.inputs == inputs,
           StagingDirectory.isOwnOutput(options.outputDirectory) {
            return BuildReport(pageCount: 0, fileCount: 0, diagnostics: state.diagnostics, upToDate: true)
        }
        // Loads while the content is read (highlighting starts at rendering).
        let highlighting = PygmentsHighlighter.launch()
        // With the last build's cache, only what changed is parsed, rendered and written; without
        // it (or with --force), the whole site is built into a new folder.
        let previous = write && !options.force && StagingDirectory.isOwnOutput(options.outputDirectory)
            ? PageCache.load(from: options.outputDirectory) : nil
        clock.mark("cache-in")
        let memo = write ? ParseMemo(previous: previous?.parsed ?? [:]) : nil
        // [load] and [templates] both run before stopping, so an editor sees all problems at once.
        var (corpus, diagnostics) = ContentLoader.load(contentDirectory: options.contentDirectory, memo: memo)
        clock.mark("content")
        diagnostics += SymlinkAudit.problems(in: options.contentDirectory)
        let (templates, loadedTemplates) = TemplateSet.load(directory: options.templatesDirectory)
        let templateDiagnostics = loadedTemplates + SymlinkAudit.problems(in: options.templatesDirectory)
        diagnostics += templateDiagnostics
        var baseURL = corpus?.site.baseURL
        if let override = options.baseURL {
            guard let normalized = SiteConfig.normalizedBaseURL(override) else {
                throw BuildFailure(step: "load", diagnostics: diagnostics + [.error("--base-url", line: nil, "must be an absolute http:// or https:// URL, not '\(override)'")])
            }
            baseURL = normalized
        }
        clock.mark("load")
        guard var corpus, let templates, let baseURL, !diagnostics.hasErrors else {
            // Name the step that failed: [templates] only when every error is a template's.
            let onlyTemplateErrors = templateDiagnostics.hasErrors && diagnostics.errors.allSatisfy(templateDiagnostics.contains)
            throw BuildFailure(step: onlyTemplateErrors ? "templates" : "load", diagnostics: diagnostics)
        }
        // `check` looks at drafts too, so an editor hears about a draft's problems before preview.
        if write && !options.drafts { corpus = corpus.withoutDrafts }
        diagnostics += CookieTable.problems(corpus, siteFile: "\(options.contentDirectory)/\(SiteConfig.fileName)")
        diagnostics += TranslationReview.review(corpus, now: options.now)
        // OpenAPI files become reference pages (and their problems, errors that stop the build).
        let (withReferences, apiReferences, referenceProblems) = APIReference.load(corpus)
        corpus = withReferences
        diagnostics += referenceProblems
        if diagnostics.hasErrors { throw BuildFailure(step: "load", diagnostics: diagnostics) }
        if options.baseURL != nil {
            var site = corpus.site
            site.baseURL = baseURL
            corpus = Corpus(site: site, policies: corpus.policies, docs: corpus.docs)
        }

        let staging: StagingDirectory?
        let protected = [options.contentDirectory, options.templatesDirectory]
        do {
            if !write {
                staging = nil
            } else if let previous {
                staging = try StagingDirectory(updating: options.outputDirectory, protecting: protected, previousFiles: Set(previous.files))
            } else {
                staging = try StagingDirectory(outputPath: options.outputDirectory, protecting: protected)
            }
        } catch {
            throw BuildFailure(step: "publish", diagnostics: diagnostics + [.error(options.outputDirectory, line: nil, "\(error)")])
        }
        let (highlighter, highlighterProblem) = highlighting.ready()
        if let highlighterProblem {
            diagnostics.append(.warning("python3", line: nil, "code blocks are not highlighted: \(highlighterProblem)"))
        }
        let environment = RenderEnvironment(
            corpus: corpus, templates: templates, urls: SiteURLs(baseURL: baseURL, basePath: corpus.site.basePath),
            now: options.now, markdown: MarkdownRenderer(allowRawHTML: corpus.site.allowRawHTML, highlighter: highlighter),
            staging: staging, searchAllVersions: options.searchAllVersions,
            cache: write ? PageCache(previous: previous) : nil,
            renderInputs: write ? RenderKeys.staticInputs(options, highlighter: highlighter?.identity ?? "none") : "",
            contentDirectory: options.contentDirectory, apiReferences: apiReferences,
            lastUpdated: options.reproducible ? .disabled : LastUpdated.read(contentDirectory: options.contentDirectory))
        do {
            let (changes, diffDiagnostics) = PolicyChanges.compute(environment)
            diagnostics += diffDiagnostics + ChangeReview.review(changes, site: corpus.site)
            if options.strict { diagnostics = diagnostics.map(\.asError) }
            if diagnostics.hasErrors { throw BuildFailure(step: "diff", diagnostics: diagnostics) }
            clock.mark("diff")

            var outcome = render(environment, changes: changes)
            let reusedPages = environment.cache?.reusedPages ?? 0
            // Rendering warns too (a callout kind that does not exist): --strict refuses those as well.
            diagnostics += options.strict ? outcome.diagnostics.map(\.asError) : outcome.diagnostics
            if diagnostics.hasErrors { throw BuildFailure(step: "render", diagnostics: diagnostics) }
            clock.mark("render")

            diagnostics += linkProblems(environment, outcome: outcome, templatesDirectory: options.templatesDirectory)
            if diagnostics.hasErrors { throw BuildFailure(step: "links", diagnostics: diagnostics) }
            clock.mark("links")

            let search = SearchOutput(environment: environment, entries: outcome.search).write()
            outcome.pages += search.pages
            diagnostics += search.diagnostics
            if diagnostics.hasErrors { throw BuildFailure(step: "search", diagnostics: diagnostics) }
            clock.mark("search")

            let asOfDays = write ? upcomingDays(corpus, after: options.now) : []
            let fileCount = try writeSiteFiles(environment, outcome: outcome, changes: changes, options: options, diagnostics: &diagnostics,
                                               asOf: asOfDays)
            clock.mark("files")
            for day in asOfDays {
                try writeAsOf(day, environment: environment, base: outcome, changes: changes, options: options)
            }
            clock.mark("as-of")
            if let staging, let cache = environment.cache, let memo {
                try staging.write(BuildInputs.State(inputs: inputs, warnings: diagnostics.warnings).json, to: BuildInputs.stateFile)
                try staging.write(cache.contents(files: staging.files + [PageCache.file], parsed: memo.entries), to: PageCache.file)
            }
            clock.mark("cache")
            try staging?.publish()
            clock.mark("publish")
            var report = BuildReport(pageCount: outcome.pages.count, fileCount: fileCount, diagnostics: diagnostics)
            report.timings = clock.steps
            report.reusedPages = reusedPages
            return report
        } catch let failure as BuildFailure {
            staging?.discard()
            throw failure
        } catch {
            staging?.discard()
            throw BuildFailure(step: "publish", diagnostics: diagnostics + [.error(options.outputDirectory, line: nil, error.localizedDescription)])
        }
    }

    /// [render]: every page, in parallel.
    private static func render(_ environment: RenderEnvironment, changes: PolicyChanges, includeDocs: Bool = true) -> PageOutcome {
        enum Job: Sendable {
            case policyVersion(PolicyDocument, PolicyVersion)
            case changeNotice(PolicyChange)
            case policyHistory(PolicyDocument)
            case docsPage(DocsPageRenderer, DocsPage)
            case docsIndex(DocsPageRenderer)
            case docsChanges(DocsChangesPage)
            case translatedVersion(PolicyDocument, PolicyTranslation)
            case translatedNotice(PolicyDocument, previous: PolicyTranslation, PolicyTranslation)
            case home, notFound
        }
        let corpus = environment.corpus
        var jobs: [Job] = [.home, .notFound]
        for document in corpus.policies {
            jobs.append(.policyHistory(document))
            jobs += (document.versions + document.drafts).map { .policyVersion(document, $0) }
        }
        jobs += changes.all.map { .changeNotice($0) }
        for document in corpus.policies {
            jobs += document.translations.map { .translatedVersion(document, $0) }
            for locale in document.locales {
                let translations = document.translations(in: locale)
                jobs += zip(translations, translations.dropFirst()).map { .translatedNotice(document, previous: $0, $1) }
            }
        }
        if includeDocs, let latest = corpus.latestDocs {
            for (index, version) in corpus.docs.enumerated() {
                let renderer = DocsPageRenderer(environment: environment, navigation: DocsNavigation(version: version, templates: environment.templates, urls: environment.urls),
                                                allVersions: corpus.docs, latest: latest)
                if version.indexPage == nil { jobs.append(.docsIndex(renderer)) }
                jobs += (version.pages + version.drafts).map { .docsPage(renderer, $0) }
                if index > 0 { jobs.append(.docsChanges(DocsChangesPage(renderer: renderer, previous: corpus.docs[index - 1]))) }
            }
        }
        @Sendable func renderJob(_ job: Job) -> PageOutcome {
            switch job {
            case let .policyVersion(document, version): PolicyVersionPage(environment: environment, document: document, version: version, changes: changes).render()
            case let .changeNotice(change): ChangeNoticePage(environment: environment, change: change).render()
            case let .policyHistory(document): PolicyHistoryPage(environment: environment, document: document, changes: changes).render()
            case let .docsPage(renderer, page): renderer.render(page)
            case let .docsIndex(renderer): renderer.renderGeneratedIndex()
            case let .docsChanges(page): page.render()
            case let .translatedVersion(document, translation):
                TranslatedVersionPage(environment: environment, document: document, translation: translation, changes: changes).render()
            case let .translatedNotice(document, previous, translation):
                TranslatedChangeNotice(environment: environment, document: document, previous: previous, translation: translation).render()
            case .home: HomePage(environment: environment).render()
            case .notFound: NotFoundPage(environment: environment).render()
            }
        }
        let keys = environment.cache.map { _ in RenderKeys(environment: environment, inputs: environment.renderInputs) }
        let outcomes = parallelMap(jobs) { job -> PageOutcome in
            let render: String? = switch job {
            case let .policyVersion(document, version): keys?.policyVersion(document, version)
            case let .changeNotice(change): keys?.changeNotice(change)
            case let .policyHistory(document): keys?.policyHistory(document)
            case let .docsPage(_, page): keys?.docsPage(page)
            case let .docsIndex(renderer): keys?.docsIndex(renderer.version)
            case let .docsChanges(page): keys?.docsChanges(page.previous, page.version, openAPI: environment.apiReferences[page.version.name]?.source)
            // Few, and each depends on the binding version as well as its own file: rendered every time.
            case .translatedVersion, .translatedNotice, .home, .notFound: nil
            }
            // The same page written for an upcoming day goes under .redline/as-of/<day>/: the key names where.
            let key = render.map { (environment.staging?.prefix ?? "") + $0 }
            if let key, let cache = environment.cache, let staging = environment.staging,
               let reused = cache.reuse(key, in: staging, urls: environment.urls) {
                return reused
            }
            let outcome = renderJob(job)
            if let key { environment.cache?.store(key, outcome) }
            return outcome
        }
        var total = PageOutcome()
        var policyHashes: [PolicyHash.Key: String] = [:]
        var docsHashes: [String: String] = [:]
        for outcome in outcomes {
            total.merge(outcome)
            if let hash = outcome.policyHash { policyHashes[hash.key] = hash.sha256 }
            if let hash = outcome.docsHash { docsHashes["\(hash.version)/\(hash.path)"] = hash.sha256 }
        }
        total.hashes = (policyHashes, docsHashes)
        return total
    }

    /// The next effective dates of published versions, at most `limit`: on each, what is current,
    /// archived and upcoming changes, so the build writes the site as it will be then.
    static func upcomingDays(_ corpus: Corpus, after now: Day, limit: Int = 8) -> [Day] {
        Array(Set(corpus.policies.flatMap { $0.versions.map(\.effective) }.filter { $0 > now }).sorted().prefix(limit))
    }

    /// [as-of]: the policy pages, home page, feeds, manifest, banner config, sitemap and search
    /// index as they will be on `day`, under `.redline/as-of/<day>/`. Docs pages do not change
    /// with the day and are not written again: the server falls back to the site's own.
    private static func writeAsOf(_ day: Day, environment: RenderEnvironment, base: PageOutcome, changes: PolicyChanges,
                                  options: BuildOptions) throws {
        guard let staging = environment.staging else { return }
        let view = StagingDirectory(viewOf: staging, subfolder: "\(Manifest.asOfFolder)/\(day)")
        let later = environment.on(day, writingTo: view)
        var outcome = render(later, changes: changes, includeDocs: false)
        let docsPrefix = later.urls.basePath + "docs/"
        let docsSearch = base.search.filter { $0.group == .latestDocs || $0.group == .otherDocsVersion }
        let search = SearchOutput(environment: later, entries: outcome.search + docsSearch).write()
        outcome.pages += search.pages + base.pages.filter { $0.path.hasPrefix(docsPrefix) }
        // The docs pages are the site's own, and so are their hashes in this day's manifest.
        outcome.hashes.docs = base.hashes.docs
        var dayOptions = options
        dayOptions.now = day
        var ignored: [Diagnostic] = []
        _ = try writeSiteFiles(later, outcome: outcome, changes: changes, options: dayOptions, diagnostics: &ignored, asOf: [], withAssets: false)
    }

    /// [links]: every link and image written in a policy or a docs page leads somewhere the site has.
    private static func linkProblems(_ environment: RenderEnvironment, outcome: PageOutcome, templatesDirectory: String) -> [Diagnostic] {
        let urls = environment.urls
        var files: Set<String> = [urls.basePath + "sitemap.xml", urls.basePath + "robots.txt", urls.basePath + "manifest.json",
                                  urls.basePath + "404.html", urls.siteFeed, urls.changesJSON, urls.consentConfig,
                                  urls.printStylesheet, urls.basePath + ".well-known/gpc.json"]
        let assetsDirectory = "\(templatesDirectory)/assets"
        for file in FileManager.default.enumerator(atPath: assetsDirectory)?.allObjects as? [String] ?? [] {
            files.insert(urls.basePath + "assets/" + file)
        }
        for (index, version) in environment.corpus.docs.enumerated() {
            files.formUnion(version.assets.map { urls.docsVersion(version.name) + $0 })
            if index > 0 { files.insert(urls.docsPage(version.name, DocsChangesPage.path) + "feed.xml") }
        }
        for document in environment.corpus.policies {
            files.formUnion(document.locales.map { urls.policyFeed(document.id, locale: $0) })
            files.insert(urls.policyFeed(document.id))
            files.formUnion(document.assets.map { urls.policy(document.id) + $0 })
        }
        let check = LinkCheck(basePath: urls.basePath, pages: Set(outcome.pages.map(\.path)), files: files,
                              anchors: outcome.anchors, severity: environment.site.brokenLinks)
        return check.problems(in: outcome.links)
    }

    /// [assets]: the stylesheet and scripts, docs images, files beside policy versions.
    private static func copyAssets(_ environment: RenderEnvironment, options: BuildOptions, staging: StagingDirectory,
                                   diagnostics: inout [Diagnostic]) throws -> Int {
        let urls = environment.urls
        var count = 0
        let assetsDirectory = "\(options.templatesDirectory)/assets"
        for file in (FileManager.default.enumerator(atPath: assetsDirectory)?.allObjects as? [String] ?? []).sorted() {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: "\(assetsDirectory)/\(file)", isDirectory: &isDirectory)
            if !exists || isDirectory.boolValue || file.hasPrefix(".") { continue }
            try staging.copy(from: "\(assetsDirectory)/\(file)", to: "assets/\(file)")
            count += 1
        }
        if !FileManager.default.fileExists(atPath: "\(assetsDirectory)/style.css") {
            diagnostics.append(.warning("\(assetsDirectory)/style.css", line: nil, "no stylesheet: pages will be unstyled"))
        }
        for version in environment.corpus.docs {
            for asset in version.assets {
                try staging.copy(from: "\(version.directory)/\(asset)", to: "docs/\(version.name)/\(asset)")
                count += 1
            }
        }
        for document in environment.corpus.policies {
            for asset in document.assets {
                try staging.copy(from: "\(document.directory)/\(asset)", to: urls.outputFile(forPath: urls.policy(document.id) + asset))
                count += 1
            }
        }
        return count
    }

    /// [assets] and [files]: stylesheet and docs images, sitemap, robots.txt, manifest.json.
    private static func writeSiteFiles(_ environment: RenderEnvironment, outcome: PageOutcome, changes: PolicyChanges,
                                       options: BuildOptions, diagnostics: inout [Diagnostic], asOf: [Day],
                                       withAssets: Bool = true) throws -> Int {
        let urls = environment.urls
        let generatedAt = options.generatedAt ?? "\(environment.now)T00:00:00Z"
        let feeds = Feeds(environment: environment, changes: changes)
        let consent = ConsentFiles(corpus: environment.corpus, urls: urls, now: environment.now)
        var manifest = SiteFiles.manifest(
            corpus: environment.corpus, urls: urls, now: environment.now, generatedAt: generatedAt,
            policyHashes: outcome.hashes.policies, docsHashes: outcome.hashes.docs, feeds: feeds)
        manifest.consent = consent.manifestSection
        if !asOf.isEmpty { manifest.asOf = asOf }
        guard let staging = environment.staging else { return outcome.pages.count }
        var count = outcome.pages.count
        if withAssets { count += try copyAssets(environment, options: options, staging: staging, diagnostics: &diagnostics) }
        try staging.write(SiteFiles.sitemap(outcome.pages, urls: urls), to: "sitemap.xml")
        try staging.write(SiteFiles.robots(urls: urls), to: "robots.txt")
        try staging.write(try manifest.encoded(), to: "manifest.json")
        for document in environment.corpus.publishedPolicies {
            try staging.write(feeds.atom(for: document), to: urls.outputFile(forPath: urls.policyFeed(document.id)))
        }
        try staging.write(feeds.atom(for: nil), to: urls.outputFile(forPath: urls.siteFeed))
        for document in environment.corpus.publishedPolicies {
            for locale in document.locales {
                let feed = TranslationFeed(environment: environment, document: document, locale: locale).atom()
                try staging.write(feed, to: urls.outputFile(forPath: urls.policyFeed(document.id, locale: locale)))
            }
        }
        try staging.write(try feeds.json(generatedAt: generatedAt), to: urls.outputFile(forPath: urls.changesJSON))
        try staging.write(try consent.bannerConfig(), to: urls.outputFile(forPath: urls.consentConfig))
        try staging.write(consent.gpcDeclaration(), to: ".well-known/gpc.json")
        try staging.write(PrintStylesheet.css(urls: urls), to: urls.outputFile(forPath: urls.printStylesheet))
        return count + 8 + environment.corpus.policies.count
    }
}

/// The wall time of each step of one build, for `build --timings`.
struct StepClock {
    private(set) var steps: [(step: String, seconds: Double)] = []
    private var last = DispatchTime.now().uptimeNanoseconds

    mutating func mark(_ step: String) {
        let now = DispatchTime.now().uptimeNanoseconds
        steps.append((step, Double(now - last) / 1e9))
        last = now
    }
}
