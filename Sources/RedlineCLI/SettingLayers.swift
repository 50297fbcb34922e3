import ArgumentParser
import Configuration
import Foundation
import RedlineConsent
import RedlineContent
import RedlineServer
import RedlineStores
import SystemPackage
import Yams

/// Settings of the commands that run or act like `redline serve`, in layers (swift-configuration):
/// a flag wins over its `REDLINE_*` variable, which wins over the settings file (`--config`),
/// which wins over the default. An empty variable counts as unset. In the file, a setting is
/// named like its flag (`rate-limit: 600`); its variable is REDLINE_ and the name in capitals
/// with `_` for `-` (`REDLINE_RATE_LIMIT`).
struct Setting: Sendable {
    private let reader: ConfigReader
    /// The settings file, when there is one.
    let file: String?

    /// Every name a settings file may use.
    static let names: Set<String> = [
        "site", "db", "host", "port", "ip-retention", "rate-limit", "rate-burst", "trusted-proxies", "forwarded-header", "log-level", "templates",
        "receipt-key", "checkpoint-log", "idle-timeout", "max-connections", "smtp-url", "smtp-username", "smtp-password",
        "smtp-starttls", "mail-from", "mail-dir", "mail-rate", "mail-concurrency", "mail-retry-base-ms", "outbox-lease",
        "checkpoint-interval-ms", "db-timeout", "notice-grace",
    ]

    /// The environment alone: for commands without `--config`.
    static let environment = Setting(reader: ConfigReader(provider: environmentProvider()), file: nil)

    private init(reader: ConfigReader, file: String?) {
        self.reader = reader
        self.file = file
    }

    /// The environment over `file` (YAML, or JSON when it ends in .json). A file that is missing,
    /// malformed or names an unknown setting is an error naming the file and the line.
    static func layered(file: String?) async throws -> Setting {
        guard let file else { return environment }
        try checkNames(in: file)
        let provider: any ConfigProvider
        do {
            provider = file.lowercased().hasSuffix(".json")
                ? try await FileProvider<JSONSnapshot>(filePath: FilePath(file))
                : try await FileProvider<YAMLSnapshot>(filePath: FilePath(file))
        } catch {
            throw SettingsFileError(description: "\(file): \(Self.withoutContent(error))")
        }
        return Setting(reader: ConfigReader(providers: [environmentProvider(), provider]), file: file)
    }

    private static func environmentProvider() -> some ConfigProvider {
        let variables = ProcessInfo.processInfo.environment.filter { $0.key.hasPrefix("REDLINE_") && !$0.value.isEmpty }
        return EnvironmentVariablesProvider(environmentVariables: variables,
                                            secretsSpecifier: .specific(["REDLINE_SMTP_PASSWORD", "REDLINE_SMTP_URL", "REDLINE_DB"]))
            .prefixKeys(with: ConfigKey(["redline"]))
    }

    /// The name in the file of the setting whose variable is `variable`: REDLINE_RATE_LIMIT → rate-limit.
    static func name(of variable: String) -> String {
        variable.dropFirst("REDLINE_".count).lowercased().replacingOccurrences(of: "_", with: "-")
    }

    func value(_ flag: String?, _ variable: String) -> String? {
        if let flag { return flag }
        let key = ConfigKey([Self.name(of: variable)])
        // A JSON or YAML file may give a number or a boolean where a variable gives text.
        return reader.string(forKey: key) ?? reader.int(forKey: key).map(String.init) ?? reader.double(forKey: key).map { String($0) }
            ?? reader.bool(forKey: key).map(String.init)
    }

