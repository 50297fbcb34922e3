import CRedlineSystem
import Foundation

/// Builds go into a fresh folder beside the output and replace it only when complete,
/// so a failed or interrupted build never leaves a half-written site behind, and a server
/// reading the output folder sees the old site or the new one, never a missing folder.
///
/// Only a folder that Redline made is ever replaced: it carries a marker file
/// (`.redline-build`) with a fixed first line. Anything else is refused, as are the content
/// and templates folders, any folder holding them, and the current folder or its parents.
///
/// A build that starts from the last one (``init(updating:protecting:previousFiles:)``) writes only
/// the files whose bytes changed, into a pending folder beside the output, and moves them in
/// only when the whole build succeeded (see ``OutputUpdate``).
public final class StagingDirectory: Sendable {
    public let outputPath: String
    /// The new tree of a build from scratch, or the pending folder of an update.
    public let stagingPath: String
    /// Whether unchanged files stay where they are in the output (an update) or are written anew.
    let updating: Bool
    /// Where a view writes inside the site: "" or "sub/folder/".
    let prefix: String
    /// Every file this build made or kept, shared by the views.
    private let made: MadeFiles
    /// What the previous build made: an update deletes those this one did not make again.
    let previousFiles: Set<String>

    /// The file that marks a folder as Redline's output, and the line it starts with.
    public static let markerName = ".redline-build"
    static let markerLine = "This folder is the output of redline build; the next build replaces it whole."

    /// Creates the staging folder next to `outputPath` (same file system, so the final swap is atomic).
    /// - Parameter protecting: folders the build reads (content, templates): the output may not be one of them or hold one.
    /// - Throws: when `outputPath` is not a folder Redline made, or is or holds a protected folder.
    public init(outputPath: String, protecting: [String] = []) throws {
        let output = URL(fileURLWithPath: outputPath).standardizedFileURL
        self.outputPath = output.path
        let parent = output.deletingLastPathComponent().path
        let name = output.lastPathComponent
        try Self.refuseForeignOutput(output.path, protecting: protecting)
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        Self.removeLeftovers(in: parent, name: name)
        stagingPath = "\(parent)/.\(name).staging-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        updating = false
        prefix = ""
        made = MadeFiles()
        previousFiles = []
        try FileManager.default.createDirectory(atPath: stagingPath, withIntermediateDirectories: false)
        try write(Self.markerLine + "\n", to: Self.markerName)
    }

    /// Starts an update of `outputPath`, which a build made and which still holds what it made
    /// (`previousFiles`, from its cache): only changed files will be written.
    init(updating outputPath: String, protecting: [String] = [], previousFiles: Set<String>) throws {
        let output = URL(fileURLWithPath: outputPath).standardizedFileURL
        self.outputPath = output.path
        try Self.refuseForeignOutput(output.path, protecting: protecting)
        guard Self.isOwnOutput(output.path) else { throw StagingError("\(outputPath) is not the output of a build") }
        let parent = output.deletingLastPathComponent().path
        Self.removeLeftovers(in: parent, name: output.lastPathComponent)
        stagingPath = "\(parent)/.\(output.lastPathComponent).\(OutputUpdate.pendingInfix)\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        updating = true
        prefix = ""
        made = MadeFiles()
        self.previousFiles = previousFiles
        try FileManager.default.createDirectory(atPath: stagingPath, withIntermediateDirectories: false)
        // The marker makes the pending folder recognisably Redline's, for clean-up after a crash.
        try Data((Self.markerLine + "\n").utf8).write(to: URL(fileURLWithPath: "\(stagingPath)/\(Self.markerName)"))
    }

    /// A view of `parent` that writes into its `subfolder`: the site as of an upcoming day.
    init(viewOf parent: StagingDirectory, subfolder: String) {
        outputPath = parent.outputPath
        stagingPath = parent.stagingPath
        updating = parent.updating
        prefix = parent.prefix + subfolder + "/"
        made = parent.made
        previousFiles = parent.previousFiles
    }

