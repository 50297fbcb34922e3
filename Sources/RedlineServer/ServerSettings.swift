import Foundation

/// How `redline serve` runs; from flags, then `REDLINE_*` environment variables, then defaults.
public struct ServerSettings: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// The built site: `redline build`'s output.
    public var siteDirectory = "public"
    public var databasePath = "data/redline.sqlite"
    public var addressRetention = AddressRetention.drop
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

    public init() {}

    /// The Ed25519 receipt key lives next to the database it signs for.
    public var receiptKeyPath: String { databasePath + ".receipt-key" }
    /// The key for hashing addresses when `addressRetention` is `hash`.
    public var secretPath: String { databasePath + ".secret" }
    public var emailTemplatesDirectory: String { (templatesDirectory as NSString).appendingPathComponent("email") }
    public var resolvedMailDirectory: String {
        mailDirectory ?? ((databasePath as NSString).deletingLastPathComponent as NSString).appendingPathComponent("outbox")
    }
}
