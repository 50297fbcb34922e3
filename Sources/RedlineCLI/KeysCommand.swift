import ArgumentParser
import Foundation
import RedlineConsent
import RedlineNotices
import RedlineStores

/// `redline keys …`: API keys for the admin API.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create, list and revoke keys for the admin API (/api/v1/admin/).",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key and print it once; only its bcrypt hash is kept.")

        @OptionGroup var database: DatabaseOptions

        @Option(help: "A name to tell the key by, e.g. the service that uses it.")
        var name: String

        func run() async throws {
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty, name.count <= 100 else {
                throw ValidationError("--name must be 1–100 characters")
            }
            let store = try await database.noticeStore()
            do {
                let (key, info) = try await store.createKey(name: name)
                print(key)
                Console.printError("Created key '\(info.name)' (\(info.prefix)…\(info.hint)). Store it now: it is not shown again.")
                Console.printError("Use it as: Authorization: Bearer <key>")
            } catch let error as NoticeStoreError {
                Console.printError("error: \(error)")
                throw ExitCode.failure
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys: name, prefix, last four characters, created, last used.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let keys = try await database.noticeStore().keys()
            guard !keys.isEmpty else {
                print("No keys. Create one with: redline keys create --db \(StoreDatabase.redacting(try await database.location())) --name NAME")
                return
            }
            let rows = [["NAME", "KEY", "CREATED", "LAST USED", "STATUS"]] + keys.map { key in
                [key.name, "\(key.prefix)_…\(key.hint)", key.createdAt, key.lastUsedAt ?? "never",
                 key.revokedAt.map { "revoked \($0)" } ?? "active"]
            }
            let widths = (0..<5).map { column in rows.map { $0[column].count }.max() ?? 0 }
            for row in rows {
                print(zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                    .trimmingCharacters(in: .whitespaces))
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key, by name or prefix; it stops working at once.")

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The key's name or prefix (rlk_…).")
        var key: String

        func run() async throws {
            guard try await database.noticeStore().revokeKey(key) else {
                Console.printError("error: no active key named or prefixed '\(key)'")
                throw ExitCode.failure
            }
            print("Revoked \(key).")
        }
    }
}
