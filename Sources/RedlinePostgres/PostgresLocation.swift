import Foundation
import NIOSSL
import PostgresNIO
import RedlineConsent

/// Where a PostgreSQL database is, from a URL as libpq reads it:
/// `postgres://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=disable|prefer|require|verify-full`,
/// or a Unix socket with `?host=/run/postgresql` (also the default when the URL names no host).
public struct PostgresLocation: Sendable, CustomStringConvertible {
    public enum TLSMode: String, Sendable, CaseIterable {
        case disable, prefer, require
        case verifyFull = "verify-full"
    }

    public let host: String
    public let port: Int
    public let socketFolder: String?
    public let username: String
    let password: String?
    public let database: String
    public let tlsMode: TLSMode

    /// Whether `text` is meant as a PostgreSQL URL rather than a file path.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public struct ParseError: Error, CustomStringConvertible {
        public let description: String
    }

    public init(url text: String) throws {
        guard Self.isURL(text), let url = URLComponents(string: text) else {
            throw ParseError(description: "\(Self.redacting(text)) is not a postgres:// URL (percent-encode @ / ? # : in the user name and password)")
        }
        // A raw '@', '/' or '#' in the password would otherwise turn part of it into the host, port or path, which `description` prints.
        guard SecretText.hasUnambiguousUserInfo(text) else {
            throw ParseError(description: "\(Self.redacting(text)): percent-encode @ / ? # [ ] in the user name and password (%40 %2F %3F %23 %5B %5D)")
        }
        var query: [String: String] = [:]
        for item in url.queryItems ?? [] { query[item.name] = item.value ?? "" }
        let allowed: Set = ["sslmode", "host", "port", "user", "password", "dbname", "application_name", "connect_timeout"]
        if let unknown = query.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw ParseError(description: "\(Self.redacting(text)): unknown parameter '\(unknown)'")
        }
        let mode = query["sslmode"] ?? "prefer"
        guard let tlsMode = TLSMode(rawValue: mode) else {
            throw ParseError(description: "\(Self.redacting(text)): sslmode '\(mode)' is not one of \(TLSMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let hostParameter = query["host"] ?? url.host.map { $0.removingPercentEncoding ?? $0 } ?? ""
        let portText = query["port"] ?? url.port.map(String.init) ?? "5432"
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw ParseError(description: "\(Self.redacting(text)): port '\(portText)' is not a port number")
        }
        self.tlsMode = tlsMode
        self.port = port
        if hostParameter.isEmpty || hostParameter.hasPrefix("/") {
            socketFolder = hostParameter.isEmpty ? "/var/run/postgresql" : hostParameter
            host = "localhost"
        } else {
            socketFolder = nil
            host = hostParameter
        }
        username = query["user"] ?? url.user ?? ProcessInfo.processInfo.environment["USER"] ?? "postgres"
        password = query["password"] ?? url.password
        let path = String(url.path.drop(while: { $0 == "/" }))
        database = query["dbname"] ?? (path.isEmpty ? username : path.removingPercentEncoding ?? path)
    }

    /// Where it connects, never with the password: safe for logs and error messages.
    public var description: String {
        let place = socketFolder.map { "\($0)/.s.PGSQL.\(port)" } ?? "\(host):\(port)"
        return "postgres://\(username)@\(place)/\(database)"
    }

    /// The URL with any password replaced by `***`, for messages about a URL that did not parse.
    public static func redacting(_ text: String) -> String {
        SecretText.maskingPasswords(in: text)
    }

    func clientConfiguration(connectTimeout: Duration) throws -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if let socketFolder {
            configuration = .init(unixSocketPath: "\(socketFolder)/.s.PGSQL.\(port)", username: username, password: password, database: database)
        } else {
            configuration = .init(host: host, port: port, username: username, password: password, database: database, tls: try tls())
        }
        configuration.options.connectTimeout = connectTimeout
        // Idle connections are kept and checked, so a database that went away is noticed by
        // the keep-alive rather than by a visitor's request.
        configuration.options.keepAliveBehavior = .init(frequency: .seconds(30))
        return configuration
    }

    /// The same place for one connection of its own: what the first check at start uses, so
    /// that a database that is not there fails at once with its reason, not after the pool's retries.
    func connectionConfiguration(connectTimeout: Duration) throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if let socketFolder {
            configuration = .init(unixSocketPath: "\(socketFolder)/.s.PGSQL.\(port)", username: username, password: password, database: database)
        } else {
            var settings = TLSConfiguration.makeClientConfiguration()
            if tlsMode != .verifyFull { settings.certificateVerification = .none }
            let tls: PostgresConnection.Configuration.TLS
            switch tlsMode {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(try NIOSSLContext(configuration: settings))
            case .require, .verifyFull: tls = .require(try NIOSSLContext(configuration: settings))
            }
            configuration = .init(host: host, port: port, username: username, password: password, database: database, tls: tls)
        }
        configuration.options.connectTimeout = .nanoseconds(connectTimeout.components.seconds * 1_000_000_000 + connectTimeout.components.attoseconds / 1_000_000_000)
        return configuration
    }

    /// libpq's meaning: `prefer` and `require` encrypt without checking the certificate, `verify-full` checks it and the host name.
    private func tls() throws -> PostgresClient.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch tlsMode {
        case .disable: return .disable
        case .prefer:
            tls.certificateVerification = .none
            return .prefer(tls)
        case .require:
            tls.certificateVerification = .none
            return .require(tls)
        case .verifyFull:
            return .require(tls)
        }
    }
}

