import ArgumentParser
import Foundation
import RedlineContent
import RedlineSite

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build the static site from content/ into public/.",
        discussion: "The output folder is replaced only when the whole build succeeds."
    )

    @OptionGroup var options: ContentOptions

    @Option(help: "The output folder, replaced as a whole.")
    var output = "public"

    @Option(name: .customLong("base-url"), help: ArgumentHelp("Overrides site.yaml's baseURL, e.g. http://127.0.0.1:8080/.", valueName: "URL"))
    var baseURL: String?

    @Flag(name: .customLong("search-all-versions"),
          help: "Index archived and upcoming policy versions and older docs versions for search too, not only the current ones.")
    var searchAllVersions = false

    @Flag(help: "Build versions marked 'draft: true' too, each marked DRAFT; they stay out of the manifest, feeds, sitemap and search. For previews only.")
    var drafts = false

    @Flag(help: "Build even when no content, template or option changed since the last build into the output folder.")
    var force = false

    @Flag(help: "Leave out docs pages' \"Last updated\" (from git or file times), so that the same files always build the same bytes.")
    var reproducible = false

    @Flag(help: "Print how long each step of the build took, on standard error.")
    var timings = false

    @Flag(name: .shortAndLong, help: "Print only problems.")
    var quiet = false

    func run() throws {
        let started = Date()
        var buildOptions = BuildOptions(contentDirectory: options.content, outputDirectory: output,
                                        templatesDirectory: options.templates, now: options.day, baseURL: baseURL)
        buildOptions.searchAllVersions = searchAllVersions
        buildOptions.drafts = drafts
        buildOptions.force = force
        buildOptions.reproducible = reproducible
        do {
            let report = try SiteBuilder.build(buildOptions)
            Console.report(report.diagnostics)
            if timings {
                for (step, seconds) in report.timings {
                    let line = step.padding(toLength: 8, withPad: " ", startingAt: 0) + String(format: " %7.3f s\n", seconds)
                    FileHandle.standardError.write(Data(line.utf8))
                }
            }
            if report.upToDate {
                if !quiet { print("\(output) is up to date: no content, template or option changed since it was built.") }
                return
            }
            if !quiet {
                let seconds = String(format: "%.2f", Date().timeIntervalSince(started))
                let warnings = report.diagnostics.warnings.count
                let folder = output.hasSuffix("/") ? output : output + "/"
                let unchanged = report.reusedPages > 0 ? " (\(report.reusedPages) unchanged since the last build)" : ""
                print("Built \(Console.count(report.pageCount, "page"))\(unchanged) into \(folder) for \(buildOptions.now) in \(seconds) s"
                      + (drafts ? " with drafts (preview only: do not publish this folder)" : "")
                      + (warnings > 0 ? " (\(Console.count(warnings, "warning")))" : ""))
            }
        } catch {
            Console.report(error.diagnostics)
            Console.printError(error.description)
            throw ExitCode(1)
        }
    }
}

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate content and templates as build would, without writing anything."
    )

    @OptionGroup var options: ContentOptions

    @Flag(help: "Treat warnings (an editorial version that looks material, a short notice period) as errors.")
    var strict = false

    func run() throws {
        var buildOptions = BuildOptions(contentDirectory: options.content, outputDirectory: "/dev/null",
                                        templatesDirectory: options.templates, now: options.day)
        buildOptions.strict = strict
        do {
            let report = try SiteBuilder.check(buildOptions)
            Console.report(report.diagnostics)
            let warnings = report.diagnostics.warnings.count
            print("\(options.content): OK, \(Console.count(report.pageCount, "page")) would be built"
                  + (warnings > 0 ? " (\(Console.count(warnings, "warning")))" : ""))
        } catch {
            Console.report(error.diagnostics)
            Console.printError("\(options.content): \(Console.count(error.diagnostics.errors.count, "error")), \(Console.count(error.diagnostics.warnings.count, "warning"))")
            throw ExitCode(1)
        }
    }
}
