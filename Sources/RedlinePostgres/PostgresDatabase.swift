import Foundation
import Logging
import PostgresNIO
import RedlineConsent

/// A connection pool to one PostgreSQL database, shared by the consent and notice stores.
/// Opening it proves the database answers, refuses one that would not make commits durable,
/// and applies the named, append-only migrations (once, however many servers start at once).
/// Every operation has a deadline (``DatabaseTimeouts``): a database that went away or froze
/// gives ``StoreUnavailable`` by then instead of a request that hangs, and the pool reconnects
/// when it is back.
public final class PostgresDatabase: Sendable {
    public let location: PostgresLocation
    let client: PostgresClient
    private let running: Task<Void, Never>
    let logger: Logger
    /// How long one transaction may take, waiting for a connection and for the chain head included.
    let deadline: Duration

    public struct OpenError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Connects and migrates. Throws ``OpenError`` with a one-line reason (never the password)
    /// when the database cannot be reached, refuses the login, or is not durable.
    /// - Parameter migrate: false opens a database only to read it (`consent verify`): nothing is
    ///   created, and a database without Redline's tables is said not to be a store.
    public static func open(_ location: PostgresLocation, logger: Logger = PostgresDatabase.quietLogger, migrate: Bool = true,
                            timeouts: DatabaseTimeouts = .standard) async throws -> PostgresDatabase {
        let connectTimeout = timeouts.connect
        let configuration: PostgresClient.Configuration
        let single: PostgresConnection.Configuration
        do {
            configuration = try location.clientConfiguration(connectTimeout: connectTimeout)
            single = try location.connectionConfiguration(connectTimeout: connectTimeout)
        } catch {
            throw OpenError(description: "\(location): cannot set up TLS: \(error)")
        }
        // One connection first: an unreachable server, a refused login or a missing database is
        // reported at once with its reason, where the pool would keep retrying quietly.
        do {
            let connection = try await PostgresConnection.connect(on: PostgresClient.defaultEventLoopGroup.any(), configuration: single,
                                                                  id: 0, logger: quietLogger).get()
            defer { Task { try? await connection.close() } }
            try await checkDurable(connection)
        } catch {
            throw OpenError(description: "cannot use PostgreSQL at \(location): \(Self.reason(error))")
        }
        let database = PostgresDatabase(location: location, client: PostgresClient(configuration: configuration, backgroundLogger: logger),
                                        logger: logger, deadline: timeouts.operation)
        do {
            if migrate {
                try await PostgresMigrations.apply(database)
            } else if try await !database.hasTable("consent_record") {
                throw OpenError(description: "it holds no Redline consent store (no consent_record table)")
            }
        } catch {
            await database.close()
            throw OpenError(description: "cannot use PostgreSQL at \(location): \(Self.reason(error))")
        }
        return database
    }

    private init(location: PostgresLocation, client: PostgresClient, logger: Logger, deadline: Duration) {
        self.location = location
        self.client = client
        self.logger = logger
        self.deadline = deadline
        running = Task { await client.run() }
    }

    /// Closes every connection.
    public func close() async {
        running.cancel()
        _ = await running.value
    }

    /// PostgreSQL's background messages are for its own debugging; the stores report what matters.
    public static let quietLogger: Logger = {
        var logger = Logger(label: "redline.postgres")
        logger.logLevel = .critical
        return logger
    }()

    /// Commits are durable only with `fsync` on and `synchronous_commit` not `off`; refuse to
    /// acknowledge consents otherwise, as the SQLite store refuses anything but `synchronous=FULL`.
    private static func checkDurable(_ connection: PostgresConnection) async throws {
        var settings = ("", "")
        for try await row in try await connection.query("SELECT current_setting('fsync'), current_setting('synchronous_commit')",
                                                        logger: quietLogger).decode((String, String).self) {
            settings = row
        }
        guard settings.0 == "on" else { throw OpenError(description: "fsync is \(settings.0), so a commit may not survive a crash") }
        guard settings.1 != "off" else { throw OpenError(description: "synchronous_commit is off, so an acknowledged commit may be lost") }
    }

