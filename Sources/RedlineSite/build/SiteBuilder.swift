import Foundation
import RedlineContent

/// Turns `content/` into a static site as a pipeline of named steps (``BuildStep``).
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
        var build = BuildRun(options: options, write: write)
        if let unchanged = build.unchangedSinceLastBuild() { return unchanged }
        // Python loads Pygments while the content is read (highlighting starts at rendering).
        let highlighting = PygmentsHighlighter.launch()
        let loaded = try build.load()
        let environment = try build.prepare(loaded, highlighting: highlighting)
        do {
            let changes = try build.diff(environment)
            var outcome = try build.render(environment, changes: changes)
            // Counted before the upcoming days' pages, which reuse pages too.
            let reusedPages = environment.cache?.reusedPages ?? 0
            try build.checkLinks(environment, changes: changes, outcome: outcome)
            try build.search(environment, outcome: &outcome)
            let fileCount = try build.writeFiles(environment, changes: changes, outcome: outcome)
            try build.writeUpcomingDays(environment, changes: changes, base: outcome)
            try build.saveCache(environment)
            try build.publish()
            return build.report(pageCount: outcome.pages.count, fileCount: fileCount, reusedPages: reusedPages)
        } catch let failure as BuildFailure {
            build.discard()
            throw failure
        } catch {
            build.discard()
            throw BuildFailure(.publish, build.diagnostics + [.error(options.outputDirectory, line: nil, error.localizedDescription)])
        }
    }
}
