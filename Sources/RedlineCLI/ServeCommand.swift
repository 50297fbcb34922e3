import ArgumentParser
import Foundation
import Hummingbird
import Logging
import NIOCore
import RedlineConsent
import RedlineServer
import RedlineStores
import ServiceLifecycle

/// `redline serve`: the built site, the consent API and metrics on one port.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the built site and the consent API.",
        discussion: """
            Every option can also be set with an environment variable: REDLINE_SITE, REDLINE_DB, REDLINE_HOST, \
            REDLINE_PORT, REDLINE_IP_RETENTION, REDLINE_RATE_LIMIT, REDLINE_LOG_LEVEL, REDLINE_TEMPLATES, \
            REDLINE_RECEIPT_KEY, REDLINE_CHECKPOINT_LOG, REDLINE_IDLE_TIMEOUT, REDLINE_MAX_CONNECTIONS, \
            REDLINE_SMTP_URL, REDLINE_MAIL_FROM, REDLINE_MAIL_DIR, REDLINE_MAIL_RATE, REDLINE_MAIL_CONCURRENCY. \
            A flag wins over the variable. SMTP credentials come from the URL (smtp://user:password@host) or from \
            REDLINE_SMTP_USERNAME and REDLINE_SMTP_PASSWORD; REDLINE_SMTP_STARTTLS=required refuses servers without \
            STARTTLS (default: use it when offered; smtps:// is TLS from the start).
            """)

    @Option(help: "A settings file, YAML or JSON (.json), with settings named like these flags (rate-limit: 600); environment variables and flags win over it.")
    var config: String?

    @Flag(help: "Print the effective settings (flags over environment over --config over defaults), secrets masked, and exit.")
    var printConfig = false

    @Option(help: "The built site (redline build's output). [REDLINE_SITE, default: public]")
    var site: String?

    @Option(help: "The database: a SQLite file, or a PostgreSQL URL (postgres://USER:PASSWORD@HOST:PORT/DATABASE) that several servers share. [REDLINE_DB, default: data/redline.sqlite]")
    var db: String?

    @Option(help: "The Ed25519 receipt signing key, created when absent; its public keys go beside it (FILE.pub). Keep it away from the database's backups. [REDLINE_RECEIPT_KEY, default: DB.receipt-key]")
    var receiptKey: String?

    @Option(help: "Where signed checkpoints of the consent chain are appended. [REDLINE_CHECKPOINT_LOG, default: DB.checkpoints]")
    var checkpointLog: String?

    @Option(help: "Seconds a connection may stay silent before it is closed. [REDLINE_IDLE_TIMEOUT, default: 30]")
    var idleTimeout: Double?

    @Option(help: "Open connections at most; the longest-idle one is closed to make room. [REDLINE_MAX_CONNECTIONS, default: what ulimit -n allows]")
    var maxConnections: Int?

    @Option(help: "Seconds a request waits for PostgreSQL before it is answered 503 with Retry-After. [REDLINE_DB_TIMEOUT, default: 10]")
    var dbTimeout: Double?

    @Option(help: "Hours a banner version replaced by a rebuild is still accepted in consent records (cached pages). [REDLINE_NOTICE_GRACE, default: 24]")
    var noticeGrace: Double?

    @Option(help: "Address to listen on. [REDLINE_HOST, default: 127.0.0.1]")
    var host: String?

    @Option(help: "Port to listen on. [REDLINE_PORT, default: 8080]")
    var port: Int?

    @Option(help: "What to keep of a client's IP address: drop, truncate (/24, /48) or hash (keyed). [REDLINE_IP_RETENTION, default: drop]")
    var ipRetention: String?

    @Option(help: "API requests per minute per client, 0 for no limit. [REDLINE_RATE_LIMIT, default: 600]")
    var rateLimit: Int?

    @Option(help: "API requests a client may make at once before the per-minute rate applies. [REDLINE_RATE_BURST, default: 120]")
    var rateBurst: Int?

    @Option(name: .customLong("trusted-proxy"),
            help: "A reverse proxy's address or network (CIDR, e.g. 10.0.0.0/8); repeatable. Only from these peers are Forwarded, X-Forwarded-For and X-Forwarded-Proto believed. [REDLINE_TRUSTED_PROXIES, comma-separated; default: none]")
    var trustedProxy: [String] = []

    @Option(help: "The one header the trusted proxies set with the client's address: x-forwarded-for (with X-Forwarded-Proto) or forwarded (RFC 7239); the other is ignored. [REDLINE_FORWARDED_HEADER, default: x-forwarded-for]")
    var forwardedHeader: String?

    @Option(help: "trace, debug, info, notice, warning, error or critical. [REDLINE_LOG_LEVEL, default: info]")
    var logLevel: String?

    @Option(help: "Templates folder; change notices use its email/ folder. [REDLINE_TEMPLATES, default: templates when it has email/, else the templates built into redline]")
    var templates: String?

    @Option(help: "Send change notices through this SMTP server: smtp://host:port or smtps://host:port. [REDLINE_SMTP_URL; default: write .eml files]")
    var smtpUrl: String?

    @Option(help: "Sender of change notices, e.g. 'Legal <notices@example.com>'. [REDLINE_MAIL_FROM, default: notices@ the site's host]")
    var mailFrom: String?

    @Option(help: "Where .eml files go when there is no SMTP server. [REDLINE_MAIL_DIR, default: outbox/ beside the database]")
    var mailDir: String?

    @Option(help: "Change notices sent per second, 0 for no limit. [REDLINE_MAIL_RATE, default: 20]")
    var mailRate: Double?

    @Option(help: "SMTP connections used at once. [REDLINE_MAIL_CONCURRENCY, default: 2]")
    var mailConcurrency: Int?

    func run() async throws {
        let source: Setting
        do {
            source = try await Setting.layered(file: config)
        } catch let error as SettingsFileError {
            Console.printError(error.description.split(separator: "\n").map { "error: \($0)" }.joined(separator: "\n"))
            throw ExitCode.failure
        }
        let setting = source.value(_:_:)
        var settings = ServerSettings()
        settings.siteDirectory = setting(site, "REDLINE_SITE") ?? settings.siteDirectory
        settings.databasePath = setting(db, "REDLINE_DB") ?? settings.databasePath
        settings.databaseTimeouts = try source.databaseTimeouts(dbTimeout)
        if let raw = setting(noticeGrace.map { String($0) }, "REDLINE_NOTICE_GRACE") {
            guard let hours = Double(raw), hours >= 0, hours <= 24 * 366 else { throw ValidationError("notice-grace must be hours from 0 to 8784, not '\(raw)'") }
            settings.noticeGrace = hours * 3600
        }
        settings.host = setting(host, "REDLINE_HOST") ?? settings.host
        if let raw = setting(port.map(String.init), "REDLINE_PORT") {
            guard let value = Int(raw), (0...65535).contains(value) else { throw ValidationError("port must be 0–65535, not '\(raw)'") }
            settings.port = value
        }
        if let raw = setting(ipRetention, "REDLINE_IP_RETENTION") {
            guard let value = AddressRetention(rawValue: raw) else {
                throw ValidationError("ip-retention must be drop, truncate or hash, not '\(raw)'")
            }
            settings.addressRetention = value
        }
        if let raw = setting(rateLimit.map(String.init), "REDLINE_RATE_LIMIT") {
            guard let value = Int(raw), value >= 0 else { throw ValidationError("rate-limit must be a whole number ≥ 0, not '\(raw)'") }
            settings.rateLimitPerMinute = value
        }
        if let raw = setting(rateBurst.map(String.init), "REDLINE_RATE_BURST") {
            guard let value = Int(raw), value >= 1 else { throw ValidationError("rate-burst must be a whole number ≥ 1, not '\(raw)'") }
            settings.rateLimitBurst = value
        }
        let proxies = source.list(trustedProxy, "REDLINE_TRUSTED_PROXIES")
        let headerName = setting(forwardedHeader, "REDLINE_FORWARDED_HEADER")?.lowercased() ?? TrustedProxies.Header.xForwardedFor.rawValue
        guard let header = TrustedProxies.Header(rawValue: headerName) else {
            throw ValidationError("forwarded-header must be x-forwarded-for or forwarded, not '\(headerName)'")
        }
        do {
            settings.trustedProxies = try TrustedProxies(parsing: proxies, header: header)
        } catch {
            throw ValidationError("\(error)")
        }
        settings.receiptKeyFile = setting(receiptKey, "REDLINE_RECEIPT_KEY")
        settings.checkpointFile = setting(checkpointLog, "REDLINE_CHECKPOINT_LOG")
        if let raw = setting(idleTimeout.map { String($0) }, "REDLINE_IDLE_TIMEOUT") {
            guard let value = Double(raw), value > 0, value <= 86_400 else { throw ValidationError("idle-timeout must be seconds > 0, not '\(raw)'") }
            settings.idleTimeout = .milliseconds(Int64(value * 1000))
        }
        if let raw = setting(maxConnections.map(String.init), "REDLINE_MAX_CONNECTIONS") {
            guard let value = Int(raw), value >= 4 else { throw ValidationError("max-connections must be a whole number ≥ 4, not '\(raw)'") }
            settings.maxConnections = value
        }
        if let raw = setting(nil, "REDLINE_CHECKPOINT_INTERVAL_MS"), let value = Int(raw), value > 0 {
            settings.checkpointInterval = .milliseconds(value)
        }
        settings.templatesDirectory = setting(templates, "REDLINE_TEMPLATES")
        source.readMail(into: &settings, smtpURL: smtpUrl, mailFrom: mailFrom, mailDir: mailDir)
        guard ["opportunistic", "required", "off"].contains(settings.smtpStartTLS) else {
            throw ValidationError("REDLINE_SMTP_STARTTLS must be opportunistic, required or off, not '\(settings.smtpStartTLS)'")
        }
        if let raw = setting(mailRate.map { String($0) }, "REDLINE_MAIL_RATE") {
            guard let value = Double(raw), value >= 0, value.isFinite else { throw ValidationError("mail-rate must be a number ≥ 0, not '\(raw)'") }
            settings.delivery.ratePerSecond = value
        }
        if let raw = setting(mailConcurrency.map(String.init), "REDLINE_MAIL_CONCURRENCY") {
            guard let value = Int(raw), (1...64).contains(value) else { throw ValidationError("mail-concurrency must be 1–64, not '\(raw)'") }
            settings.delivery.concurrency = value
        }
        if let raw = setting(nil, "REDLINE_MAIL_RETRY_BASE_MS"), let value = Int(raw), value > 0 {
            settings.delivery.retryBase = .milliseconds(value)
        }
        if let raw = setting(nil, "REDLINE_OUTBOX_LEASE") {
            guard let value = Double(raw), value >= 1, value <= 3600 else { throw ValidationError("REDLINE_OUTBOX_LEASE must be seconds from 1 to 3600, not '\(raw)'") }
            settings.delivery.lease = .milliseconds(Int64(value * 1000))
        }
        let levelName = setting(logLevel, "REDLINE_LOG_LEVEL") ?? "info"
        guard let level = Logger.Level(rawValue: levelName) else { throw ValidationError("log-level '\(levelName)' is not a level") }

        if printConfig {
            print(Self.describe(settings, logLevel: levelName, proxies: proxies, file: config))
            return
        }

        LoggingSystem.bootstrap { LineLogHandler(label: $0) }
        var logger = Logger(label: "redline")
        logger.logLevel = level

        // Anything that stops the start is one line and exit status 1, before a port is taken.
        if settings.port != 0, let problem = PortCheck.problem(host: settings.host, port: settings.port) {
            Console.printError("error: cannot listen on \(settings.host):\(settings.port): \(problem)")
            throw ExitCode.failure
        }
        let parts: ServerApplication.Parts
        let app: any ApplicationProtocol
        do {
            parts = try await ServerApplication.open(settings, logger: logger)
            try await parts.checkpoints.resume(keyring: parts.keyring)
            app = try ServerApplication.make(settings, parts: parts, logger: logger)
        } catch {
            Console.printError("error: \(Self.oneLine(error))")
            throw ExitCode.failure
        }
        let deadline = ShutdownDeadline(deadline: settings.shutdownTimeout + .seconds(1), logger: logger)
        var configuration = ServiceGroupConfiguration(services: [app, deadline], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // A stop never hangs: whatever is still running after the grace period is cancelled.
        configuration.maximumGracefulShutdownDuration = settings.shutdownTimeout
        do {
            try await ServiceGroup(configuration: configuration).run()
        } catch let error as IOError where error.errnoCode == EADDRINUSE || error.errnoCode == EACCES || error.errnoCode == EADDRNOTAVAIL {
            Console.printError("error: cannot listen on \(settings.host):\(settings.port): \(String(cString: strerror(error.errnoCode)))")
            throw ExitCode.failure
        } catch {
            await parts.database.close()
            Console.printError("error: \(Self.oneLine(error))")
            throw ExitCode.failure
        }
        await parts.database.close()
        logger.info("stopped")
    }

    /// The effective settings as a settings file would hold them; passwords and URLs' credentials masked.
    static func describe(_ settings: ServerSettings, logLevel: String, proxies: [String], file: String?) -> String {
        // Parsed by hand, not by URLComponents, which gives up on (or misreads) a raw '#' or '@' in a password.
        func masked(_ url: String?) -> String? { url.map(SecretText.maskingPasswords(in:)) }
        let lines: [(String, String?)] = [
            ("site", settings.siteDirectory), ("db", StoreDatabase.redacting(settings.databasePath)),
            ("db-timeout", Self.seconds(settings.databaseTimeouts.operation)), ("notice-grace", String(settings.noticeGrace / 3600)), ("host", settings.host),
            ("port", String(settings.port)), ("ip-retention", settings.addressRetention.rawValue),
            ("rate-limit", String(settings.rateLimitPerMinute)), ("rate-burst", String(settings.rateLimitBurst)),
            ("trusted-proxies", "[" + proxies.joined(separator: ", ") + "]"), ("forwarded-header", settings.trustedProxies.header.rawValue), ("log-level", logLevel), ("templates", settings.emailTemplatesDirectory.map { ($0 as NSString).deletingLastPathComponent } ?? "(built in)"),
            ("receipt-key", settings.receiptKeyPath), ("checkpoint-log", settings.checkpointPath),
            ("idle-timeout", Self.seconds(settings.idleTimeout)),
            ("max-connections", settings.maxConnections.map(String.init)), ("smtp-url", masked(settings.smtpURL)),
            ("smtp-username", settings.smtpUsername), ("smtp-password", settings.smtpPassword.map { _ in "***" }),
            ("smtp-starttls", settings.smtpStartTLS), ("mail-from", settings.mailFrom), ("mail-dir", settings.resolvedMailDirectory),
            ("mail-rate", String(settings.delivery.ratePerSecond)), ("mail-concurrency", String(settings.delivery.concurrency)),
            ("outbox-lease", String(settings.delivery.lease.components.seconds)),
        ]
        let header = "# redline serve: effective settings (flags over REDLINE_* over \(file ?? "no --config file") over defaults)"
        return ([header] + lines.map { "\($0.0): \($0.1 ?? "~")" }).joined(separator: "\n")
    }

    static func seconds(_ duration: Duration) -> String {
        String(Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }

    static func oneLine(_ error: any Error) -> String {
        "\(error)".split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