    public enum Written { case written, unchanged }

    /// Writes `data` at `relativePath` of the site, creating folders as needed. An update leaves
    /// a file whose bytes are the same as in the output where it is.
    @discardableResult
    public func write(_ data: Data, to relativePath: String) throws -> Written {
        let path = prefix + relativePath
        made.insert(path)
        if updating, let existing = FileManager.default.contents(atPath: "\(outputPath)/\(path)"), existing == data { return .unchanged }
        let file = "\(stagingPath)/\(path)"
        try Self.makeFolder(of: file)
        try data.write(to: URL(fileURLWithPath: file))
        if updating { made.wrote(path) }
        return .written
    }

    /// Makes the folder `file` goes in, and any above it that are missing: one `mkdir` in the
    /// usual case (the parent's parent exists), where FileManager checks every level.
    static func makeFolder(of file: String) throws {
        let folder = (file as NSString).deletingLastPathComponent
        if mkdir(folder, 0o755) != 0 && errno != EEXIST {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
    }

    /// In an update: keeps the output's file at `relativePath` as it is, when it is there.
    func keep(_ relativePath: String) -> Bool {
        let path = prefix + relativePath
        guard updating, previousFiles.contains(path), access("\(outputPath)/\(path)", F_OK) == 0 else { return false }
        made.insert(path)
        return true
    }

    /// The bytes this build made or kept at `relativePath`: written now, or (in an update) left
    /// as they were in the output; nil when the build has no such file.
    func contents(of relativePath: String) -> Data? {
        let path = prefix + relativePath
        guard made.contains(path) else { return nil }
        return FileManager.default.contents(atPath: "\(stagingPath)/\(path)") ?? (updating ? FileManager.default.contents(atPath: "\(outputPath)/\(path)") : nil)
    }

    /// Every file of the site this build made or kept, sorted.
    var files: [String] { made.sorted }

    @discardableResult
    public func write(_ text: String, to relativePath: String) throws -> Written {
        try write(Data(text.utf8), to: relativePath)
    }

    /// Copies a file's bytes into the staging folder: never a link, so the output holds only
    /// what the build read from inside the folders it was given.
    public func copy(from source: String, to relativePath: String) throws {
        guard let data = FileManager.default.contents(atPath: source) else {
            throw StagingError("cannot read \(source)")
        }
        try write(data, to: relativePath)
    }

    /// Puts the finished build in place of the output folder: one atomic exchange where the
    /// system has it, so the served folder is never missing, then the old build is removed.
    public func publish() throws {
        if updating {
            let update = OutputUpdate(pending: stagingPath, output: outputPath)
            let written = made.written
            if written.count > OutputUpdate.renameLimit {
                // Many changes (a new day, a new template): renaming each over its old version
                // makes ext4 flush it first, seconds for thousands of pages. Link the unchanged
                // files into the pending folder instead and swap the whole tree like a full build.
                try update.linkUnchanged(made.all.subtracting(written).subtracting([Self.markerName]))
            } else {
                let removing = previousFiles.subtracting(made.all).subtracting([Self.markerName, ".gitkeep"])
                try update.finish(removing: removing.sorted(), last: Self.stateFiles)
                return
            }
        }
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
        if redline_exchange_paths(stagingPath, outputPath) == 0 {
            // The staging path now holds the previous build.
            try? fileManager.removeItem(atPath: stagingPath)
            return
        }
        let output = URL(fileURLWithPath: outputPath)
        let retired = "\(output.deletingLastPathComponent().path)/.\(output.lastPathComponent).retired-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
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

    static func refuseForeignOutput(_ path: String, protecting: [String]) throws {
        let fileManager = FileManager.default
        let real = realPath(path)
        for folder in protecting {
            let protected = realPath(URL(fileURLWithPath: folder).standardizedFileURL.path)
            if real == protected || protected.hasPrefix(real == "/" ? "/" : real + "/") {
                throw StagingError("refusing to use \(path) as the output: it is or holds \(folder), which the build reads")
            }
        }
        let here = realPath(fileManager.currentDirectoryPath)
        if real == "/" || real == here || here.hasPrefix(real + "/") {
            throw StagingError("refusing to use \(path) as the output: it is the current folder or one of its parents")
        }
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw StagingError("\(path) exists and is not a folder") }
        let entries = try fileManager.contentsOfDirectory(atPath: path).filter { $0 != ".gitkeep" }
        guard !entries.isEmpty else { return }
        let marker = fileManager.contents(atPath: "\(path)/\(markerName)").map { String(decoding: $0, as: UTF8.self) }
        guard marker?.hasPrefix(markerLine) == true else {
            throw StagingError("refusing to replace \(path): it holds files that redline build did not make (no \(markerName) marker); "
                               + "choose an empty or new --output folder")
        }
    }

    /// Whether `path` is a folder a build made (it carries the marker).
    static func isOwnOutput(_ path: String) -> Bool {
        FileManager.default.contents(atPath: "\(path)/\(markerName)").map { String(decoding: $0, as: UTF8.self).hasPrefix(markerLine) } ?? false
    }

    /// The path with every symlink resolved, or the path itself when it does not exist yet.
    static func realPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else {
            let parent = (path as NSString).deletingLastPathComponent
            guard !parent.isEmpty, parent != path else { return path }
            return (realPath(parent) as NSString).appendingPathComponent((path as NSString).lastPathComponent)
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Finishes or clears away what killed builds into `outputPath` left beside it.
    static func finishInterruptedBuilds(of outputPath: String) {
        let output = URL(fileURLWithPath: outputPath).standardizedFileURL
        removeLeftovers(in: output.deletingLastPathComponent().path, name: output.lastPathComponent)
    }

    /// The files that describe a build, moved into the output after all the others.
    static let stateFiles = [PageCache.file, BuildInputs.stateFile]

    /// Staging folders of builds that were killed before they finished; an update that was
    /// killed while moving its files in is finished first (``OutputUpdate/recover(_:)``).
    static func removeLeftovers(in parent: String, name: String) {
        let fileManager = FileManager.default
        for entry in (try? fileManager.contentsOfDirectory(atPath: parent)) ?? [] {
            let prefixes = [".\(name).staging-", ".\(name).retired-", ".\(name).\(OutputUpdate.pendingInfix)"]
            guard let prefix = prefixes.first(where: entry.hasPrefix) else { continue }
            // Leave a build that is still running alone.
            let pidText = entry.dropFirst(prefix.count).prefix { $0 != "-" }
            if let pid = Int32(pidText), pid != getpid(), kill(pid, 0) == 0 { continue }
            // Only folders a build made: they carry the marker.
            guard fileManager.fileExists(atPath: "\(parent)/\(entry)/\(markerName)") else { continue }
            if prefix.hasSuffix(OutputUpdate.pendingInfix) {
                OutputUpdate(pending: "\(parent)/\(entry)", output: "\(parent)/\(name)").recover(last: stateFiles)
            }
            try? fileManager.removeItem(atPath: "\(parent)/\(entry)")
        }
    }
}

/// The paths of the files a build made, from every rendering thread.
private final class MadeFiles: @unchecked Sendable {
    private var paths = Set<String>()
    private let lock = NSLock()

    private var writtenPaths = Set<String>()

    func insert(_ path: String) { lock.withLock { _ = paths.insert(path) } }
    func contains(_ path: String) -> Bool { lock.withLock { paths.contains(path) } }
    /// Records that an update wrote `path` because its bytes changed.
    func wrote(_ path: String) { lock.withLock { _ = writtenPaths.insert(path) } }
    var all: Set<String> { lock.withLock { paths } }
    var written: Set<String> { lock.withLock { writtenPaths } }
    var sorted: [String] { all.sorted() }
}

public struct StagingError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
