import ArgumentParser
import Foundation

/// A file a command writes must not be one it reads or a key: `consent export --out
/// data/redline.sqlite` replaced the consent database with the bundle, `--out
/// data/redline.sqlite.receipt-key` destroyed the receipt key. Names are not enough to tell
/// (`./data/../data/redline.sqlite`, a symlink, a hard link), so an existing output is compared
/// with each input by device and inode.
enum OutputPaths {
    struct Clash: UserFacingError {
        let description: String
    }

    /// Throws, naming the clash, when `output` is (or would replace) one of `inputs`; an input
    /// that does not exist cannot be overwritten and is skipped.
    /// - Parameter inputs: each file with what it is (`the consent database`, `the receipt key`).
    static func refuse(_ output: String, option: String, overwriting inputs: [(path: String, what: String)]) throws {
        // An output that does not exist yet is no file anyone reads.
        guard let target = identity(output) else { return }
        for input in inputs {
            if identity(input.path) == target {
                throw Clash(description: "\(option) \(output) is \(input.what) (\(input.path)); refusing to overwrite it: write somewhere else")
            }
        }
    }

    /// The files of a SQLite database: its journal and WAL files are the database as much as it is.
    static func sqliteFiles(_ path: String, what: String) -> [(path: String, what: String)] {
        guard !path.hasPrefix("postgres://"), !path.hasPrefix("postgresql://") else { return [] }
        return [(path, what)] + ["-wal", "-shm", "-journal"].map { (path + $0, "\(what)'s \($0.dropFirst()) file") }
    }

    /// Device and inode of what `path` names, symlinks followed; nil when nothing is there.
    private static func identity(_ path: String) -> [UInt64]? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return [UInt64(status.st_dev), UInt64(status.st_ino)]
    }
}
