import ArgumentParser
import RedlineConsent
import RedlineNotices
import RedlineStores
import RedlineNotices
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

/// `--db`, for the commands that work on redline serve's database directly.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "The database of redline serve: a SQLite file, or a postgres:// URL.")
    var db: String

    /// Opens the database for the length of the command (the process ends with it).
    func noticeStore() async throws -> any NoticeStore {
        try await StoreDatabase.open(db).noticeStore()
    }
}
