import ArgumentParser
import Foundation
import RedlineConsent
import RedlineServer
import RedlineStores
import RedlineTransparency

/// `redline consent …`: work with the consent records directly.
struct ConsentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consent",
        abstract: "Work with recorded consent.",
        subcommands: [VerifyCommand.self, ProveCommand.self, LogKeyCommand.self, ExportCommand.self, StatsCommand.self, RotateKeyCommand.self])
}

/// `redline consent verify`: proves no record was changed, removed, moved or reordered. Read-only.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the hash chain, every column, every receipt signature and the signed checkpoints; report the first broken link.",
        discussion: """
            Reads and never writes: it creates no key, table or file. Exit status 0 when everything verifies, \
            1 when something does not, 2 when the file is not a Redline consent store or a key or checkpoint file cannot be read.
            """)

    @Option(help: "The database written by redline serve: a SQLite file, or a postgres:// URL. [REDLINE_DB, or db: in --config]")
    var db: String?

    @Option(help: "redline serve's settings file: the database, receipt key and checkpoint log it names are the defaults.")
    var config: String?

    @Option(help: "An evidence bundle written by redline consent export: checked offline, without the database.")
    var bundle: String?

    @Option(help: "The receipt private key's path as given to redline serve; only the public keys listed beside it (FILE.pub) are read. [default: DB.receipt-key]")
    var receiptKey: String?

    @Option(help: "Public receipt keys with their validity, e.g. a copy of /.well-known/redline-receipt-keys kept apart from the server. Overrides --receipt-key.")
    var keys: String?

    @Option(help: "One receipt public key (base64), trusted for every record. Overrides --keys.")
    var publicKey: String?

    @Option(help: "A checkpoint log or a saved checkpoint; repeat for several. [default: DB.checkpoints]")
    var checkpoints: [String] = []

    @Option(help: "A receipt: a tlog-proof (GET /api/v1/consent/receipts/ID/proof), checked alone without --db; or the JSON receipt redline serve returned, checked against --db.")
    var receipt: String?

    @Option(help: "A C2SP checkpoint of the log (GET /api/v1/log/checkpoint) kept apart from the server; repeat. Two without --db: check the second extends the first (with --proof).")
    var checkpoint: [String] = []

    @Option(help: "A consistency proof between the two --checkpoint sizes (GET /api/v1/log/consistency?old=A&size=B).")
    var proof: String?

    @Option(help: "A witness's verifier key (name+id+key); repeat. Its cosignatures count toward --quorum.")
    var witnessKey: [String] = []

    @Option(help: "How many --witness-key must have cosigned. [default: all of them]")
    var quorum: Int?

    @Option(help: "The log's origin, when the checkpoints found name more than one. [default: theirs]")
    var logOrigin: String?

    func validate() throws {
        guard bundle == nil || (db == nil && config == nil) else { throw ValidationError("give --db (or --config) or --bundle, not both") }
    }

    func run() async throws {
        if let bundle { return try await verifyBundle(bundle) }
        if db == nil, config == nil, let receipt, try LogTrust.read(receipt, what: "receipt").hasPrefix(TlogProof.header) {
            return try await Console.reportingErrors(exitStatus: 2) { try verifyProof(receipt) }
        }
        if db == nil, config == nil, !checkpoint.isEmpty {
            return try await Console.reportingErrors(exitStatus: 2) { try verifyCheckpoints() }
        }
        // The same files redline serve uses, from the flags, REDLINE_* or the settings file.
        let layers = try await SettingLayers.forCommand(flags: SettingFlags([.db: db, .receiptKey: receiptKey]), file: config)
        guard layers.value(.db) != nil else {
            throw ValidationError("give --db FILE|URL, --bundle FILE, or a --config file that names db:")
        }
        let settings = try ServerSettings(reading: layers, keys: [.db, .dbTimeout, .receiptKey, .checkpointLog])
        let (db, keyPath) = (settings.databasePath, settings.receiptKeyPath)
        let logs = checkpoints.isEmpty ? [settings.checkpointPath] : checkpoints
        let shownDB = StoreDatabase.redacting(db)
        // Exit 2: not a store, or keys or checkpoints that cannot be read; 1: something does not verify.
        try await Console.reportingErrors(exitStatus: 2) {
            let rows = try await StoreDatabase.readEvidence(db, timeouts: settings.databaseTimeouts)
            let keyring = try loadKeyring(keyPath: keyPath)
            for path in logs where !checkpoints.isEmpty && !FileManager.default.fileExists(atPath: path) {
                throw UsageError("\(path): no such checkpoint file")
            }
            let report: ChainVerifier.Report
            do {
                report = try ChainVerifier.verify(rows, keyring: keyring, checkpointLogs: logs)
            } catch let error as ChainVerifier.UnreadableCheckpoints {
                throw UsageError(error.description)
            }
            if let problem = report.firstProblem {
                Console.printError("\(shownDB): broken at \(problem)")
                Console.printError("\(Console.count(report.recordsChecked, "record")) before it verified")
                throw ExitCode.failure
            }
            let notes = try logCheckpoints(logs)
            let (witnesses, quorum) = try LogTrust.witnesses(witnessKey, quorum: quorum)
            if let problem = ChainVerifier.verifyTree(rows, keyring: keyring, checkpoints: notes,
                                                      policy: .init(origin: logOrigin, witnesses: witnesses, quorum: quorum)) {
                Console.printError("\(shownDB): broken at \(problem)")
                throw ExitCode.failure
            }
            if let receipt {
                try checkReceipt(receipt, rows: rows, keyring: keyring)
            }
            print("\(shownDB): \(Console.count(report.recordsChecked, "record")) verified: chain intact, every column matches its evidence, "
                  + "every signature valid; \(Console.count(report.checkpointsChecked, "checkpoint")) reached; "
                  + "\(Console.count(notes.count, "log checkpoint")) match the Merkle tree"
                  + (quorum > 0 ? ", the newest cosigned by \(quorum) of \(witnesses.count) witnesses" : ""))
        }
    }


    /// Exit 0 when the bundle verifies, 1 when it does not, 2 when it cannot be read.
    private func verifyBundle(_ path: String) async throws {
        let report = try await Console.reportingErrors(exitStatus: 2) { try BundleVerifier.verify(path: path, keyring: try trustedKeys()) }
        if let problem = report.problem {
            Console.printError("\(path): broken at \(problem)")
            throw ExitCode.failure
        }
        let period = report.description.map { "\($0.from) to \($0.to)" } ?? ""
        print("\(path): \(Console.count(report.records, "record")) of \(period) verified against \(Console.count(report.links, "chain link")) "
              + "and \(Console.count(report.policies, "policy text")); every signature valid, nothing changed since export"
              + (keys == nil && publicKey == nil ? " (keys: the bundle's own receipt-keys.json; pass --keys to check against keys kept apart)" : ""))
    }

    /// Keys given on the command line, for a bundle; nil trusts the bundle's own.
    private func trustedKeys() throws -> ReceiptKeyring? {
        if let publicKey {
            guard Data(base64Encoded: publicKey)?.count == 32 else { throw UsageError("--public-key is not base64 of 32 bytes") }
            return ReceiptKeyring(keys: [.init(publicKey: publicKey, validFrom: nil)])
        }
        return try keys.map { try ReceiptKeyring.read($0) }
    }

    private func loadKeyring(keyPath: String) throws -> ReceiptKeyring {
        if let publicKey {
            guard Data(base64Encoded: publicKey)?.count == 32 else { throw UsageError("--public-key is not base64 of 32 bytes") }
            return ReceiptKeyring(keys: [.init(publicKey: publicKey, validFrom: nil)])
        }
        if let keys { return try ReceiptKeyring.read(keys) }
        let keyringPath = ReceiptKeyring.path(forPrivateKey: keyPath)
        if FileManager.default.fileExists(atPath: keyringPath) { return try ReceiptKeyring.read(keyringPath) }
        // A store from before keyrings: the key file alone, read, never created.
        guard FileManager.default.fileExists(atPath: keyPath) else {
            throw UsageError("no receipt keys: neither \(keyringPath) nor \(keyPath) exists; give --keys or --public-key")
        }
        return ReceiptKeyring(keys: [.init(publicKey: try ReceiptSigner.load(at: keyPath).publicKeyBase64, validFrom: nil)])
    }

    private func checkReceipt(_ path: String, rows: [EvidenceFile.Row], keyring: ReceiptKeyring) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw UsageError("\(path): cannot read the receipt") }
        if String(decoding: data, as: UTF8.self).hasPrefix(TlogProof.header) {
            let proof = try verifyProof(path, keyring: keyring)
            guard rows.indices.contains(proof.index), Data(rows[proof.index].evidenceJSON.utf8) == proof.extra else {
                Console.printError("\(path): the database's record \(proof.index + 1) is not the one the proof shows: it was changed or removed")
                throw ExitCode.failure
            }
            return
        }
        guard let receipt = try? JSONDecoder().decode(Receipt.self, from: data) else {
            throw UsageError("\(path) is not a receipt: it needs receiptId, recordedAt, entryHash and signature")
        }
        if let reason = ChainVerifier.check(receipt, rows: rows, keyring: keyring) {
            Console.printError("\(path): receipt \(receipt.receiptId) does not verify: \(reason)")
            throw ExitCode.failure
        }
        print("\(path): receipt \(receipt.receiptId) is record \(receipt.sequence.map(String.init) ?? "?") of the chain, unchanged")
    }
}

