import ArgumentParser
import Foundation
import RedlineServer
import RedlineTestSupport
import Testing
@testable import RedlineCLI

/// `SettingKey` is the one list of settings: `redline serve`'s flags, the README's table and the
/// variables may not drift from it again.
@Suite struct SettingKeyTests {
    /// Every flag of `redline serve` that is a setting, as its help lists them.
    static func serveFlags() -> Set<String> {
        let help = ServeCommand.helpMessage(columns: 10_000)
        let flags = help.matches(of: /--[a-z][a-z-]*/).map { String($0.output) }
        return Set(flags).subtracting(["--config", "--print-config", "--help"])
    }

    @Test func everyFlagOfServeIsASettingKeyAndEverySettingKeyWithAFlagIsAFlagOfServe() {
        #expect(Self.serveFlags() == Set(SettingKey.allCases.compactMap(\.flag)))
    }

    @Test func everyFlagOfServeSetsItsOwnKey() throws {
        for key in SettingKey.allCases {
            guard let flag = key.flag else { continue }
            let command = try ServeCommand.parse([flag, "1"])
            #expect(command.flags.keys == [key], "\(flag) sets \(command.flags.keys), not \(key)")
        }
    }

    @Test func everyVariableIsNamedAfterItsKey() {
        for key in SettingKey.allCases {
            #expect(key.variable == "REDLINE_" + key.name.uppercased().replacingOccurrences(of: "-", with: "_"))
        }
        #expect(Set(SettingKey.allCases.map(\.variable)).count == SettingKey.allCases.count)
    }

    /// The README's "Server settings" table: one row per key, with its flag (or —) and its variable.
    @Test func theReadmeTableListsEveryKeyWithItsFlagAndVariable() throws {
        let readme = try String(contentsOfFile: Repository.root + "/README.md", encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "### Server settings").dropFirst().first)
        let rows = section.split(separator: "\n").prefix { !$0.hasPrefix("#") }.filter { $0.hasPrefix("| `") }.map { line in
            line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "`", with: "") }
        }
        #expect(rows.map { $0[0] } == SettingKey.allCases.map(\.name))
        for (row, key) in zip(rows, SettingKey.allCases) {
            #expect(row[1] == (key.flag ?? "—"), "\(key.name)")
            #expect(row[2] == key.variable, "\(key.name)")
        }
    }

    @Test func aFlagWinsOverTheFileAndTheFileOverTheDefault() async throws {
        let directory = TemporaryDirectory()
        directory.write("redline.yaml", "port: 9090\nrate-limit: 100\ntrusted-proxies: [10.0.0.0/8]\n")
        let flags = SettingFlags([.port: 9191, .host: nil])
        let settings = try ServerSettings(reading: try await SettingLayers.layered(flags: flags, file: directory.subpath("redline.yaml")))
        #expect(settings.port == 9191)
        #expect(settings.rateLimitPerMinute == 100)
        #expect(settings.trustedProxies.cidrs == ["10.0.0.0/8"])
        #expect(settings.host == "127.0.0.1")
    }
}
