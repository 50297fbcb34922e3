import Foundation
import Logging
import RedlineConsent
import RedlineTransparency

/// A c2sp.org/tlog-witness: cosigns a log's checkpoint only when it is signed by the log's key
/// and provably extends the last checkpoint it cosigned for that log. An actor, so checking the
/// old size and persisting the new one happen as one step (the race the specification warns
/// of cannot roll a log back).
public actor Witness {
    public struct Answer: Sendable, Equatable {
        public let status: Int
        public let contentType: String
        public let body: String
    }

    private let signer: NoteSigner
    /// The log keys it trusts, by origin (a log may have several: one per receipt-key rotation).
    private let logs: [String: [NoteVerifier]]
    private let statePath: String
    private var state: WitnessState
    private let logger: Logger

    public init(signer: NoteSigner, logs: [NoteVerifier], statePath: String, logger: Logger = Logger(label: "redline.witness")) throws {
        guard signer.type == .cosignature else { throw NoteError("a witness key signs cosignatures (type 4)") }
        self.signer = signer
        self.logs = Dictionary(grouping: logs.filter { $0.type == .ed25519 }, by: \.name)
        self.statePath = statePath
        state = try WitnessState.load(statePath)
        self.logger = logger
    }

    public var verifier: NoteVerifier { signer.verifier }

    /// Handles one `POST /add-checkpoint` body.
    public func addCheckpoint(_ body: String, now: Date = Date()) -> Answer {
        let request: AddCheckpointRequest
        do { request = try AddCheckpointRequest(parsing: body) } catch { return .text(400, "\(error)") }
        let checkpoint = request.checkpoint
        guard let keys = logs[checkpoint.origin] else { return .text(404, "unknown log origin '\(checkpoint.origin)'") }
        guard checkpoint.isSigned(byAnyOf: keys) else {
            return .text(403, "the checkpoint carries no valid signature by a key of \(checkpoint.origin)")
        }
        guard request.oldSize <= checkpoint.size else { return .text(400, "old size \(request.oldSize) is larger than the checkpoint's \(checkpoint.size)") }
        let known = state.logs[checkpoint.origin]
        let knownSize = known?.size ?? 0
        guard request.oldSize == knownSize else {
            if checkpoint.size < knownSize {
                keepEvidence(checkpoint, reason: "a signed checkpoint of size \(checkpoint.size), smaller than the \(knownSize) already cosigned: the log was cut", now: now)
            }
            return Answer(status: 409, contentType: "text/x.tlog.size", body: "\(knownSize)\n")
        }
        if let known, let knownRoot = TreeHash(base64: known.root) {
            if checkpoint.size == known.size {
                guard checkpoint.root == knownRoot else {
                    keepEvidence(checkpoint, reason: "a second root for size \(known.size): a split view", now: now)
                    return .text(409, "a different root was already cosigned for size \(known.size)")
                }
            } else if !MerkleProof.verifyConsistency(oldSize: known.size, oldRoot: knownRoot, newSize: checkpoint.size, newRoot: checkpoint.root,
                                                     proof: request.proof) {
                keepEvidence(checkpoint, reason: "no valid consistency proof from the cosigned size \(known.size): the log was rewritten", now: now)
                return .text(422, "the consistency proof from size \(known.size) does not verify")
            }
        } else if !request.proof.isEmpty {
            return .text(422, "a proof from size 0 must be empty")
        }
        let timestamp = UInt64(max(0, now.timeIntervalSince1970.rounded(.down)))
        var next = state
        next.logs[checkpoint.origin] = .init(size: checkpoint.size, root: checkpoint.root.base64, cosignedAt: timestamp)
        do {
            try next.save(statePath)
            state = next
            let signature = try signer.sign(Data(checkpoint.note.text.utf8), at: now)
            logger.info("cosigned", metadata: ["origin": "\(checkpoint.origin)", "size": "\(checkpoint.size)"])
            return Answer(status: 200, contentType: "text/plain; charset=utf-8", body: signature.line)
        } catch {
            logger.error("could not persist the witness state; nothing cosigned", metadata: ["error": "\(error)"])
            return .text(500, "the witness could not persist its state")
        }
    }

    /// The checkpoint the witness last cosigned for `origin`.
    public func head(of origin: String) -> WitnessState.Head? { state.logs[origin] }

    /// Appends a refused, validly signed checkpoint to the evidence file: proof, signed by the
    /// log's own key, that it showed two histories.
    private func keepEvidence(_ checkpoint: LogCheckpoint, reason: String, now: Date) {
        logger.warning("refused a contradicting checkpoint", metadata: ["origin": "\(checkpoint.origin)", "size": "\(checkpoint.size)", "reason": "\(reason)"])
        let entry = "# \(UTCTime.timestamp(now)) \(reason)\n" + checkpoint.text + "\n"
        let path = WitnessState.evidencePath(forState: statePath)
        do { try SecureFile.appendDurably(path, Data(entry.utf8), permissions: 0o644) } catch {
            logger.error("cannot write the evidence file", metadata: ["path": "\(path)", "error": "\(error)"])
        }
    }
}

extension Witness.Answer {
    static func text(_ status: Int, _ message: String) -> Witness.Answer {
        Witness.Answer(status: status, contentType: "text/plain; charset=utf-8", body: message + "\n")
    }
}
