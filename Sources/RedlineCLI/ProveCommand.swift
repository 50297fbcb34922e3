import ArgumentParser
import Foundation
import RedlineConsent
import RedlineServer
import RedlineStores
import RedlineTransparency

/// `redline consent prove`: a record's tlog-proof, or a consistency proof between two sizes,
/// made from the database and the log's checkpoints. Read-only.
struct ProveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prove",
        abstract: "Print a record's inclusion proof (a tlog-proof) or a consistency proof between two tree sizes.",
        discussion: """
            With --receipt ID (or --index N): the record's C2SP tlog-proof against the newest log checkpoint that covers it, \
            with its cosignatures, as GET /api/v1/consent/receipts/ID/proof answers it. With --old A --size B: the RFC 6962 \
            consistency proof, one base64 hash a line, for 'redline consent verify --checkpoint A --checkpoint B --proof FILE'. \
            Reads the database, writes nothing.
            """)

    @Option(help: "The database: a SQLite file, or a postgres:// URL. [REDLINE_DB, or db: in --config]")
    var db: String?

    @Option(help: "redline serve's settings file.")
    var config: String?

    @Option(help: "The checkpoint log whose checkpoints (FILE.notes) the proof leads to. [default: DB.checkpoints]")
    var checkpointLog: String?

    @Option(help: "The receipt id of the record to prove.")
    var receipt: String?

    @Option(help: "The record's position in the log, from 0 (its sequence minus one).")
    var index: Int?

    @Option(help: "The smaller tree size of a consistency proof.")
    var old: Int?

    @Option(help: "The larger tree size of a consistency proof.")
    var size: Int?

    func validate() throws {
        let inclusion = receipt != nil || index != nil
        let consistency = old != nil || size != nil
        guard inclusion != consistency else { throw ValidationError("give --receipt ID (or --index N), or --old A --size B") }
        if consistency, old == nil || size == nil { throw ValidationError("a consistency proof needs both --old and --size") }
    }

    func run() async throws {
        let layers = try await SettingLayers.forCommand(flags: SettingFlags([.db: db, .checkpointLog: checkpointLog]), file: config)
        guard layers.value(.db) != nil else { throw ValidationError("give --db FILE|URL, or a --config file that names db:") }
        let settings = try ServerSettings(reading: layers, keys: [.db, .dbTimeout, .checkpointLog])
        try await Console.reportingErrors(exitStatus: 2) {
            // The tree is built a row at a time; only the leaf to prove is kept.
            var tree = MerkleTree()
            var wanted: (position: Int, leaf: Data)?
            try await StoreDatabase.forEachLeaf(settings.databasePath, timeouts: settings.databaseTimeouts) { sequence, recordId, evidence in
                let leaf = Data(evidence.utf8)
                if wanted == nil, recordId == receipt || (receipt == nil && Int(sequence) - 1 == index) { wanted = (Int(sequence) - 1, leaf) }
                tree.append(leafHash: .leaf(leaf))
            }
            if let old, let size {
                guard old >= 0, old <= size, size <= tree.size else { throw UsageError("sizes must satisfy 0 ≤ old ≤ size ≤ \(tree.size), the log's size") }
                print(tree.consistencyProof(old: old, size: size).map(\.base64).joined(separator: "\n"))
                return
            }
            guard let (position, leaf) = wanted else {
                throw UsageError(receipt.map { "no record has receipt id \($0)" } ?? "the log has no entry \(index ?? -1); it has \(tree.size)")
            }
            let (checkpoints, problems) = try CheckpointNotes.read(settings.checkpointNotesPath)
            if let problem = problems.first { throw UsageError(problem) }
            // The newest checkpoint that covers the record and that the records still match.
            guard let checkpoint = checkpoints.filter({ $0.size > position && $0.size <= tree.size && tree.root(size: $0.size) == $0.root })
                .max(by: { ($0.size, $0.note.signatures.count) < ($1.size, $1.note.signatures.count) }) else {
                throw UsageError("no checkpoint in \(settings.checkpointNotesPath) covers entry \(position) and matches the records; "
                                 + "redline serve signs one within seconds of a record")
            }
            let proof = TlogProof(extra: leaf, index: position,
                                  path: tree.inclusionProof(index: position, size: checkpoint.size), checkpoint: checkpoint)
            print(proof.text, terminator: "")
        }
    }
}

/// `redline consent log-key`: the verifier key of the log's checkpoints, for witnesses and auditors.
struct LogKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log-key",
        abstract: "Print the log's verifier key (C2SP vkey) for 'redline witness --log' and 'consent verify --public-key'.",
        discussion: "The key is the receipt key, named after the log's origin: the site's host and /consent, as redline serve names it.")

    @Option(help: "The receipt private key; only its public keys (FILE.pub) are read. [default: DB.receipt-key]")
    var receiptKey: String?

    @Option(help: "The database; locates the key when --receipt-key is not given.")
    var db: String?

    @Option(help: "The built site, whose baseURL names the log. [default: public]")
    var site = "public"

    @Option(help: "The log's origin, when the server is given one with --log-origin.")
    var logOrigin: String?

    @Flag(help: "Print every key the log has signed with (one a line), not only the current one.")
    var all = false

    func validate() throws {
        if db == nil && receiptKey == nil { throw ValidationError("give --receipt-key FILE or --db FILE") }
    }

    func run() async throws {
        try await Console.reportingErrors(exitStatus: 2) {
            let keyPath = receiptKey ?? (StoreDatabase.localFileBase(db!) + ".receipt-key")
            let keyring = try ReceiptKeyring.read(ReceiptKeyring.path(forPrivateKey: keyPath))
            let origin: String
            if let logOrigin { origin = logOrigin } else {
                let catalog = try SiteCatalog(siteDirectory: site)
                guard let named = ConsentMerkleLog.origin(baseURL: catalog.manifest.site.baseURL) else {
                    throw UsageError("the site's baseURL has no host; give --log-origin")
                }
                origin = named
            }
            let keys = all ? keyring.keys : keyring.current.map { [$0] } ?? []
            for key in keys { print(try key.logVerifier(origin: origin).vkey) }
        }
    }
}
