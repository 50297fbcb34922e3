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
    public let stage: BuildStep
    public let diagnostics: [Diagnostic]
    /// The step's name, as `--timings` prints it.
    public var step: String { stage.rawValue }

    init(_ stage: BuildStep, _ diagnostics: [Diagnostic]) {
        self.stage = stage
        self.diagnostics = diagnostics
    }

    public var description: String {
        let errors = diagnostics.errors.count
        return "build failed in step '\(step)': \(errors) error\(errors == 1 ? "" : "s")"
    }
}

/// The steps of a build, in order: what `--timings` lists and what a failed build names.
public enum BuildStep: String, Sendable {
    case inputs, cacheIn = "cache-in", content, templates, load, diff, render, links, search, files, asOf = "as-of", cache, publish
}

/// The wall time of each step of one build, for `build --timings`.
struct StepClock {
    private(set) var steps: [(step: String, seconds: Double)] = []
    private var last = DispatchTime.now().uptimeNanoseconds

    mutating func mark(_ step: BuildStep) {
        let now = DispatchTime.now().uptimeNanoseconds
        steps.append((step.rawValue, Double(now - last) / 1e9))
        last = now
    }
}