    /// A list: repeated flags, or the variable (comma-separated), or a list in the file.
    func list(_ flags: [String], _ variable: String) -> [String] {
        guard flags.isEmpty else { return flags }
        let key = ConfigKey([Self.name(of: variable)])
        return (reader.stringArray(forKey: key) ?? reader.string(forKey: key).map { $0.split(separator: ",").map(String.init) } ?? [])
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func value(_ flag: String?, _ variable: String) -> String? {
        environment.value(flag, variable)
    }

    /// How change notices leave: the SMTP server and sender (flag, variable or file), its credentials
    /// and STARTTLS policy (variables or file only, so they never show in a process list), the `.eml` folder.
    func readMail(into settings: inout ServerSettings, smtpURL: String? = nil, mailFrom: String? = nil, mailDir: String? = nil) {
        settings.smtpURL = value(smtpURL, "REDLINE_SMTP_URL")
        settings.smtpUsername = value(nil, "REDLINE_SMTP_USERNAME")
        settings.smtpPassword = value(nil, "REDLINE_SMTP_PASSWORD")
        settings.smtpStartTLS = value(nil, "REDLINE_SMTP_STARTTLS") ?? settings.smtpStartTLS
        settings.mailFrom = value(mailFrom, "REDLINE_MAIL_FROM")
        settings.mailDirectory = value(mailDir, "REDLINE_MAIL_DIR")
    }

    /// `--db-timeout` (seconds), from the flag, REDLINE_DB_TIMEOUT or the file.
    func databaseTimeouts(_ flag: Double?) throws -> DatabaseTimeouts {
        var timeouts = DatabaseTimeouts.standard
        if let raw = value(flag.map { String($0) }, "REDLINE_DB_TIMEOUT") {
            guard let seconds = Double(raw), seconds > 0, seconds <= 3600 else {
                throw ValidationError("db-timeout must be seconds from 0 to 3600, not '\(raw)'")
            }
            timeouts.operation = .milliseconds(Int64(seconds * 1000))
            timeouts.connect = min(timeouts.connect, timeouts.operation)
        }
        return timeouts
    }

    static func readMail(into settings: inout ServerSettings, smtpURL: String? = nil, mailFrom: String? = nil, mailDir: String? = nil) {
        environment.readMail(into: &settings, smtpURL: smtpURL, mailFrom: mailFrom, mailDir: mailDir)
    }

    /// Top-level names of the file that are no setting: `file:line: unknown setting`, every one at once.
    private static func checkNames(in file: String) throws {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw SettingsFileError(description: "\(file): cannot be read")
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)  // JSON is YAML too
        } catch {
            throw SettingsFileError(description: "\(file): not valid YAML or JSON: \(withoutContent(error))")
        }
        guard let node else { return }
        // Checked here, before swift-configuration's own parser walks the file with no such bound.
        if let bomb = YAMLAliases.problem(in: node) {
            throw SettingsFileError(description: "\(file):\(bomb.line): \(bomb.message)")
        }
        guard let mapping = node.mapping else {
            throw SettingsFileError(description: "\(file):\(node.mark?.line ?? 1): the settings must be a mapping of names to values")
        }
        let problems = mapping.keys.compactMap { key -> String? in
            guard let name = key.string, !names.contains(name) else { return nil }
            let hint = names.min { distance($0, name) < distance($1, name) }.flatMap { distance($0, name) <= 3 ? " (did you mean \($0)?)" : nil } ?? ""
            return "\(file):\(key.mark?.line ?? 0): unknown setting '\(name)'\(hint)"
        }
        if !problems.isEmpty { throw SettingsFileError(description: problems.joined(separator: "\n")) }
    }

    /// What went wrong with the file, never what it holds: a YAML error's own description quotes
    /// the offending line, which may be `smtp-password: …` or a URL with its password.
    static func withoutContent(_ error: any Error) -> String {
        guard let error = error as? YamlError else { return "cannot be read as settings (\(type(of: error)))" }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            return "line \(mark.line), column \(mark.column): \(context.map { "\($0.text) " } ?? "")\(problem)"
        case let .reader(problem, offset, _, _):
            return "\(problem)\(offset.map { " at byte \($0)" } ?? "")"
        case let .duplicatedKeysInMapping(duplicates, _):
            return "duplicated setting \(duplicates.joined(separator: ", "))"
        default:
            return "not valid YAML"
        }
    }

    private static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }
}

struct SettingsFileError: Error, CustomStringConvertible {
    let description: String
}
