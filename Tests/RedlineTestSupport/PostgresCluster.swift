import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A throwaway PostgreSQL cluster for the tests of this process: made with Debian's `initdb` in a
/// temporary folder, started with `pg_ctl` on a free loopback port, and stopped and removed when
/// the process exits. Each test takes a database of its own (``makeDatabase()``), so tests run in
/// parallel without seeing each other's rows. Missing PostgreSQL is a failure, not a skip:
/// `make test` installs it (Debian's `postgresql`).
public final class PostgresCluster: Sendable {
    public let port: Int
    public let directory: String
    let binaries: String

    /// The cluster, started on first use.
    public static let shared: Result<PostgresCluster, any Error> = Result { try PostgresCluster() }

    private init() throws {
        guard let binaries = Self.findBinaries() else {
            throw PostgresClusterError(description: "PostgreSQL's initdb was not found in /usr/lib/postgresql/*/bin or on PATH; install Debian's postgresql (make test does)")
        }
        self.binaries = binaries
        directory = NSTemporaryDirectory() + "redline-postgres-\(UUID().uuidString)"
        port = try Self.freePort()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        // initdb refuses to run as root: the cluster then belongs to the postgres user.
        let asRoot = getuid() == 0
        if asRoot {
            try Self.run("/bin/chown", ["postgres:postgres", directory])
        }
        try Self.run(binaries + "/initdb", ["-D", directory + "/data", "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"],
                     asPostgres: asRoot)
        // fsync stays on: the stores refuse a cluster that would not make commits durable.
        let options = "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=32MB"
        try Self.run(binaries + "/pg_ctl", ["-D", directory + "/data", "-l", directory + "/log", "-o", options, "-w", "-t", "60", "start"],
                     asPostgres: asRoot)
        Self.started.withLock { $0 = (binaries, directory, asRoot) }
        atexit { PostgresCluster.stopStarted() }
    }

    /// A new, empty database; its URL.
    public func makeDatabase() throws -> String {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try Self.run(binaries + "/psql", ["-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres", "-d", "postgres", "-q", "-c", "CREATE DATABASE \(name)"])
        return url(database: name)
    }

    /// Runs SQL in `database` through psql; returns each result row as JSON (`row_to_json`), for
    /// tests that look at or tamper with rows the way someone with database access could.
    @discardableResult
    public func psql(database: String, _ sql: String) throws -> [String] {
        try Self.run(binaries + "/psql", ["-h", "127.0.0.1", "-p", "\(port)", "-U", "postgres", "-d", database, "-At", "-v", "ON_ERROR_STOP=1", "-c", sql])
            .split(separator: "\n").map(String.init)
    }

    public func url(database: String) -> String {
        "postgres://postgres@127.0.0.1:\(port)/\(database)?sslmode=disable"
    }

    /// Runs `pg_ctl` with `arguments` against this cluster (e.g. to stop it and start it again).
    public func control(_ arguments: [String]) throws {
        try Self.run(binaries + "/pg_ctl", ["-D", directory + "/data"] + arguments, asPostgres: getuid() == 0)
    }

    private static let started = Mutex<(binaries: String, directory: String, asRoot: Bool)?>(nil)

    private static func stopStarted() {
        guard let (binaries, directory, asRoot) = started.withLock({ $0 }) else { return }
        try? run(binaries + "/pg_ctl", ["-D", directory + "/data", "-m", "immediate", "-w", "stop"], asPostgres: asRoot)
        try? FileManager.default.removeItem(atPath: directory)
    }

    static func findBinaries() -> String? {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) where FileManager.default.isExecutableFile(atPath: "/usr/lib/postgresql/\(version)/bin/initdb") {
            return "/usr/lib/postgresql/\(version)/bin"
        }
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(folder)/initdb"
            if FileManager.default.isExecutableFile(atPath: candidate) {
                return URL(fileURLWithPath: candidate).resolvingSymlinksInPath().deletingLastPathComponent().path
            }
        }
        return nil
    }

    private static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        guard bound else { throw PostgresClusterError(description: "no free port: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Runs a program and waits for it, with posix_spawn and waitpid rather than Foundation's
    /// Process, which waits until every copy of a descriptor it hands the child is closed, and
    /// the server pg_ctl starts keeps them for as long as it runs.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String], asPostgres: Bool = false) throws -> String {
        let argv = asPostgres ? ["/usr/sbin/runuser", "-u", "postgres", "--", executable] + arguments : [executable] + arguments
        let outputPath = NSTemporaryDirectory() + "redline-pg-output-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, &cArguments, environ)
        guard spawned == 0 else {
            throw PostgresClusterError(description: "cannot run \(argv[0]): \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        // Exited normally with status 0: WIFEXITED and WEXITSTATUS, spelled out.
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            throw PostgresClusterError(description: "\((executable as NSString).lastPathComponent) failed (status \(status)): \(text)")
        }
        return text
    }
}

public struct PostgresClusterError: Error, CustomStringConvertible {
    public let description: String
}
