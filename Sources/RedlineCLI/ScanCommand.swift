import ArgumentParser
import Foundation
import Hummingbird
import Logging
import RedlineScan
import RedlineServer
import ServiceLifecycle
import Synchronization

/// `redline scan`: the built site in headless Chromium, through its real banner, against its declarations.
struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Check in headless Chromium that the built site sets only the cookies and loads only the third parties site.yaml declares, and nothing optional before consent or after a refusal.",
        discussion: """
            Serves the site on a free loopback port with a throwaway consent database, then visits every page of its \
            sitemap four times through the real cookie banner: before any choice, after reject-all, after accept-all, \
            and after withdrawing. Needs Debian's chromium and chromium-driver (REDLINE_CHROMIUM and REDLINE_CHROMEDRIVER \
            name other programs). Exit status 0 when nothing is found, 1 on findings, 2 when the site could not be scanned.
            """)

    @Option(help: "The built site (redline build's output).")
    var site = "public"

    @Option(help: ArgumentHelp("Visit only the first N pages of the sitemap.", valueName: "N"))
    var pages: Int?

    @Flag(help: "Print the report as JSON (fields in README.md, \"Scanning\").")
    var json = false

    func validate() throws {
        if let pages, pages < 1 { throw ValidationError("--pages must be 1 or more, not \(pages)") }
    }

    func run() async throws {
        let report: ScanReport
        do {
            report = try await scan()
        } catch {
            Console.printError("redline scan: error: \(ServeCommand.oneLine(error))")
            throw ExitCode(2)
        }
        Console.say(json ? try report.json() : report.text())
        if !report.clean { throw ExitCode.failure }
    }

    /// Serves the site in this process, scans it, and stops the server; everything it started
    /// (chromedriver, Chromium) is stopped and the temporary folder removed, also on an error or a signal.
    private func scan() async throws -> ScanReport {
        let chromium = try Chromium.locate()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("redline-scan-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var logger = Logger(label: "redline-scan")
        logger.logLevel = .error
        let server = try await ScanServer.open(site: site, folder: folder, logger: logger)
        var scanner = SiteScanner(site: LoopbackHTTP(port: server.port), chromium: chromium, folder: folder, pageLimit: pages)
        if isatty(STDERR_FILENO) == 1 { scanner.progress = { Console.printError("redline scan: \($0)") } }
        return try await server.run(scanner, logger: logger)
    }
}

/// `redline serve` in this process, for the length of one scan: the site, the consent API and
/// a consent database of its own in the scan's temporary folder, on a free loopback port.
struct ScanServer {
    let port: Int
    let settings: ServerSettings
    let parts: ServerApplication.Parts

    static func open(site: String, folder: String, logger: Logger) async throws -> ScanServer {
        var settings = ServerSettings()
        settings.siteDirectory = site
        settings.databasePath = folder + "/consent.sqlite"
        settings.mailDirectory = folder + "/outbox"
        settings.host = "127.0.0.1"
        settings.port = try LoopbackHTTP.freePort()
        settings.rateLimitPerMinute = 0
        settings.logLevel = .error
        settings.shutdownTimeout = .seconds(2)
        let parts = try await ServerApplication.open(settings, logger: logger)
        do {
            try await parts.checkpoints.resume(keyring: parts.keyring)
        } catch {
            await parts.database.close()
            throw error
        }
        return ScanServer(port: settings.port, settings: settings, parts: parts)
    }

    /// Runs the server and the scan side by side: the scan's end stops the server, and SIGINT or
    /// SIGTERM stops both (the scan's cleanup stops the browser).
    func run(_ scanner: SiteScanner, logger: Logger) async throws -> ScanReport {
        defer { ChildProcess.stopAll() }
        let outcome = ScanService(scanner: scanner, site: LoopbackHTTP(port: port, timeout: .seconds(5)))
        do {
            let app = try ServerApplication.make(settings, parts: parts, logger: logger)
            var configuration = ServiceGroupConfiguration(
                services: [.init(service: app),
                           .init(service: outcome, successTerminationBehavior: .gracefullyShutdownGroup,
                                 failureTerminationBehavior: .gracefullyShutdownGroup)],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            configuration.maximumGracefulShutdownDuration = .seconds(5)
            try await ServiceGroup(configuration: configuration).run()
        } catch {
            await parts.database.close()
            throw error
        }
        await parts.database.close()
        return try outcome.result()
    }
}

/// The scan as a service beside the server: it waits for the server to answer, scans, and keeps the outcome.
final class ScanService: Service {
    let scanner: SiteScanner
    let site: LoopbackHTTP
    private let outcome = Mutex<Result<ScanReport, any Error>?>(nil)

    init(scanner: SiteScanner, site: LoopbackHTTP) {
        self.scanner = scanner
        self.site = site
    }

    func run() async throws {
        let result: Result<ScanReport, any Error>
        do {
            result = .success(try await cancelWhenGracefulShutdown {
                try await self.waitForServer()
                return try await self.scanner.scan()
            })
        } catch is CancellationError {
            result = .failure(ScanError("interrupted"))
        } catch {
            result = .failure(error)
        }
        outcome.withLock { $0 = result }
    }

    func result() throws -> ScanReport {
        guard let result = outcome.withLock({ $0 }) else { throw ScanError("the site's server stopped before the scan ended") }
        return try result.get()
    }

    private func waitForServer() async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(60)
        while clock.now < deadline {
            if let answer = try? await site.get("/healthz"), answer.status == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ScanError("the site's server did not answer on port \(site.port) within 60 s")
    }
}
