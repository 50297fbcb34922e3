import ArgumentParser
import Configuration
import Foundation
import RedlineConsent
import RedlineContent
import SystemPackage
import Yams

/// Where the settings of the commands that run or act like `redline serve` come from, in layers
/// (swift-configuration): a flag wins over its `REDLINE_*` variable, which wins over the settings
/// file (`--config`), which wins over the default. An empty variable counts as unset. Which names
/// exist, and what each variable is called, is ``SettingKey``'s to say.
struct SettingLayers: Sendable {
    private let reader: ConfigReader
    /// The settings file, when there is one.
    let file: String?

    private init(reader: ConfigReader, file: String?) {
        self.reader = reader
        self.file = file
    }

    /// `flags` over the environment over `file` (YAML, or JSON when it ends in .json). A file that
    /// is missing, malformed or names an unknown setting is an error naming the file and the line.
    static func layered(flags: SettingFlags = SettingFlags(), file: String?) async throws -> SettingLayers {
        var providers: [any ConfigProvider] = [flags.provider, environmentProvider()]
        if let file {
            try checkNames(in: file)
            do {
                providers.append(file.lowercased().hasSuffix(".json")
                    ? try await FileProvider<JSONSnapshot>(filePath: FilePath(file))
                    : try await FileProvider<YAMLSnapshot>(filePath: FilePath(file)))
            } catch {
                throw SettingsFileError(description: "\(file): \(Self.withoutContent(error))")
            }
        }
        return SettingLayers(reader: ConfigReader(providers: providers), file: file)
    }

    /// `layered`, for a command: a bad file is printed as `error:` lines and exit status 1.
    static func forCommand(flags: SettingFlags = SettingFlags(), file: String?) async throws -> SettingLayers {
        do {
            return try await layered(flags: flags, file: file)
        } catch let error as SettingsFileError {
            Console.printError(error.description.split(separator: "\n").map { "error: \($0)" }.joined(separator: "\n"))
            throw ExitCode.failure
        }
    }

    private static func environmentProvider() -> some ConfigProvider {
        let variables = ProcessInfo.processInfo.environment.filter { $0.key.hasPrefix("REDLINE_") && !$0.value.isEmpty }
        return EnvironmentVariablesProvider(environmentVariables: variables, secretsSpecifier: .specific(SettingKey.secretVariables))
            .prefixKeys(with: ConfigKey(["redline"]))
    }

    /// The value of the top layer that sets `key`, as text.
    func value(_ key: SettingKey) -> String? {
        let name = key.configKey
        // A JSON or YAML file may give a number or a boolean where a variable gives text.
        return reader.string(forKey: name) ?? reader.int(forKey: name).map(String.init) ?? reader.double(forKey: name).map { String($0) }
            ?? reader.bool(forKey: name).map(String.init)
    }

    /// A list: repeated flags, or the variable (comma-separated), or a list in the file.
    func list(_ key: SettingKey) -> [String] {
        let name = key.configKey
        return (reader.stringArray(forKey: name) ?? reader.string(forKey: name).map { $0.split(separator: ",").map(String.init) } ?? [])
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
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
            guard let name = key.string, !SettingKey.fileNames.contains(name) else { return nil }
            let hint = SettingKey.fileNames.min { distance($0, name) < distance($1, name) }.flatMap { distance($0, name) <= 3 ? " (did you mean \($0)?)" : nil } ?? ""
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

/// The flags one command was given, by setting: the top layer, so a flag wins by the same rule
/// as everything else.
struct SettingFlags: Sendable {
    private var values: [AbsoluteConfigKey: ConfigValue] = [:]
    /// The settings a flag was given for.
    private(set) var keys: Set<SettingKey> = []

    init() {}

    /// `given` maps each flag's setting to its value, nil when the flag was not given;
    /// `lists` the repeatable flags, empty when not given.
    init(_ given: [SettingKey: (any LosslessStringConvertible)?], lists: [SettingKey: [String]] = [:]) {
        for (key, value) in given {
            if let value { set(key, .string(value.description)) }
        }
        for (key, list) in lists where !list.isEmpty {
            set(key, .stringArray(list))
        }
    }

    private mutating func set(_ key: SettingKey, _ content: ConfigContent) {
        values[AbsoluteConfigKey(key.configKey)] = ConfigValue(content, isSecret: key.isSecret)
        keys.insert(key)
    }

    var provider: InMemoryProvider { InMemoryProvider(name: "flags", values: values) }
}
