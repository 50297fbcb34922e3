import ArgumentParser
import Foundation
import Logging
import RedlineContent
import RedlineServer
import RedlineSite
import ServiceLifecycle

/// `redline preview`: build with drafts into a temporary folder, serve it, rebuild on every
/// change to content/ or templates/, and reload the open pages.
struct PreviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Serve a live preview, drafts included, that rebuilds and reloads the page as you edit.",
        discussion: """
            Builds into a temporary folder (removed on exit), never into public/. Problems are printed as \
            path:line: message and shown over the page; the last good build stays served. Not for production.
            """)

    @OptionGroup var options: ContentOptions

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port = 8081

    func run() async throws {
        if let problem = PortCheck.problem(host: host, port: port) {
            Console.printError("error: cannot listen on \(host):\(port): \(problem)")
            throw ExitCode.failure
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("redline-preview-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }

        LoggingSystem.bootstrap { LineLogHandler(label: $0) }
        var logger = Logger(label: "redline-preview")
        logger.logLevel = .warning
        let events = PreviewEvents()
        let builder = PreviewBuilder(options: options, output: "\(folder)/site", baseURL: "http://\(host):\(port)/", events: events)
        builder.rebuild()
        let app = PreviewServer.make(site: SiteFolder(path: "\(folder)/site"), events: events, host: host, port: port, logger: logger)
        Console.say("Previewing \(options.content) with drafts on http://\(host):\(port)/ (Ctrl-C to stop); pages reload as you save.")
        var configuration = ServiceGroupConfiguration(
            services: [app, ContentWatcher(builder: builder, folders: [options.content, options.templates]), ShutdownDeadline(deadline: .seconds(3), logger: logger)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        configuration.maximumGracefulShutdownDuration = .seconds(2)
        try await ServiceGroup(configuration: configuration).run()
        events.finish()
    }
}

/// One full build with drafts into the preview's folder; reports to the terminal and the pages.
final class PreviewBuilder: Sendable {
    let options: BuildOptions
    let events: PreviewEvents

    init(options content: ContentOptions, output: String, baseURL: String, events: PreviewEvents) {
        var options = BuildOptions(contentDirectory: content.content, outputDirectory: output, templatesDirectory: content.templates,
                                   now: content.day, baseURL: baseURL)
        options.drafts = true
        self.options = options
        self.events = events
    }

    func rebuild() {
        let started = Date()
        do {
            let report = try SiteBuilder.build(options)
            Console.report(report.diagnostics.warnings)
            Console.say("Rebuilt \(Console.count(report.pageCount, "page")) in \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
            events.reloaded()
        } catch {
            Console.report(error.diagnostics)
            Console.printError(error.description)
            events.failed((error.diagnostics.errors.map(\.description) + [error.description]).joined(separator: "\n"))
        }
    }
}

/// Rebuilds when something under the content or templates folder changed: told by the kernel's
/// file events where it has them, found by comparing the inputs' digest (every file's path, size,
/// time and mode) otherwise. A change is rebuilt once the burst of writes an editor's save makes is over.
struct ContentWatcher: Service {
    let builder: PreviewBuilder
    let folders: [String]
    var interval: Duration = .milliseconds(40)
    var pollingInterval: Duration = .milliseconds(250)

    func run() async throws {
        let events = FolderEvents(folders: folders)
        await cancelWhenGracefulShutdown {
            var last = SiteBuilder.inputsDigest(builder.options)
            while !Task.isCancelled {
                if let events {
                    try? await Task.sleep(for: interval)
                    guard events.changed() else { continue }
                    // Editors save in several steps (write a temporary file, rename it): wait for the last.
                    repeat { try? await Task.sleep(for: interval) } while events.changed()
                } else {
                    try? await Task.sleep(for: pollingInterval)
                }
                let now = SiteBuilder.inputsDigest(builder.options)
                if now != last {
                    last = now
                    builder.rebuild()
                }
            }
        }
    }
}
