import Foundation
import RedlineContent

/// "Last updated" for docs pages: the day of the last commit that changed the file when the
/// content is in git (a checkout's modification times are only the day it was cloned), else the
/// file's modification time; nothing at all with `--reproducible`, so a build is a function of
/// the files' contents.
struct LastUpdated: Sendable {
    /// By absolute path, the day of the newest commit that touched the file.
    private let committed: [String: Day]
    private let enabled: Bool

    static let disabled = LastUpdated(committed: [:], enabled: false)

    private init(committed: [String: Day], enabled: Bool) {
        self.committed = committed
        self.enabled = enabled
    }

    /// Reads the history of the content folder with one `git log`, when it is in a work tree.
    static func read(contentDirectory: String) -> LastUpdated {
        guard let top = Git.run(["rev-parse", "--show-toplevel"], in: contentDirectory)?
            .trimmingCharacters(in: .whitespacesAndNewlines), !top.isEmpty else {
            return LastUpdated(committed: [:], enabled: true)
        }
        // %x01 marks a commit's line; the names it changed follow, newest commit first.
        let log = Git.run(["-c", "core.quotepath=off", "log", "--format=%x01%ct", "--name-only", "--no-renames", "--", "."],
                          in: contentDirectory) ?? ""
        var committed: [String: Day] = [:]
        var day: Day?
        for line in log.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.first == "\u{1}" {
                day = Double(line.dropFirst()).map { Day(secondsSince1970: $0) }
            } else if let day {
                let path = URL(fileURLWithPath: top).appendingPathComponent(String(line)).standardizedFileURL.path
                if committed[path] == nil { committed[path] = day }
            }
        }
        return LastUpdated(committed: committed, enabled: true)
    }

    /// The day `source` last changed, or nil with `--reproducible`.
    func day(of source: SourceFile) -> Day? {
        guard enabled else { return nil }
        let path = URL(fileURLWithPath: source.absolutePath).standardizedFileURL.resolvingSymlinksInPath().path
        if let day = committed[path] ?? committed[URL(fileURLWithPath: source.absolutePath).standardizedFileURL.path] {
            return day
        }
        // Not committed yet (or no git): when it was last saved.
        guard let modified = (try? FileManager.default.attributesOfItem(atPath: source.absolutePath))?[.modificationDate] as? Date else {
            return nil
        }
        return Day(secondsSince1970: modified.timeIntervalSince1970)
    }
}

/// `git`, run read-only on the content folder; nil when git is missing or the folder is not in a work tree.
enum Git {
    static func run(_ arguments: [String], in directory: String) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // No hooks or helpers of the repository's own configuration run for these commands;
        // these two settings cover the ones read-only commands could start.
        process.arguments = ["git", "-C", directory, "-c", "core.fsmonitor=false", "-c", "core.pager=cat", "--no-pager"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// The commit the content folder's work tree is at, so that a new commit (which changes
    /// "last updated" but no file) is a new build input.
    static func head(of directory: String) -> String {
        run(["rev-parse", "HEAD"], in: directory)?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "-"
    }
}