    private func hasTable(_ name: String) async throws -> Bool {
        try await read { connection in
            for try await found in try await connection.query("SELECT to_regclass(\(name)) IS NOT NULL", logger: self.logger).decode(Bool.self) {
                return found
            }
            return false
        }
    }

    // MARK: Running work

    /// Runs `body` in one transaction, within the deadline.
    func transaction<Result: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> Result) async throws -> Result {
        try await withinDeadline {
            try await self.client.withTransaction(logger: self.logger) { connection in try await body(connection) }
        }
    }

    /// Runs `body` on one connection, outside a transaction, within the deadline.
    func read<Result: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> Result) async throws -> Result {
        try await withinDeadline {
            try await self.client.withConnection { connection in try await body(connection) }
        }
    }

    private func withinDeadline<Result: Sendable>(_ body: @escaping @Sendable () async throws -> Result) async throws -> Result {
        let deadline = deadline
        do {
            return try await withDeadline(deadline, body)
        } catch let error as StoreUnavailable {
            throw error
        } catch let error as PSQLError where Self.isUnavailable(error) {
            throw StoreUnavailable(Self.reason(error))
        } catch let error as PostgresTransactionError {
            if let closure = error.closureError as? StoreUnavailable { throw closure }
            if let inner = (error.beginError ?? error.commitError ?? error.closureError) as? PSQLError, Self.isUnavailable(inner) {
                throw StoreUnavailable(Self.reason(inner))
            }
            throw error.closureError ?? error.beginError ?? error.commitError ?? error
        }
    }

    /// Whether `error` means the database could not be reached or went away, rather than that a statement was wrong.
    static func isUnavailable(_ error: PSQLError) -> Bool {
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed, .uncleanShutdown, .sslUnsupported,
             .failedToAddSSLHandler, .queryCancelled:
            return true
        case .server:
            // Class 08: connection exception; 57: operator intervention (shut down, crash recovery); 53: out of resources.
            let state = error.serverInfo?[.sqlState] ?? ""
            return state.hasPrefix("08") || state.hasPrefix("57") || state.hasPrefix("53")
        default:
            return false
        }
    }

    /// NIO's description of a failed connection, said the way the system says it.
    static func connectionFailure(_ text: String) -> String {
        if text.contains("UnknownHost") { return "the host name is not known" }
        if let range = text.range(of: #"errno: (\d+)"#, options: .regularExpression),
           let number = Int32(text[range].dropFirst("errno: ".count)) {
            return String(cString: strerror(number)).lowercased()
        }
        return text.replacingOccurrences(of: "\n", with: " ")
    }

    /// One line saying why, never the password: PostgreSQL's own message for a server error,
    /// the system's for a connection that failed.
    public static func reason(_ error: any Error) -> String {
        if let error = error as? OpenError { return error.description }
        if let error = error as? StoreUnavailable { return error.reason }
        if let error = error as? PostgresTransactionError {
            return reason(error.beginError ?? error.closureError ?? error.commitError ?? error.rollbackError ?? StoreUnavailable("the transaction failed"))
        }
        guard let error = error as? PSQLError else { return "\(error)".replacingOccurrences(of: "\n", with: " ") }
        if let message = error.serverInfo?[.message] { return message }
        if let underlying = error.underlying { return connectionFailure("\(underlying)") }
        switch error.code {
        case .sslUnsupported: return "the server does not offer TLS (sslmode=require)"
        case .authMechanismRequiresPassword: return "the server asks for a password and the URL has none"
        case .unsupportedAuthMechanism: return "the server asks for a login method this client does not support"
        case .serverClosedConnection, .uncleanShutdown: return "the server closed the connection"
        default: return "\(error.code)"
        }
    }
}
