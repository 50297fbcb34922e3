import ArgumentParser
import Foundation
import RedlineConsent

/// `redline consent …`: work with the consent records directly.
struct ConsentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consent",
        abstract: "Work with recorded consent.",
        subcommands: [VerifyCommand.self])
}

/// `redline consent verify`: proves no record was changed, removed or reordered.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the whole hash chain and every receipt signature; report the first broken link.")

    @Option(help: "The SQLite database written by redline serve.")
    var db: String

    @Option(help: "The receipt public key (base64). Default: derived from the key file kept beside the database.")
    var publicKey: String?

    func run() async throws {
        guard FileManager.default.fileExists(atPath: db) else {
            Console.printError("error: \(db): no such database")
            throw ExitCode.failure
        }
        let signer = try ReceiptSigner.loadOrCreate(at: db + ".receipt-key")
        let key = publicKey ?? signer.publicKeyBase64
        let store = try SQLiteConsentStore(path: db, signer: signer)
        let report = ChainVerifier.verify(try await store.allRecords(), publicKeyBase64: key)
        if let problem = report.firstProblem {
            Console.printError("\(db): broken at \(problem)")
            Console.printError("\(report.recordsChecked) record\(report.recordsChecked == 1 ? "" : "s") before it verified")
            throw ExitCode.failure
        }
        print("\(db): \(report.recordsChecked) record\(report.recordsChecked == 1 ? "" : "s") verified: chain intact, every signature valid")
    }
}
