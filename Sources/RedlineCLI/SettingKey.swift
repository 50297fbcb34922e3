import Configuration

/// Every setting of `redline serve` and of the commands that act like it, in the order
/// `--print-config` shows them. The names a settings file may use, the `REDLINE_*` variables,
/// which values are secret and how each is read into `ServerSettings` all come from this list,
/// so they cannot disagree; `SettingKeyTests` holds the flags and the README's table to it.
enum SettingKey: String, CaseIterable, Sendable {
    case site, db
    case dbTimeout = "db-timeout", noticeGrace = "notice-grace"
    case host, port
    case ipRetention = "ip-retention", rateLimit = "rate-limit", rateBurst = "rate-burst"
    case trustedProxies = "trusted-proxies", forwardedHeader = "forwarded-header", logLevel = "log-level"
    case templates
    case receiptKey = "receipt-key", checkpointLog = "checkpoint-log"
    case logOrigin = "log-origin", witnesses, witnessKeys = "witness-keys", witnessQuorum = "witness-quorum"
    case idleTimeout = "idle-timeout", maxConnections = "max-connections"
    case smtpURL = "smtp-url", smtpUsername = "smtp-username", smtpPassword = "smtp-password", smtpStartTLS = "smtp-starttls"
    case mailFrom = "mail-from", mailDir = "mail-dir", mailRate = "mail-rate", mailConcurrency = "mail-concurrency"
    case outboxLease = "outbox-lease"
    case checkpointIntervalMs = "checkpoint-interval-ms", mailRetryBaseMs = "mail-retry-base-ms"

    /// The name in a settings file (`rate-limit: 600`).
    var name: String { rawValue }

    var configKey: ConfigKey { ConfigKey([rawValue]) }

    /// `REDLINE_` and the name in capitals with `_` for `-`: REDLINE_RATE_LIMIT.
    var variable: String { "REDLINE_" + rawValue.uppercased().replacingOccurrences(of: "-", with: "_") }

    /// `redline serve`'s flag for it. None for the SMTP credentials and STARTTLS policy (a process
    /// list would show them) nor for the knobs tests turn.
    var flag: String? {
        switch self {
        case .trustedProxies: return "--trusted-proxy"
        case .witnesses: return "--witness"
        case .witnessKeys: return "--witness-key"
        case .smtpUsername, .smtpPassword, .smtpStartTLS, .outboxLease, .checkpointIntervalMs, .mailRetryBaseMs: return nil
        default: return "--" + rawValue
        }
    }

    /// Values that may hold a password: masked wherever swift-configuration reports them.
    var isSecret: Bool { self == .db || self == .smtpURL || self == .smtpPassword }

    /// Several values: repeated flags, a comma-separated variable, or a list in the file.
    var isList: Bool { self == .trustedProxies || self == .witnesses || self == .witnessKeys }

    /// Every name a settings file may use.
    static let fileNames = Set(allCases.map(\.name))

    /// The variables swift-configuration treats as secrets.
    static let secretVariables = Set(allCases.filter(\.isSecret).map(\.variable))

    /// The settings of the commands that work on `redline serve`'s database and mail directly.
    static let databaseCommandKeys: [SettingKey] = [
        .site, .db, .dbTimeout, .templates, .receiptKey, .checkpointLog,
        .smtpURL, .smtpUsername, .smtpPassword, .smtpStartTLS, .mailFrom, .mailDir,
    ]
}
