import Foundation
import RedlineContent
import RedlineManifest
import RedlineMarkdown

/// One build as it goes through its steps: what it has found so far, and what it writes into.
/// Each step marks its time and, when it found errors, throws naming itself.
struct BuildRun {
    let options: BuildOptions
    /// false for `redline check`: every step but writing.
    let write: Bool
    private(set) var diagnostics: [Diagnostic] = []
    private var clock = StepClock()
    private let lock: BuildLock?
    private var inputs = ""
    private var previous: PageCache.Contents?
    private var memo: ParseMemo?
    private var staging: StagingDirectory?
    private var protected: [String] { [options.contentDirectory, options.templatesDirectory] }

    init(options: BuildOptions, write: Bool) {
        self.options = options
        self.write = write
        lock = write ? BuildLock(output: options.outputDirectory, protecting: [options.contentDirectory, options.templatesDirectory]) : nil
    }

    /// [inputs]: the last build's report when nothing changed since it, so its output is still exact.
    mutating func unchangedSinceLastBuild() -> BuildReport? {
        // A build killed while moving its files in is finished first, so the output is whole again.
        if write { StagingDirectory.finishInterruptedBuilds(of: options.outputDirectory) }
        inputs = write ? BuildInputs.digest(options) : ""
        clock.mark(.inputs)
        if write, !options.force, let state = BuildInputs.recorded(in: options.outputDirectory), state.inputs == inputs,
           StagingDirectory.isOwnOutput(options.outputDirectory) {
            return BuildReport(pageCount: 0, fileCount: 0, diagnostics: state.diagnostics, upToDate: true)
        }
        // With the last build's cache, only what changed is parsed, rendered and written; without
        // it (or with --force), the whole site is built into a new folder.
        previous = write && !options.force && StagingDirectory.isOwnOutput(options.outputDirectory)
            ? PageCache.load(from: options.outputDirectory) : nil
        memo = write ? ParseMemo(previous: previous?.parsed ?? [:]) : nil
        clock.mark(.cacheIn)
        return nil
    }

    /// [load] and [templates]: the content and the templates, both read before stopping so that
    /// an editor sees every problem at once; then what is checked across the whole corpus.
    mutating func load() throws(BuildFailure) -> LoadedSite {
        var (corpus, found) = ContentLoader.load(contentDirectory: options.contentDirectory, memo: memo)
        clock.mark(.content)
        found += SymlinkAudit.problems(in: options.contentDirectory)
        let (templates, loadedTemplates) = TemplateSet.load(directory: options.templatesDirectory)
        let templateProblems = loadedTemplates + SymlinkAudit.problems(in: options.templatesDirectory)
        diagnostics += found + templateProblems
        let baseURL = try self.baseURL(default: corpus?.site.baseURL)
        clock.mark(.load)
        guard var corpus, let templates, let baseURL, !diagnostics.hasErrors else {
            // Name the step that failed: [templates] only when every error is a template's.
            let onlyTemplateErrors = templateProblems.hasErrors && diagnostics.errors.allSatisfy(templateProblems.contains)
            throw BuildFailure(onlyTemplateErrors ? .templates : .load, diagnostics)
        }
        // `check` looks at drafts too, so an editor hears about a draft's problems before preview.
        if write && !options.drafts { corpus = corpus.withoutDrafts }
        diagnostics += CookieTable.problems(corpus, siteFile: "\(options.contentDirectory)/\(SiteConfig.fileName)")
        diagnostics += TranslationReview.review(corpus, now: options.now)
        // OpenAPI files become reference pages (and their problems, errors that stop the build).
        let (withReferences, apiReferences, referenceProblems) = APIReference.load(corpus)
        corpus = withReferences
        diagnostics += referenceProblems
        // [load] was timed above, before the checks across the corpus.
        if diagnostics.hasErrors { throw BuildFailure(.load, diagnostics) }
        if options.baseURL != nil {
            var site = corpus.site
            site.baseURL = baseURL
            corpus = Corpus(site: site, policies: corpus.policies, docs: corpus.docs)
        }
        return LoadedSite(corpus: corpus, templates: templates, apiReferences: apiReferences)
    }

    /// What [load] gives the rest of the build.
    struct LoadedSite {
        let corpus: Corpus
        let templates: TemplateSet
        /// Each docs version's API reference, by version name.
        let apiReferences: [String: APIReference]
    }

