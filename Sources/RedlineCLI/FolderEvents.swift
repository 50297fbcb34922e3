import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Tells whether anything changed under some folders, from the kernel's file events (inotify)
/// where there are any: a 10,000-page site is then not walked four times a second just to find
/// out that nothing happened. Nil where inotify is missing or out of watches: poll instead.
/// Used by one task at a time (the watcher), hence unchecked.
final class FolderEvents: @unchecked Sendable {
    private let descriptor: Int32
    private let folders: [String]

    init?(folders: [String]) {
        #if canImport(Glibc)
        descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { return nil }
        self.folders = folders
        guard watchEveryFolder() else {
            close(descriptor)
            return nil
        }
        #else
        return nil
        #endif
    }

    deinit { close(descriptor) }

    /// Whether any file or folder changed since the last call. New folders are watched from now on.
    func changed() -> Bool {
        #if canImport(Glibc)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        var any = false
        while buffer.withUnsafeMutableBytes({ read(descriptor, $0.baseAddress, $0.count) }) > 0 { any = true }
        if any { _ = watchEveryFolder() }
        return any
        #else
        return false
        #endif
    }

    /// Watches each folder under `folders` (watching one already watched is harmless).
    private func watchEveryFolder() -> Bool {
        #if canImport(Glibc)
        let mask = UInt32(IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB | IN_DELETE_SELF)
        var pending = folders
        while let folder = pending.popLast() {
            guard inotify_add_watch(descriptor, folder, mask) >= 0 else {
                // A folder removed meanwhile is fine; running out of watches is not.
                if errno == ENOENT { continue }
                return false
            }
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
                var status = stat()
                let child = "\(folder)/\(name)"
                if stat(child, &status) == 0, status.st_mode & S_IFMT == S_IFDIR { pending.append(child) }
            }
        }
        return true
        #else
        return false
        #endif
    }
}
