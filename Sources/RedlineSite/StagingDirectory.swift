import Foundation

/// Builds go into a fresh folder beside the output and replace it only when complete,
/// so a failed or interrupted build never leaves a half-written site behind.
public final class StagingDirectory: Sendable {
    public let outputPath: String
    public let stagingPath: String

    /// Creates the staging folder next to `outputPath` (same file system, so the final rename is atomic).
    /// - Throws: when `outputPath` holds files that a previous build did not make: replacing them would destroy work.
    public init(outputPath: String) throws {
        let output = URL(fileURLWithPath: outputPath).standardizedFileURL
        self.outputPath = output.path
        let parent = output.deletingLastPathComponent().path
        let name = output.lastPathComponent
        try Self.refuseForeignOutput(output.path)
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        Self.removeLeftovers(in: parent, name: name)
        stagingPath = "\(parent)/.\(name).staging-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: stagingPath, withIntermediateDirectories: false)
    }

    /// Writes `data` at `relativePath` inside the staging folder, creating folders as needed.
    public func write(_ data: Data, to relativePath: String) throws {
        let url = URL(fileURLWithPath: "\(stagingPath)/\(relativePath)")
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    public func write(_ text: String, to relativePath: String) throws {
        try write(Data(text.utf8), to: relativePath)
    }

    /// Copies a file into the staging folder.
    public func copy(from source: String, to relativePath: String) throws {
        let destination = URL(fileURLWithPath: "\(stagingPath)/\(relativePath)")
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: source, toPath: destination.path)
    }

    /// Puts the finished build in place of the output folder.
    public func publish() throws {
        let fileManager = FileManager.default
        // A checked-in `.gitkeep` keeps the empty output folder in git; carry it over.
        let keep = "\(outputPath)/.gitkeep"
        if fileManager.fileExists(atPath: keep) {
            try? fileManager.copyItem(atPath: keep, toPath: "\(stagingPath)/.gitkeep")
        }
        guard fileManager.fileExists(atPath: outputPath) else {
            try fileManager.moveItem(atPath: stagingPath, toPath: outputPath)
            return
        }
        let retired = stagingPath.replacingOccurrences(of: ".staging-", with: ".retired-")
        try fileManager.moveItem(atPath: outputPath, toPath: retired)
        do {
            try fileManager.moveItem(atPath: stagingPath, toPath: outputPath)
        } catch {
            try? fileManager.moveItem(atPath: retired, toPath: outputPath)
            throw error
        }
        try? fileManager.removeItem(atPath: retired)
    }

    /// Throws the staging folder away; the output folder is untouched.
    public func discard() {
        try? FileManager.default.removeItem(atPath: stagingPath)
    }

    static func refuseForeignOutput(_ path: String) throws {
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw StagingError("\(path) exists and is not a folder") }
        let visible = try fileManager.contentsOfDirectory(atPath: path).filter { !$0.hasPrefix(".") }
        if !visible.isEmpty && !visible.contains("manifest.json") {
            throw StagingError("refusing to replace \(path): it holds files that redline build did not make (no manifest.json); choose an empty or new --output folder")
        }
    }

    /// Staging folders of builds that were killed before they finished.
    private static func removeLeftovers(in parent: String, name: String) {
        let fileManager = FileManager.default
        for entry in (try? fileManager.contentsOfDirectory(atPath: parent)) ?? [] {
            let prefixes = [".\(name).staging-", ".\(name).retired-"]
            guard let prefix = prefixes.first(where: entry.hasPrefix) else { continue }
            // Leave a build that is still running alone.
            let pidText = entry.dropFirst(prefix.count).prefix { $0 != "-" }
            if let pid = Int32(pidText), pid != getpid(), kill(pid, 0) == 0 { continue }
            try? fileManager.removeItem(atPath: "\(parent)/\(entry)")
        }
    }
}

public struct StagingError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
