import ArgumentParser
import RedlineConsent
import RedlineNotices
import RedlineServer
import RedlineStores
import Foundation
import RedlineContent

/// Options shared by the commands that read content.
struct ContentOptions: ParsableArguments {
    @Option(help: "The content folder: site.yaml, policies/, docs/.")
    var content = "content"

    @Option(help: "The templates folder.")
    var templates = "templates"

    @Option(help: ArgumentHelp("The day to build for, YYYY-MM-DD: decides what is current and what is upcoming.", valueName: "YYYY-MM-DD"))
    var now: String?

    func validate() throws {
        if let now, Day(now) == nil {
            throw ValidationError("--now must be a date as YYYY-MM-DD, not '\(now)'")
        }
    }

    /// `--now`, or the clock's day: read once per command (a build that runs past midnight keeps its day).
    var day: Day {
        now.flatMap { Day($0) } ?? Day(secondsSince1970: Date().timeIntervalSince1970)
    }
}

/// Writes diagnostics the way compilers do, in colour when stderr is a terminal.
enum Console {
    static let colour = isatty(STDERR_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil

    static func report(_ diagnostics: [Diagnostic]) {
        for diagnostic in diagnostics.sortedByLocation() {
            var line = diagnostic.description
            if colour {
                let label = "\(diagnostic.severity.rawValue):"
                let painted = diagnostic.severity == .error ? "\u{1B}[1;31m\(label)\u{1B}[0m" : "\u{1B}[1;33m\(label)\u{1B}[0m"
                line = line.replacingOccurrences(of: " \(label) ", with: " \(painted) ")
            }
            printError(line)
        }
    }

    /// A line on standard output, written at once: a long-running command's log is read as it goes.
    static func say(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    static func count(_ n: Int, _ noun: String) -> String {
        "\(n) \(noun)\(n == 1 ? "" : "s")"
    }
}

/// `--db` and `--config`, for the commands that work on redline serve's database directly. They
/// read the same settings as `redline serve` (flag over `REDLINE_*` over the `--config` file), so
/// a command run beside a server finds its database, site, templates and mail server alike.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "redline serve's settings file (YAML, or JSON when it ends in .json); flags and REDLINE_* variables win over it.")
    var config: String?

    @Option(help: "The database of redline serve: a SQLite file, or a postgres:// URL. [REDLINE_DB, or db: in --config]")
    var db: String?

    @Option(help: "Seconds to wait for PostgreSQL before giving up. [REDLINE_DB_TIMEOUT, default: 10]")
    var dbTimeout: Double?

    /// redline serve's settings as this command sees them: the database and its timeout, the keys, the site,
    /// the templates and the mail settings, each from its flag, variable or the `--config` file.
    func settings(site: String? = nil, templates: String? = nil, mailDir: String? = nil) async throws -> ServerSettings {
        let flags = SettingFlags([.db: db, .dbTimeout: dbTimeout, .site: site, .templates: templates, .mailDir: mailDir])
        let layers = try await SettingLayers.forCommand(flags: flags, file: config)
        guard layers.value(.db) != nil else {
            throw ValidationError("give --db FILE|URL, REDLINE_DB, or a --config file that names db:")
        }
        return try ServerSettings(reading: layers, keys: SettingKey.databaseCommandKeys)
    }

    /// The database named by the flag, variable or file.
    func location() async throws -> String {
        try await settings().databasePath
    }

    /// Opens the database for the length of the command (the process ends with it).
    func open() async throws -> StoreDatabase {
        let settings = try await settings()
        return try await StoreDatabase.open(settings.databasePath, timeouts: settings.databaseTimeouts)
    }

    func noticeStore() async throws -> any NoticeStore {
        try await open().noticeStore()
    }
}
