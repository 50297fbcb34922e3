import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Files that must survive a crash whole: written beside their place, synced, renamed over it,
/// and the folder synced, so a reader sees the old content or the new, never half of either.
public enum SecureFile {
    public static func replace(_ path: String, with data: Data, permissions: mode_t) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = "\(directory.isEmpty ? "." : directory)/.\((path as NSString).lastPathComponent).tmp-\(getpid())"
        let descriptor = open(temporary, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, permissions)
        guard descriptor >= 0 else { throw SecureFileError(path: temporary, operation: "create") }
        defer { close(descriptor) }
        fchmod(descriptor, permissions)
        try writeAll(descriptor, data, path: temporary)
        guard fsync(descriptor) == 0 else { throw SecureFileError(path: temporary, operation: "sync") }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw SecureFileError(path: path, operation: "replace")
        }
        syncDirectory(of: path)
    }

    /// Appends `data` to `path` (created with `permissions`) and syncs it before returning.
    public static func appendDurably(_ path: String, _ data: Data, permissions: mode_t) throws {
        let existed = FileManager.default.fileExists(atPath: path)
        let descriptor = open(path, O_CREAT | O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW, permissions)
        guard descriptor >= 0 else { throw SecureFileError(path: path, operation: "open") }
        defer { close(descriptor) }
        try writeAll(descriptor, data, path: path)
        guard fdatasync(descriptor) == 0 else { throw SecureFileError(path: path, operation: "sync") }
        if !existed { syncDirectory(of: path) }
    }

    private static func writeAll(_ descriptor: Int32, _ data: Data, path: String) throws {
        try data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw SecureFileError(path: path, operation: "write")
                }
                offset += written
            }
        }
    }

    /// A new name lasts only once the folder holding it is synced.
    private static func syncDirectory(of path: String) {
        let directory = (path as NSString).deletingLastPathComponent
        let descriptor = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }
}

public struct SecureFileError: Error, CustomStringConvertible {
    let path: String
    let operation: String
    let code = errno
    public var description: String { "cannot \(operation) \(path): \(String(cString: strerror(code)))" }
}

extension FileManager {
    /// Creates the folder `path` is in, when it has one (a bare file name is in the current folder).
    public func createParentDirectory(of path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try createDirectory(atPath: directory, withIntermediateDirectories: true) }
    }

    /// The same, but a folder it creates is the owner's only (0700): it holds evidence and keys.
    /// Fails with the system's reason, e.g. "cannot create the folder /proc/x: No such file or directory".
    public func createPrivateParentDirectory(of path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        guard !directory.isEmpty, !fileExists(atPath: directory) else { return }
        try createPrivateParentDirectory(of: directory)
        guard mkdir(directory, 0o700) == 0 || errno == EEXIST else {
            throw FolderError(description: "cannot create the folder \(directory): \(String(cString: strerror(errno)))")
        }
    }
}

public struct FolderError: Error, CustomStringConvertible {
    public let description: String
}
