import ArgumentParser
import Foundation
import Logging
import RedlineConsent
import RedlineServer
import RedlineStores
import RedlineTransparency

extension ServerSettings {
    /// The settings `keys` name, each from the top layer that sets it, over the defaults. A value
    /// that is not what its setting takes stops the command with a message naming the setting.
    init(reading layers: SettingLayers, keys: [SettingKey] = SettingKey.allCases) throws {
        self.init()
        for key in keys {
            if key.isList {
                try key.read(list: layers.list(key), into: &self)
            } else if let raw = layers.value(key) {
                try key.read(raw, into: &self)
            }
        }
    }
}

extension SettingKey {
    /// Sets what `raw` says in `settings`.
    func read(_ raw: String, into settings: inout ServerSettings) throws {
        switch self {
        case .site: settings.siteDirectory = raw
        case .db: settings.databasePath = raw
        case .dbTimeout:
            let seconds = try Self.parse(raw, Double.init, "db-timeout must be seconds from 0 to 3600") { $0 > 0 && $0 <= 3600 }
            settings.databaseTimeouts.operation = .milliseconds(Int64(seconds * 1000))
            settings.databaseTimeouts.connect = min(settings.databaseTimeouts.connect, settings.databaseTimeouts.operation)
        case .noticeGrace:
            settings.noticeGrace = try Self.parse(raw, Double.init, "notice-grace must be hours from 0 to 8784") { $0 >= 0 && $0 <= 24 * 366 } * 3600
        case .host: settings.host = raw
        case .port: settings.port = try Self.parse(raw, Int.init, "port must be 0–65535") { (0...65535).contains($0) }
        case .ipRetention: settings.addressRetention = try Self.parse(raw, AddressRetention.init(rawValue:), "ip-retention must be drop, truncate or hash")
        case .rateLimit: settings.rateLimitPerMinute = try Self.parse(raw, Int.init, "rate-limit must be a whole number ≥ 0") { $0 >= 0 }
        case .rateBurst: settings.rateLimitBurst = try Self.parse(raw, Int.init, "rate-burst must be a whole number ≥ 1") { $0 >= 1 }
        case .trustedProxies: try read(list: raw.split(separator: ",").map(String.init), into: &settings)
        case .forwardedHeader:
            settings.trustedProxies.header = try Self.parse(raw.lowercased(), TrustedProxies.Header.init(rawValue:),
                                                            "forwarded-header must be x-forwarded-for or forwarded")
        case .logLevel:
            guard let level = Logger.Level(rawValue: raw) else { throw ValidationError("log-level '\(raw)' is not a level") }
            settings.logLevel = level
        case .templates: settings.templatesDirectory = raw
        case .receiptKey: settings.receiptKeyFile = raw
        case .checkpointLog: settings.checkpointFile = raw
        case .logOrigin:
            guard NoteVerifier.isValidName(raw) else { throw ValidationError("log-origin must be a name without spaces or '+', like legal.example.com/consent, not '\(raw)'") }
            settings.logOrigin = raw
        case .witnesses, .witnessKeys: try read(list: raw.split(separator: ",").map(String.init), into: &settings)
        case .witnessQuorum: settings.witnessQuorum = try Self.parse(raw, Int.init, "witness-quorum must be a whole number ≥ 0") { $0 >= 0 }
        case .idleTimeout:
            let seconds = try Self.parse(raw, Double.init, "idle-timeout must be seconds > 0") { $0 > 0 && $0 <= 86_400 }
            settings.idleTimeout = .milliseconds(Int64(seconds * 1000))
        case .maxConnections: settings.maxConnections = try Self.parse(raw, Int.init, "max-connections must be a whole number ≥ 4") { $0 >= 4 }
        default: try readMail(raw, into: &settings)
        }
    }

