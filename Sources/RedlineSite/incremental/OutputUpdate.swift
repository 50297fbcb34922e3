import Foundation

/// Moves an update's changed files into the output, so that no page is ever half-written and a
/// build killed halfway is finished by the next one.
///
/// The update wrote every changed file into a pending folder beside the output. Once the whole
/// build succeeded it writes a journal there (the files to delete), and only then renames each
/// file into place, deletes what the site no longer has, and last moves in the build's state
/// (cache and inputs digest). A pending folder without a journal was a build that did not
/// finish: it is thrown away and the output was never touched. One with a journal is finished
/// by the next build before it starts: renames already done are skipped.
struct OutputUpdate {
    static let pendingInfix = "update-"
    /// Above this many changed files an update is swapped in whole (``linkUnchanged(_:)``).
    static let renameLimit = 256
    static let journalName = ".redline-journal"

    let pending: String
    let output: String

    struct Journal: Codable {
        let removing: [String]
        /// Moved in after everything else: the state that says what the output now holds.
        let last: [String]
    }

    func finish(removing: [String], last: [String]) throws {
        let journal = Journal(removing: removing, last: last)
        let temporary = "\(pending)/\(Self.journalName).tmp"
        try JSONEncoder().encode(journal).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, "\(pending)/\(Self.journalName)") == 0 else { throw StagingError("cannot write \(pending)/\(Self.journalName)") }
        try apply(journal)
        try? FileManager.default.removeItem(atPath: pending)
    }

    /// Completes the pending folder into a whole site by hard-linking the output's unchanged
    /// files into it (the same files: builds never change a file in place), so that it can
    /// replace the output in one exchange. Without a journal, a crash leaves it to be deleted.
    func linkUnchanged(_ files: Set<String>) throws {
        for file in files.sorted() where Self.isPlainRelative(file) {
            let target = "\(pending)/\(file)"
            try StagingDirectory.makeFolder(of: target)
            guard link("\(output)/\(file)", target) == 0 || errno == EEXIST else {
                throw StagingError("cannot link \(file) into the new build: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Finishes a killed update that had written its journal; one that had not is left to be deleted.
    func recover(last: [String]) {
        guard let data = FileManager.default.contents(atPath: "\(pending)/\(Self.journalName)"),
              let journal = try? JSONDecoder().decode(Journal.self, from: data) else { return }
        try? apply(journal)
    }

    private func apply(_ journal: Journal) throws {
        let realOutput = StagingDirectory.realPath(output)
        let files = Self.files(in: pending).filter { $0 != StagingDirectory.markerName && $0 != Self.journalName }
        let lastSet = Set(journal.last)
        for file in files.filter({ !lastSet.contains($0) }) { try moveIn(file, realOutput: realOutput) }
        for file in journal.removing where Self.isPlainRelative(file) {
            let target = "\(output)/\(file)"
            let folder = (target as NSString).deletingLastPathComponent
            // Never through a link out of the output, and only what a build made (the journal lists nothing else).
            guard Self.isInside(StagingDirectory.realPath(folder), realOutput) else { continue }
            unlink(target)
            Self.removeEmptyFolders(from: folder, upTo: output)
        }
        for file in journal.last where files.contains(file) { try moveIn(file, realOutput: realOutput) }
    }

    private func moveIn(_ file: String, realOutput: String) throws {
        let source = "\(pending)/\(file)"
        let target = "\(output)/\(file)"
        let folder = (target as NSString).deletingLastPathComponent
        try StagingDirectory.makeFolder(of: target)
        guard Self.isInside(StagingDirectory.realPath(folder), realOutput) else {
            throw StagingError("refusing to write \(target): it leads out of \(output)")
        }
        if rename(source, target) != 0 && errno != ENOENT {
            throw StagingError("cannot move \(file) into \(output): \(String(cString: strerror(errno)))")
        }
    }

    /// Regular files under `folder`, as paths relative to it.
    static func files(in folder: String, relative: String = "") -> [String] {
        let path = relative.isEmpty ? folder : "\(folder)/\(relative)"
        var found: [String] = []
        for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] {
            let child = relative.isEmpty ? name : "\(relative)/\(name)"
            var status = stat()
            guard lstat("\(folder)/\(child)", &status) == 0 else { continue }
            switch status.st_mode & S_IFMT {
            case S_IFDIR: found += files(in: folder, relative: child)
            case S_IFREG: found.append(child)
            default: continue
            }
        }
        return found
    }

    static func isPlainRelative(_ path: String) -> Bool {
        !path.isEmpty && !path.hasPrefix("/") && !path.split(separator: "/", omittingEmptySubsequences: false).contains { $0.isEmpty || $0 == "." || $0 == ".." }
    }

    static func isInside(_ path: String, _ folder: String) -> Bool {
        path == folder || path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
    }

    private static func removeEmptyFolders(from folder: String, upTo root: String) {
        var current = folder
        while current.count > root.count, current.hasPrefix(root + "/"), rmdir(current) == 0 {
            current = (current as NSString).deletingLastPathComponent
        }
    }
}
