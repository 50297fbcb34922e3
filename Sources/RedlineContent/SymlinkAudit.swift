import Foundation

/// Finds links that would let a build read outside the folder it was given: a symlink in
/// `content/` or `templates/` that leads elsewhere (`leak.png -> /etc/passwd`, a linked
/// folder), or that leads nowhere. Links that stay inside the folder are fine.
public enum SymlinkAudit {
    /// One error per offending link, with its path as the user named the folder.
    public static func problems(in directory: String) -> [Diagnostic] {
        var display = directory
        while display.count > 1 && display.hasSuffix("/") { display.removeLast() }
        guard let root = resolved(display) else { return [] }
        var problems: [Diagnostic] = []
        walk(display, root: root, problems: &problems)
        return problems
    }

    private static func walk(_ folder: String, root: String, problems: inout [Diagnostic]) {
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted() {
            let path = "\(folder)/\(name)"
            var status = stat()
            guard lstat(path, &status) == 0 else { continue }
            switch status.st_mode & S_IFMT {
            case S_IFLNK:
                let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
                guard let real = resolved(path) else {
                    problems.append(.error(path, line: nil, "symlink to '\(target)' leads nowhere (or round in a loop); replace it with the file itself"))
                    continue
                }
                if real != root && !real.hasPrefix(root == "/" ? "/" : root + "/") {
                    problems.append(.error(path, line: nil, "symlink leads outside the folder the build was given (to '\(target)'); "
                                           + "links may only point inside it: copy the file in instead"))
                }
            case S_IFDIR:
                walk(path, root: root, problems: &problems)
            default:
                continue
            }
        }
    }

    /// Nil when `path`, every symlink on the way resolved, is inside `folder`; otherwise the
    /// error for it, so a command given a folder reads nothing a link in it points at elsewhere.
    /// A path that does not exist is left to the reader to report.
    public static func outside(_ path: String, of folder: String) -> Diagnostic? {
        guard let root = resolved(folder) else { return nil }
        guard let real = resolved(path) else {
            var status = stat()
            guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFLNK else { return nil }
            return .error(path, line: nil, "symlink leads nowhere (or round in a loop); replace it with the file itself")
        }
        if real == root || real.hasPrefix(root == "/" ? "/" : root + "/") { return nil }
        return .error(path, line: nil, "leads outside \(folder) (to '\(real)') through a symlink; only files inside it are read: copy the file in instead")
    }

    static func resolved(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}
