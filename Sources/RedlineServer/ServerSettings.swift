import Foundation
import Logging
import RedlineConsent
import RedlineManifest
import RedlineNotices
import RedlineStores

/// How `redline serve` runs: read once, from flags over `REDLINE_*` variables over the settings
/// file over these defaults, and passed down.
public struct ServerSettings: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// The built site: `redline build`'s output.
    public var siteDirectory = "public"
    /// A SQLite file, or a PostgreSQL URL (`postgres://…`) that several servers share.
    public var databasePath = "data/redline.sqlite"
    /// How long a request waits for PostgreSQL before it answers 503 (`--db-timeout`).
    public var databaseTimeouts = DatabaseTimeouts.standard
    public var addressRetention = AddressRetention.drop
    /// Reverse proxies whose forwarding headers are believed (`--trusted-proxy`); none by default.
    public var trustedProxies = TrustedProxies.none
    /// API requests per minute per client; 0 turns limiting off (benchmarks).
    public var rateLimitPerMinute = 600
    public var rateLimitBurst = 120
    /// How long a banner version replaced by a rebuild is still accepted in consent records
    /// (pages and consent/config.json cached in browsers), in seconds (`--notice-grace`, in hours).
    public var noticeGrace: TimeInterval = 24 * 3600
    /// The least important messages the log keeps.
    public var logLevel = Logger.Level.info
    /// How often manifest.json is checked for a new build.
    public var manifestPollInterval: Duration = .seconds(1)

    // Change notices.
    /// Holds `email/notice.*.mustache`; nil: `templates/` of the working folder when it has
    /// `email/`, else the templates built into the binary (a lone installed binary works).
    public var templatesDirectory: String?
    /// `smtp://host:port` or `smtps://…`; nil writes `.eml` files to `mailDirectory` instead.
    public var smtpURL: String?
    public var smtpUsername: String?
    public var smtpPassword: String?
    public var smtpStartTLS = "opportunistic"
    /// `Name <address>` or an address; nil: `notices@` the site's host.
    public var mailFrom: String?
    /// Where `.eml` files go without SMTP; nil: `outbox/` next to the database.
    public var mailDirectory: String?
    public var delivery = DeliverySettings()

    /// The Ed25519 receipt key; nil: beside the database. Keep it elsewhere (see README: key custody).
    public var receiptKeyFile: String?
    /// The signed checkpoint log; nil: beside the database.
    public var checkpointFile: String?
    /// How often a checkpoint is signed while consents come in.
    public var checkpointInterval: Duration = .seconds(5)
    /// The log's name in its checkpoints; nil: the site's host and `/consent`.
    public var logOrigin: String?
    /// Witnesses (c2sp.org/tlog-witness submission prefixes) asked to cosign each checkpoint.
    public var witnessURLs: [String] = []
    /// The witnesses' verifier keys (vkeys); cosignatures by other keys are ignored.
    public var witnessKeys: [String] = []
    /// How many witness cosignatures make a checkpoint witnessed; nil: every witness's.
    public var witnessQuorum: Int?
    /// A connection that sends nothing for this long is closed.
    public var idleTimeout: Duration = .seconds(30)
    /// Open connections at most; nil: as many as the file-descriptor limit allows.
    public var maxConnections: Int?
    /// How long SIGTERM or SIGINT waits for requests and background work before it stops them.
    public var shutdownTimeout: Duration = .seconds(8)

    /// The server's clock, and with it the one today of consent, notices and as-of pages; tests move it.
    public var clock = ServerClock.system

    public init() {}

    /// What the local files are named after: the SQLite file, or `data/redline` with PostgreSQL,
    /// whose database is elsewhere.
    public var localFileBase: String { StoreDatabase.localFileBase(databasePath) }
    public var receiptKeyPath: String { receiptKeyFile ?? localFileBase + ".receipt-key" }
    public var checkpointPath: String { checkpointFile ?? localFileBase + ".checkpoints" }
    public var checkpointNotesPath: String { CheckpointNotes.path(forLog: checkpointPath) }
    /// Banner versions a rebuild replaced, still accepted for `noticeGrace`.
    public var shownNoticesPath: String { localFileBase + ".notices" }
    /// The key for hashing addresses when `addressRetention` is `hash`.
    public var secretPath: String { localFileBase + ".secret" }
    /// The e-mail templates folder to read, or nil for the built-in templates.
    public var emailTemplatesDirectory: String? {
        if let templatesDirectory { return (templatesDirectory as NSString).appendingPathComponent("email") }
        return FileManager.default.fileExists(atPath: "templates/email") ? "templates/email" : nil
    }
    public var resolvedMailDirectory: String {
        mailDirectory ?? ((localFileBase as NSString).deletingLastPathComponent as NSString).appendingPathComponent("outbox")
    }
    /// How change notices are written and sent.
    public var mail: MailSettings {
        MailSettings(templatesDirectory: emailTemplatesDirectory, smtpURL: smtpURL, smtpUsername: smtpUsername, smtpPassword: smtpPassword,
                     smtpStartTLS: smtpStartTLS, mailFrom: mailFrom, mailDirectory: resolvedMailDirectory)
    }
    /// The database as it may be printed: a URL's password masked.
    public var databaseDescription: String { StoreDatabase.redacting(databasePath) }
}

/// Settings print without the SMTP URL (it may carry a password), the password itself, or a database URL's password.
extension ServerSettings: CustomReflectable {
    public var customMirror: Mirror {
        Mirror(self, children: ["host": host, "port": port, "siteDirectory": siteDirectory, "databasePath": databaseDescription,
                                "receiptKeyPath": receiptKeyPath, "checkpointPath": checkpointPath], displayStyle: .struct)
    }
}
