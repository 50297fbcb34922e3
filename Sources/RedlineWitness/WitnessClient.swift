import Foundation
import Logging
import RedlineTransparency

/// The log's side of c2sp.org/tlog-witness: sends each new checkpoint, with a consistency proof
/// from the size a witness last cosigned, to every witness, and keeps the cosignatures that
/// verify against the witness keys it was given (anything else a witness answers is ignored).
/// A witness that is down, slow or answers garbage costs a log line and a retry with the next
/// checkpoint; it never holds anything else back.
public actor WitnessClient {
    public let urls: [String]
    public let keys: [NoteVerifier]
    private let http: HTTPPost
    private let logger: Logger
    /// The size each witness last cosigned, as far as this log knows (learnt from its 409s).
    private var cosignedSizes: [String: Int] = [:]
    /// The checkpoint each witness last cosigned, or refused, for this server: not offered again
    /// (a refusal is the witness's final word on it; repeating it would only fill its evidence file).
    private var answered: [String: TreeHash] = [:]

    public init(urls: [String], keys: [NoteVerifier], timeoutSeconds: Int = 10, logger: Logger) {
        self.urls = urls.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        self.keys = keys.filter { $0.type == .cosignature }
        http = HTTPPost(timeoutSeconds: timeoutSeconds)
        self.logger = logger
    }

    /// Asks every witness to cosign `checkpoint`.
    /// - Parameter proof: the consistency proof from an old size (at most the checkpoint's) to the checkpoint's.
    /// - Returns: the valid cosignatures gathered.
    public func cosign(_ checkpoint: LogCheckpoint, proof: @escaping @Sendable (Int) async -> [TreeHash]) async -> [NoteSignature] {
        // Every witness at once: one that is slow or down does not delay the others' cosignatures.
        var tasks: [Task<[NoteSignature], Never>] = []
        for url in urls {
            tasks.append(Task { await self.cosign(checkpoint, at: url, proof: proof) })
        }
        var signatures: [NoteSignature] = []
        for task in tasks { signatures += await task.value }
        return signatures
    }

    private func cosign(_ checkpoint: LogCheckpoint, at url: String, proof: @Sendable (Int) async -> [TreeHash]) async -> [NoteSignature] {
        if answered[url] == checkpoint.root { return [] }
        var old = cosignedSizes[url] ?? 0
        // Twice at most: a first answer of 409 tells the size the witness holds.
        for _ in 0..<2 {
            // A witness that cosigned a larger tree (another server of the same database) is left until this one catches up.
            guard old <= checkpoint.size else {
                logger.debug("witness is ahead of this server's log", metadata: ["witness": "\(url)", "size": "\(old)"])
                return []
            }
            let path = await proof(old)
            let request = AddCheckpointRequest(oldSize: old, proof: path, checkpoint: checkpoint)
            let answer: HTTPPost.Answer
            do { answer = try await http.post(url + "/add-checkpoint", body: Data(request.body.utf8)) } catch {
                logger.warning("witness unreachable; trying again with the next checkpoint", metadata: ["witness": "\(url)", "error": "\(error)"])
                return []
            }
            let text = String(decoding: answer.body, as: UTF8.self)
            switch answer.status {
            case 200:
                let found = text.split(separator: "\n").compactMap(NoteSignature.init(line:))
                let note = SignedNote(text: checkpoint.note.text, signatures: found)
                guard let valid = try? note.verifiedSigners(keys), !valid.isEmpty else {
                    logger.warning("witness answered no valid cosignature by a known key", metadata: ["witness": "\(url)"])
                    return []
                }
                cosignedSizes[url] = checkpoint.size
                answered[url] = checkpoint.root
                return found.filter { signature in valid.contains { $0.name == signature.name && $0.keyID == signature.keyID } }
            case 409 where Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) != nil:
                let size = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))!
                if size == old {
                    logger.error("witness refused the checkpoint: it cosigned another root for this size (a split view?)",
                                 metadata: ["witness": "\(url)", "size": "\(checkpoint.size)"])
                    answered[url] = checkpoint.root
                    return []
                }
                old = size
                cosignedSizes[url] = size
            default:
                // 4xx: refused for good; 5xx: the witness's own trouble, asked again next round.
                if (400..<500).contains(answer.status) { answered[url] = checkpoint.root }
                logger.error("witness refused the checkpoint", metadata: ["witness": "\(url)", "status": "\(answer.status)",
                                                                          "reason": "\(text.prefix(200).trimmingCharacters(in: .whitespacesAndNewlines))"])
                return []
            }
        }
        return []
    }
}
