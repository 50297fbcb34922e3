import Foundation
import Logging
import RedlineConsent
import ServiceLifecycle

/// Signs checkpoints of the consent chain and appends them to the checkpoint log: whenever
/// the chain has grown, at most every `interval`, once at start and once more at shutdown
/// after the last consent is written.
public actor CheckpointKeeper {
    let store: any ConsentStore
    let signer: ReceiptSigner
    public let path: String
    public private(set) var latest: Checkpoint?
    /// The head file, opened on the first seal.
    private var head: CheckpointHead?

    public init(store: any ConsentStore, signer: ReceiptSigner, path: String) {
        self.store = store
        self.signer = signer
        self.path = path
    }

    /// Reads the log and checks that the database still holds what its newest checkpoint saw;
    /// a database that ends earlier, or differs there, was cut or rewritten (or restored from
    /// an old backup) and is refused rather than extended.
    public func resume(keyring: ReceiptKeyring? = nil) async throws {
        if let keyring { try await checkSigningKey(keyring) }
        let (checkpoints, _) = try CheckpointLog.read(path)
        guard let last = checkpoints.max(by: { $0.sequence < $1.sequence }) else { return }
        let head = try await store.head()
        let length = head?.sequence ?? 0
        guard last.sequence <= length else {
            throw CheckpointMismatch(description: "the consent database ends at record \(length), but the checkpoint log \(path) saw record "
                                     + "\(last.sequence) at \(last.time): records are missing; run 'redline consent verify'")
        }
        if last.sequence > 0, try await store.entryHash(sequence: last.sequence) != last.headHash {
            throw CheckpointMismatch(description: "record \(last.sequence) of the consent database is not the one the checkpoint log \(path) "
                                     + "saw at \(last.time): the chain was rewritten; run 'redline consent verify'")
        }
        latest = last
    }

    /// The newest record must be signed by a key this server's keyring lists: servers sharing a
    /// database must share the receipt key, or the chain would hold records no keyring verifies.
    private func checkSigningKey(_ keyring: ReceiptKeyring) async throws {
        guard let head = try await store.head(),
              let newest = try await store.storedRows(after: head.sequence - 1, limit: 1).first, let keyId = newest.keyId else { return }
        guard keyring.keys.contains(where: { $0.keyId == keyId }) else {
            throw CheckpointMismatch(description: "the newest consent record was signed with receipt key \(keyId), which this server's keyring "
                                     + "does not list: every server of one database must use the same receipt key (--receipt-key) and its .pub file")
        }
    }

    /// Seals the chain's head after a commit, before its consents are answered: the head file
    /// then covers every acknowledged record, so a cut tail is detected however recent.
    public func seal(sequence: Int64, entryHash: String, now: Date = Date()) throws {
        if head == nil { head = try CheckpointHead(logPath: path) }
        try head?.seal(try Checkpoint.make(sequence: sequence, headHash: entryHash, time: now, signer: signer))
    }

    /// Signs and logs a checkpoint when the chain has grown since the last one.
    @discardableResult
    public func checkpointIfAdvanced(now: Date = Date()) async throws -> Checkpoint? {
        guard let head = try await store.head(), head.sequence > latest?.sequence ?? 0 else { return nil }
        let checkpoint = try Checkpoint.make(sequence: head.sequence, headHash: head.entryHash, time: now, signer: signer)
        try CheckpointLog.append(checkpoint, to: path)
        latest = checkpoint
        return checkpoint
    }
}

public struct CheckpointMismatch: Error, CustomStringConvertible {
    public let description: String
}

/// Runs the keeper for the server's lifetime. Listed before the consent writer, so at shutdown
/// (services stop in reverse order) its last checkpoint comes after the last consent.
struct CheckpointService: Service {
    let keeper: CheckpointKeeper
    let log: LogKeeper
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await write()
                try? await Task.sleep(for: interval)
            }
        }
        await write()
    }

    private func write() async {
        do {
            if let checkpoint = try await keeper.checkpointIfAdvanced() {
                logger.debug("checkpoint signed", metadata: ["sequence": "\(checkpoint.sequence)"])
            }
            if let checkpoint = try await log.checkpointIfAdvanced() {
                logger.debug("log checkpoint signed", metadata: ["size": "\(checkpoint.size)"])
            }
        } catch is CancellationError {
            return
        } catch {
            logger.error("could not write a checkpoint; trying again", metadata: ["error": "\(error)"])
        }
    }
}