    /// site.yaml's base URL, or `--base-url`'s when given.
    private func baseURL(default siteBaseURL: String?) throws(BuildFailure) -> String? {
        guard let override = options.baseURL else { return siteBaseURL }
        guard let normalized = SiteConfig.normalizedBaseURL(override) else {
            throw BuildFailure(.load, diagnostics + [.error("--base-url", line: nil, "must be an absolute http:// or https:// URL, not '\(override)'")])
        }
        return normalized
    }

    /// The folder the build writes into, the highlighter, and everything pages are rendered with.
    mutating func prepare(_ loaded: LoadedSite, highlighting: consuming PygmentsHighlighter.Launch) throws(BuildFailure) -> RenderEnvironment {
        let corpus = loaded.corpus
        do {
            if !write {
                staging = nil
            } else if let previous {
                staging = try StagingDirectory(updating: options.outputDirectory, protecting: protected, previousFiles: Set(previous.files))
            } else {
                staging = try StagingDirectory(outputPath: options.outputDirectory, protecting: protected)
            }
        } catch {
            throw BuildFailure(.publish, diagnostics + [.error(options.outputDirectory, line: nil, "\(error)")])
        }
        let (highlighter, highlighterProblem) = highlighting.ready()
        if let highlighterProblem {
            diagnostics.append(.warning("python3", line: nil, "code blocks are not highlighted: \(highlighterProblem)"))
        }
        return RenderEnvironment(
            corpus: corpus, templates: loaded.templates, urls: SiteURLs(baseURL: corpus.site.baseURL, basePath: corpus.site.basePath),
            now: options.now, markdown: MarkdownRenderer(allowRawHTML: corpus.site.allowRawHTML, highlighter: highlighter),
            staging: staging, searchAllVersions: options.searchAllVersions,
            cache: write ? PageCache(previous: previous) : nil,
            renderInputs: write ? RenderKeys.staticInputs(options, highlighter: highlighter?.identity ?? "none") : "",
            contentDirectory: options.contentDirectory, apiReferences: loaded.apiReferences,
            lastUpdated: options.reproducible ? .disabled : LastUpdated.read(contentDirectory: options.contentDirectory))
    }

    /// [diff]: every version compared with the one before it, and what the comparisons say to check.
    mutating func diff(_ environment: RenderEnvironment) throws(BuildFailure) -> PolicyChanges {
        let (changes, problems) = PolicyChanges.compute(environment)
        diagnostics += problems + ChangeReview.review(changes, site: environment.site)
        if options.strict { diagnostics = diagnostics.map(\.asError) }
        try stopOnErrors(.diff)
        return changes
    }

    /// [render]: every page of every kind, in parallel.
    mutating func render(_ environment: RenderEnvironment, changes: PolicyChanges) throws(BuildFailure) -> PageOutcome {
        let outcome = SitePages.render(PageSource(environment: environment, changes: changes))
        // Rendering warns too (a callout kind that does not exist): --strict refuses those as well.
        diagnostics += options.strict ? outcome.diagnostics.map(\.asError) : outcome.diagnostics
        try stopOnErrors(.render)
        return outcome
    }

    /// [links]: every link and image written in a policy or a docs page leads somewhere the site has.
    mutating func checkLinks(_ environment: RenderEnvironment, changes: PolicyChanges, outcome: PageOutcome) throws(BuildFailure) {
        let files = SiteOutputs(environment: environment, changes: changes, templatesDirectory: options.templatesDirectory).all().map(\.path)
        let check = LinkCheck(basePath: environment.urls.basePath, pages: Set(outcome.pages.map(\.path)), files: Set(files),
                              anchors: outcome.anchors, severity: environment.site.brokenLinks)
        diagnostics += check.problems(in: outcome.links)
        try stopOnErrors(.links)
    }

    /// [search]: the index and the search pages.
    mutating func search(_ environment: RenderEnvironment, outcome: inout PageOutcome) throws(BuildFailure) {
        let search = SearchOutput(environment: environment, entries: outcome.search).write()
        outcome.pages += search.pages
        diagnostics += search.diagnostics
        try stopOnErrors(.search)
    }

