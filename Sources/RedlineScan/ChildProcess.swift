import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A program started in a process group of its own, so that stopping it reaches everything it
/// started too: chromedriver starts Chromium, and Chromium its renderers, all in chromedriver's
/// group. Foundation's `Process` cannot put a child in a new group; `posix_spawn` can.
public final class ChildProcess: Sendable {
    public let pid: pid_t

    /// Starts `arguments[0]` (a path) with its output appended to `log`, in this process's
    /// environment with `environment` over it.
    public init(_ arguments: [String], log: String, environment: [String: String] = [:]) throws {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO)
        // Group 0: a new group whose id is the child's pid.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)
        let argv = arguments.map { strdup($0) } + [nil]
        let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, arguments[0], &actions, &attributes, argv, envp)
        guard status == 0 else { throw ScanError("cannot start \(arguments[0]): \(String(cString: strerror(status)))") }
        pid = child
        Self.running.withLock { _ = $0.insert(child) }
    }

    /// Groups started and not yet stopped, for ``stopAll()``.
    private static let running = Mutex<Set<pid_t>>([])

    /// Stops every group still running: the last line of defence when a scan ends by an error
    /// its own cleanup did not see.
    public static func stopAll() {
        for pid in running.withLock({ $0 }) {
            kill(-pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }
        running.withLock { $0.removeAll() }
    }

    /// Whether the program has ended (and is reaped).
    public var hasExited: Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) != 0
    }

    /// SIGTERM to the whole group, SIGKILL to what is left after `grace`; then reaps the leader.
    public func stop(grace: Duration = .seconds(3)) {
        kill(-pid, SIGTERM)
        let clock = ContinuousClock()
        let deadline = clock.now + grace
        while clock.now < deadline, kill(-pid, 0) == 0 {
            _ = hasExited
            usleep(20_000)
        }
        kill(-pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        Self.running.withLock { _ = $0.remove(pid) }
    }
}
