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
            Every option can also be set with an environment variable: \
            \(SettingKey.allCases.filter { $0.flag != nil }.map(\.variable).joined(separator: ", ")). \
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

    @Option(help: "The consent log's name in its checkpoints. [REDLINE_LOG_ORIGIN, default: the site's host and /consent]")
    var logOrigin: String?

    @Option(name: .customLong("witness"),
            help: "A witness (c2sp.org/tlog-witness submission URL) to cosign each log checkpoint; repeat. [REDLINE_WITNESSES, comma-separated]")
    var witness: [String] = []

    @Option(name: .customLong("witness-key"),
            help: "A witness's verifier key (the KEY.vkey file redline witness writes); repeat. Cosignatures by other keys are ignored. [REDLINE_WITNESS_KEYS]")
    var witnessKey: [String] = []

    @Option(help: "Cosignatures that make a checkpoint witnessed; receipts lead to the newest such checkpoint. [REDLINE_WITNESS_QUORUM, default: every witness]")
    var witnessQuorum: Int?

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

    /// The flags given, by setting: the top layer of the settings.
    var flags: SettingFlags {
        SettingFlags([.site: site, .db: db, .receiptKey: receiptKey, .checkpointLog: checkpointLog, .idleTimeout: idleTimeout,
                      .maxConnections: maxConnections, .dbTimeout: dbTimeout, .noticeGrace: noticeGrace, .host: host, .port: port,
                      .ipRetention: ipRetention, .rateLimit: rateLimit, .rateBurst: rateBurst, .forwardedHeader: forwardedHeader,
                      .logLevel: logLevel, .templates: templates, .smtpURL: smtpUrl, .mailFrom: mailFrom, .mailDir: mailDir,
                      .mailRate: mailRate, .mailConcurrency: mailConcurrency, .logOrigin: logOrigin, .witnessQuorum: witnessQuorum],
                     lists: [.trustedProxies: trustedProxy, .witnesses: witness, .witnessKeys: witnessKey])
    }

    func run() async throws {
        let settings = try ServerSettings(reading: try await SettingLayers.forCommand(flags: flags, file: config))
        if printConfig {
            print(Self.describe(settings, file: config))
            return
        }
        LoggingSystem.bootstrap { LineLogHandler(label: $0) }
        var logger = Logger(label: "redline")
        logger.logLevel = settings.logLevel

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
            try await parts.log.resume(keyring: parts.keyring)
            app = try ServerApplication.make(settings, parts: parts, logger: logger)
        } catch {
            Console.printError("error: \(Self.oneLine(error))")
            throw ExitCode.failure
        }
        try await Self.serve(app, parts: parts, settings: settings, logger: logger)
    }

    /// Runs the application until SIGTERM or SIGINT, then closes the database.
    private static func serve(_ app: any ApplicationProtocol, parts: ServerApplication.Parts, settings: ServerSettings, logger: Logger) async throws {
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
            Console.printError("error: \(oneLine(error))")
            throw ExitCode.failure
        }
        await parts.database.close()
        logger.info("stopped")
    }

    /// The effective settings as a settings file would hold them; passwords and URLs' credentials masked.
    static func describe(_ settings: ServerSettings, file: String?) -> String {
        let header = "# redline serve: effective settings (flags over REDLINE_* over \(file ?? "no --config file") over defaults)"
        let lines = SettingKey.allCases.filter(\.isPrinted).map { "\($0.name): \($0.shown(in: settings) ?? "~")" }
        return ([header] + lines).joined(separator: "\n")
    }

    static func oneLine(_ error: any Error) -> String {
        "\(error)".split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