    /// [files]: every file that is not a page (``SiteOutputs``); returns how many files the site has.
    mutating func writeFiles(_ environment: RenderEnvironment, changes: PolicyChanges, outcome: PageOutcome) throws -> Int {
        defer { clock.mark(.files) }
        if !FileManager.default.fileExists(atPath: "\(options.templatesDirectory)/assets/style.css") {
            diagnostics.append(.warning("\(options.templatesDirectory)/assets/style.css", line: nil, "no stylesheet: pages will be unstyled"))
        }
        let outputs = SiteOutputs(environment: environment, changes: changes, templatesDirectory: options.templatesDirectory)
        let pages = FinishedPages(outcome: outcome, generatedAt: generatedAt(environment), asOf: upcomingDays(environment.corpus))
        guard let staging else {
            // `check` makes the files it cannot write too, so that it fails where a build would.
            for case let .made(make) in outputs.all(withAssets: false).map(\.contents) { _ = try make(pages) }
            return outcome.pages.count
        }
        return outcome.pages.count + (try outputs.write(pages, to: staging))
    }

    /// The manifest's `generatedAt`: `--generated-at`, or midnight UTC of the day the site is for.
    private func generatedAt(_ environment: RenderEnvironment) -> String {
        options.generatedAt ?? "\(environment.now)T00:00:00Z"
    }

    /// The next effective dates of published versions, at most `limit`: on each, what is current,
    /// archived and upcoming changes, so the build writes the site as it will be then.
    func upcomingDays(_ corpus: Corpus, limit: Int = 8) -> [Day] {
        guard write else { return [] }
        return Array(Set(corpus.policies.flatMap { $0.versions.map(\.effective) }.filter { $0 > options.now }).sorted().prefix(limit))
    }

    /// [as-of]: the pages that change with the day, the feeds, manifest, banner config, sitemap and
    /// search index as they will be on each upcoming day, under `.redline/as-of/<day>/`. Docs pages
    /// are not written again: the server falls back to the site's own.
    mutating func writeUpcomingDays(_ environment: RenderEnvironment, changes: PolicyChanges, base: PageOutcome) throws {
        defer { clock.mark(.asOf) }
        guard let staging else { return }
        for day in upcomingDays(environment.corpus) {
            let view = StagingDirectory(viewOf: staging, subfolder: "\(Manifest.asOfFolder)/\(day)")
            let later = environment.on(day, writingTo: view)
            var outcome = SitePages.render(PageSource(environment: later, changes: changes, withDocs: false), dayDependentOnly: true)
            let docsPrefix = later.urls.basePath + "docs/"
            let docsSearch = base.search.filter { $0.group == .latestDocs || $0.group == .otherDocsVersion }
            let search = SearchOutput(environment: later, entries: outcome.search + docsSearch).write()
            outcome.pages += search.pages + base.pages.filter { $0.path.hasPrefix(docsPrefix) }
            // The docs pages are the site's own, and so are their hashes in this day's manifest.
            outcome.hashes.docs = base.hashes.docs
            let pages = FinishedPages(outcome: outcome, generatedAt: generatedAt(later), asOf: [])
            _ = try SiteOutputs(environment: later, changes: changes, templatesDirectory: options.templatesDirectory)
                .write(pages, to: view, withAssets: false)
        }
    }

    /// [cache]: what the next build needs to redo only what changes.
    mutating func saveCache(_ environment: RenderEnvironment) throws {
        defer { clock.mark(.cache) }
        guard let staging, let cache = environment.cache, let memo else { return }
        try staging.write(BuildInputs.State(inputs: inputs, warnings: diagnostics.warnings).json, to: BuildInputs.stateFile)
        try staging.write(cache.contents(files: staging.files + [PageCache.file], parsed: memo.entries), to: PageCache.file)
    }

    /// [publish]: the finished build in place of the output.
    mutating func publish() throws {
        try staging?.publish()
        clock.mark(.publish)
    }

    func discard() { staging?.discard() }

    func report(pageCount: Int, fileCount: Int, reusedPages: Int) -> BuildReport {
        var report = BuildReport(pageCount: pageCount, fileCount: fileCount, diagnostics: diagnostics)
        report.timings = clock.steps
        report.reusedPages = reusedPages
        return report
    }

    private mutating func stopOnErrors(_ step: BuildStep) throws(BuildFailure) {
        if diagnostics.hasErrors { throw BuildFailure(step, diagnostics) }
        clock.mark(step)
    }
}
