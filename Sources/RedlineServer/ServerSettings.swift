import Foundation
import RedlineStores

/// How `redline serve` runs; from flags, then `REDLINE_*` environment variables, then defaults.
public struct ServerSettings: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// The built site: `redline build`'s output.
    public var siteDirectory = "public"
    /// A SQLite file, or a PostgreSQL URL (`postgres://…`) that several servers share.
    public var databasePath = "data/redline.sqlite"
    public var addressRetention = AddressRetention.drop
    /// Reverse proxies whose forwarding headers are believed (`--trusted-proxy`); none by default.
    public var trustedProxies = TrustedProxies.none
    /// API requests per minute per client; 0 turns limiting off (benchmarks).
    public var rateLimitPerMinute = 600
    public var rateLimitBurst = 120
    /// How often manifest.json is checked for a new build.
    public var manifestPollInterval: Duration = .seconds(1)

    // Change notices.
    /// Holds `email/notice.*.mustache`.
    public var templatesDirectory = "templates"
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
    /// A connection that sends nothing for this long is closed.
    public var idleTimeout: Duration = .seconds(30)
    /// Open connections at most; nil: as many as the file-descriptor limit allows.
    public var maxConnections: Int?
    /// How long SIGTERM or SIGINT waits for requests and background work before it stops them.
    public var shutdownTimeout: Duration = .seconds(8)

    /// The server's clock; tests move it.
    public var clock: @Sendable () -> Date = { Date() }

    public init() {}

    /// What the local files are named after: the SQLite file, or `data/redline` with PostgreSQL,
    /// whose database is elsewhere.
    public var localFileBase: String { StoreDatabase.localFileBase(databasePath) }
    public var receiptKeyPath: String { receiptKeyFile ?? localFileBase + ".receipt-key" }
    public var checkpointPath: String { checkpointFile ?? localFileBase + ".checkpoints" }
    /// The key for hashing addresses when `addressRetention` is `hash`.
    public var secretPath: String { localFileBase + ".secret" }
    public var emailTemplatesDirectory: String { (templatesDirectory as NSString).appendingPathComponent("email") }
    public var resolvedMailDirectory: String {
        mailDirectory ?? ((localFileBase as NSString).deletingLastPathComponent as NSString).appendingPathComponent("outbox")
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
