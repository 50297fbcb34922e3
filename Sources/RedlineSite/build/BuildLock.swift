import Foundation

/// One build at a time into an output folder: a second build waits for the first to finish
/// (an exclusive `flock` on `.<output>.lock` beside the folder), then starts from what the first
/// left. Two updates moving files into the same folder at once could otherwise leave pages of
/// one with the cache of the other.
final class BuildLock {
    private let descriptor: Int32

    /// Waits for the lock; nil when the output is one the build will refuse (nothing may be
    /// written for it, not even a lock) or the lock file cannot be made (the build then runs
    /// unlocked rather than failing).
    init?(output: String, protecting: [String] = []) {
        guard (try? StagingDirectory.refuseForeignOutput(URL(fileURLWithPath: output).standardizedFileURL.path, protecting: protecting)) != nil
        else { return nil }
        let url = URL(fileURLWithPath: output).standardizedFileURL
        let parent = url.deletingLastPathComponent().path
        try? FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        descriptor = open("\(parent)/.\(url.lastPathComponent).lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return nil }
        while flock(descriptor, LOCK_EX) != 0 && errno == EINTR {}
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