/// `redline consent rotate-key`: a new receipt key from now on; the old one is retired for good.
struct RotateKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-key",
        abstract: "Replace the receipt signing key; the old public key stays published with the dates it was valid.",
        discussion: """
            Stop redline serve first and start it again after: while a server signs with the key, rotation is refused \
            (exit 1). The old private key is destroyed, so whoever holds the new one cannot sign records dated before the rotation. Publish or archive the new key list \
            (/.well-known/redline-receipt-keys) somewhere the server cannot write.
            """)

    @Option(help: "The database; locates the key when --receipt-key is not given.")
    var db: String?

    @Option(help: "The receipt private key. [default: DB.receipt-key]")
    var receiptKey: String?

    func validate() throws {
        if db == nil && receiptKey == nil { throw ValidationError("give --receipt-key FILE or --db FILE") }
    }

    func run() async throws {
        let path = receiptKey ?? (StoreDatabase.localFileBase(db!) + ".receipt-key")
        guard FileManager.default.fileExists(atPath: path) else {
            Console.printError("error: \(path): no receipt key to rotate")
            throw ExitCode.failure
        }
        let (signer, keyring) = try await Console.reportingErrors(exitStatus: 1) { try ReceiptSigner.rotate(at: path) }
        print("\(path): new receipt key \(signer.keyId); \(Console.count(keyring.keys.count, "key")) listed in \(ReceiptKeyring.path(forPrivateKey: path))")
    }
}

struct UsageError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Errors whose description is written for the person running the command: printed as one
/// `error:` line, never with a stack of wrappers around it.
protocol UserFacingError: Error, CustomStringConvertible {}
extension UsageError: UserFacingError {}
extension ReceiptKeyLock.Busy: UserFacingError {}
extension ConsentStoreError: UserFacingError {}
extension KeyringError: UserFacingError {}
extension StoreOpenError: UserFacingError {}
extension EvidenceFile.OpenError: UserFacingError {}
extension EvidenceBundle.ExportError: UserFacingError {}
extension BundleVerifier.OpenError: UserFacingError {}

extension Console {
    /// Runs `body`; a ``UserFacingError`` is printed as `error: …` and the command exits with `status`.
    static func reportingErrors<Value>(exitStatus status: Int32, _ body: () async throws -> Value) async throws -> Value {
        do {
            return try await body()
        } catch let error as any UserFacingError {
            printError("error: \(error)")
            throw ExitCode(status)
        }
    }
}