    /// The settings of change notices and their delivery.
    private func readMail(_ raw: String, into settings: inout ServerSettings) throws {
        switch self {
        case .smtpURL: settings.smtpURL = raw
        case .smtpUsername: settings.smtpUsername = raw
        case .smtpPassword: settings.smtpPassword = raw
        case .smtpStartTLS:
            settings.smtpStartTLS = try Self.parse(raw, { $0 }, "\(variable) must be opportunistic, required or off") {
                ["opportunistic", "required", "off"].contains($0)
            }
        case .mailFrom: settings.mailFrom = raw
        case .mailDir: settings.mailDirectory = raw
        case .mailRate: settings.delivery.ratePerSecond = try Self.parse(raw, Double.init, "mail-rate must be a number ≥ 0") { $0 >= 0 && $0.isFinite }
        case .mailConcurrency: settings.delivery.concurrency = try Self.parse(raw, Int.init, "mail-concurrency must be 1–64") { (1...64).contains($0) }
        case .outboxLease:
            let seconds = try Self.parse(raw, Double.init, "\(variable) must be seconds from 1 to 3600") { $0 >= 1 && $0 <= 3600 }
            settings.delivery.lease = .milliseconds(Int64(seconds * 1000))
        // Knobs for tests: a value that is no positive number leaves the default.
        case .checkpointIntervalMs: if let value = Int(raw), value > 0 { settings.checkpointInterval = .milliseconds(value) }
        case .mailRetryBaseMs: if let value = Int(raw), value > 0 { settings.delivery.retryBase = .milliseconds(value) }
        default: preconditionFailure("\(self) is not a mail setting")
        }
    }

    /// The list setting's values into `settings`.
    func read(list: [String], into settings: inout ServerSettings) throws {
        precondition(isList, "\(self) is not a list")
        let values = list.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if self == .witnesses {
            for url in values where !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
                throw ValidationError("witness must be an http:// or https:// URL (the witness's submission prefix), not '\(url)'")
            }
            settings.witnessURLs = values
            return
        }
        if self == .witnessKeys {
            settings.witnessKeys = values
            return
        }
        do {
            settings.trustedProxies = try TrustedProxies(parsing: list, header: settings.trustedProxies.header)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// `raw` made a `T` that `isValid` accepts, or the error "`rule`, not 'raw'".
    private static func parse<T>(_ raw: String, _ make: (String) -> T?, _ rule: String, where isValid: (T) -> Bool = { _ in true }) throws -> T {
        guard let value = make(raw), isValid(value) else { throw ValidationError("\(rule), not '\(raw)'") }
        return value
    }
}

extension SettingKey {
    /// Whether `--print-config` shows it; the knobs tests turn it leaves out.
    var isPrinted: Bool { self != .checkpointIntervalMs && self != .mailRetryBaseMs }

    /// The effective value as a settings file would hold it, passwords masked; nil when unset.
    func shown(in settings: ServerSettings) -> String? {
        switch self {
        case .site: return settings.siteDirectory
        case .db: return StoreDatabase.redacting(settings.databasePath)
        case .dbTimeout: return Self.seconds(settings.databaseTimeouts.operation)
        case .noticeGrace: return String(settings.noticeGrace / 3600)
        case .host: return settings.host
        case .port: return String(settings.port)
        case .ipRetention: return settings.addressRetention.rawValue
        case .rateLimit: return String(settings.rateLimitPerMinute)
        case .rateBurst: return String(settings.rateLimitBurst)
        case .trustedProxies: return "[" + settings.trustedProxies.cidrs.joined(separator: ", ") + "]"
        case .forwardedHeader: return settings.trustedProxies.header.rawValue
        case .logLevel: return settings.logLevel.rawValue
        case .templates: return settings.emailTemplatesDirectory.map { ($0 as NSString).deletingLastPathComponent } ?? "(built in)"
        case .receiptKey: return settings.receiptKeyPath
        case .checkpointLog: return settings.checkpointPath
        case .logOrigin: return settings.logOrigin ?? "(the site's host)/consent"
        case .witnesses: return "[" + settings.witnessURLs.joined(separator: ", ") + "]"
        case .witnessKeys: return "[" + settings.witnessKeys.joined(separator: ", ") + "]"
        case .witnessQuorum: return settings.witnessQuorum.map(String.init) ?? "(every witness)"
        case .idleTimeout: return Self.seconds(settings.idleTimeout)
        case .maxConnections: return settings.maxConnections.map(String.init)
        // Parsed by hand, not by URLComponents, which gives up on (or misreads) a raw '#' or '@' in a password.
        case .smtpURL: return settings.smtpURL.map(SecretText.maskingPasswords(in:))
        case .smtpUsername: return settings.smtpUsername
        case .smtpPassword: return settings.smtpPassword.map { _ in "***" }
        case .smtpStartTLS: return settings.smtpStartTLS
        case .mailFrom: return settings.mailFrom
        case .mailDir: return settings.resolvedMailDirectory
        case .mailRate: return String(settings.delivery.ratePerSecond)
        case .mailConcurrency: return String(settings.delivery.concurrency)
        case .outboxLease: return String(settings.delivery.lease.components.seconds)
        case .checkpointIntervalMs, .mailRetryBaseMs: return nil
        }
    }

    static func seconds(_ duration: Duration) -> String {
        String(Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }
}
