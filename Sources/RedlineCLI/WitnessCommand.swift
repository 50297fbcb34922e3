import ArgumentParser
import Crypto
import Foundation
import Hummingbird
import Logging
import RedlineConsent
import RedlineTransparency
import RedlineWitness
import ServiceLifecycle

/// `redline witness`: a C2SP tlog-witness for Redline consent logs (or any log of signed
/// checkpoints): its own key, its own state file, its own port.
struct WitnessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "witness",
        abstract: "Run a transparency-log witness: cosign a log's checkpoints only while it grows consistently.",
        discussion: """
            Serves POST /add-checkpoint as c2sp.org/tlog-witness specifies: a checkpoint signed by a --log key is cosigned only \
            with a valid consistency proof from the size last cosigned, which is persisted (atomically, fsync'd) before the \
            answer. A contradicting checkpoint (another root for a size, a rewritten or shorter log) is refused (409 or 422) \
            and appended to STATE.evidence, signed by the log's own key. GET /key answers the witness's verifier key.
            """)

    @Option(help: "The witness's Ed25519 key, created (owner-only) when absent. Its verifier key is written to FILE.vkey.")
    var key: String

    @Option(help: "The witness's name in its cosignatures, a schema-less URL. [default: <hostname>/witness]")
    var name: String?

    @Option(help: "Where the witness keeps the last checkpoint it cosigned of each log (JSON, replaced atomically). [default: KEY.state]")
    var state: String?

    @Option(help: "A log's verifier key (from 'redline consent log-key'); repeat for several logs or rotated keys.")
    var log: [String] = []

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port = 8090

    @Flag(help: "Print the witness's verifier key and exit (creating the key when absent).")
    var printKey = false

    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    func run() async throws {
        let signer = try await Console.reportingErrors(exitStatus: 2) { try loadSigner() }
        try SecureFile.replace(key + ".vkey", with: Data((signer.verifier.vkey + "\n").utf8), permissions: 0o644)
        if printKey {
            print(signer.verifier.vkey)
            return
        }
        let logs = try await Console.reportingErrors(exitStatus: 2) { () throws -> [NoteVerifier] in
            guard !log.isEmpty else { throw UsageError("give the logs to witness: --log VKEY (from 'redline consent log-key')") }
            return try log.map { vkey in
                let verifier = try NoteVerifier(vkey: vkey)
                guard verifier.type == .ed25519 else { throw UsageError("--log \(verifier.name) is not a log key (type 1)") }
                return verifier
            }
        }
        LoggingSystem.bootstrap { LineLogHandler(label: $0) }
        var logger = Logger(label: "redline.witness")
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        if port != 0, let problem = PortCheck.problem(host: host, port: port) {
            Console.printError("error: cannot listen on \(host):\(port): \(problem)")
            throw ExitCode.failure
        }
        let statePath = state ?? key + ".state"
        let witness = try await Console.reportingErrors(exitStatus: 2) {
            try Witness(signer: signer, logs: logs, statePath: statePath, logger: logger)
        }
        logger.info("witnessing", metadata: ["name": "\(signer.name)", "key": "\(signer.verifier.vkey)", "logs": "\(Set(logs.map(\.name)).sorted())",
                                            "url": "http://\(host):\(port)/add-checkpoint", "state": "\(statePath)"])
        let app = await WitnessServer.make(witness: witness, host: host, port: port, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    private func loadSigner() throws -> NoteSigner {
        // The name is part of the key's identity: kept from the last run unless a new one is given.
        let previous = (try? String(contentsOfFile: key + ".vkey", encoding: .utf8)).flatMap { try? NoteVerifier(vkey: $0) }?.name
        let witnessName = name ?? previous ?? (ProcessInfo.processInfo.hostName.lowercased() + "/witness")
        if !FileManager.default.fileExists(atPath: key) {
            try FileManager.default.createPrivateParentDirectory(of: key)
            try SecureFile.replace(key, with: Data((Curve25519.Signing.PrivateKey().rawRepresentation.base64EncodedString() + "\n").utf8), permissions: 0o600)
        }
        guard let text = FileManager.default.contents(atPath: key),
              let raw = Data(base64Encoded: String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
              let privateKey = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw) else {
            throw UsageError("\(key) is not a witness key (base64 of a 32-byte Ed25519 seed)")
        }
        return try NoteSigner(name: witnessName, type: .cosignature, key: privateKey)
    }
}
