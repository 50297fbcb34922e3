import ArgumentParser
import Foundation
import RedlineStores

/// `redline db …`: move redline serve's database.
struct DbCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Work with redline serve's database.",
        subcommands: [CopyCommand.self])
}

/// `redline db copy --from FILE --to postgres://…`
struct CopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a SQLite store into an empty PostgreSQL database, chain intact, and verify the copy.",
        discussion: """
            Consent records are copied exactly as stored: the hashes, signatures and erasures do not change, so receipts \
            and checkpoints given out before still verify. API keys, users, campaigns and the outbox come along. The \
            source is opened read-only; stop redline serve first so that nothing is written during the copy. The copy is \
            one transaction: if it fails, the destination stays empty. Afterwards every record is read back and compared.
            """)

    @Option(help: "The SQLite database of redline serve.")
    var from: String

    @Option(help: "An empty PostgreSQL database: postgres://USER:PASSWORD@HOST:PORT/DATABASE.")
    var to: String

    func run() async throws {
        do {
            let report = try await StoreCopy.copy(from: from, to: to)
            let tables = report.tables.filter { $0.rows > 0 }.map { "\($0.rows) \($0.name)" }.joined(separator: ", ")
            print("Copied \(Console.count(report.records, "consent record")) from \(from) to \(StoreDatabase.redacting(to))"
                  + (tables.isEmpty ? "" : " with \(tables)") + ".")
            if let head = report.head {
                print("Verified: every record identical, chain head \(head.sequence) \(head.entryHash).")
            } else {
                print("Verified: the chain is empty in both.")
            }
        } catch {
            Console.printError("error: \(error)")
            throw ExitCode.failure
        }
    }
}
