import Foundation
import RedlineTransparency

/// The body of a c2sp.org/tlog-witness `add-checkpoint` request: the size the witness last
/// cosigned, a consistency proof from it, a blank line, and the new checkpoint.
public struct AddCheckpointRequest: Sendable, Equatable {
    public let oldSize: Int
    public let proof: [TreeHash]
    public let checkpoint: LogCheckpoint

    /// The specification's limit on proof lines: a proof between trees under 2^63 leaves is shorter.
    public static let maximumProofLines = 63
    /// A larger body is refused unread.
    public static let maximumSize = SignedNote.maximumSize + 4096

    public init(oldSize: Int, proof: [TreeHash], checkpoint: LogCheckpoint) {
        self.oldSize = oldSize
        self.proof = proof
        self.checkpoint = checkpoint
    }

    public var body: String {
        (["old \(oldSize)"] + proof.map(\.base64)).joined(separator: "\n") + "\n\n" + checkpoint.text
    }

    public init(parsing body: String) throws {
        guard body.utf8.count <= Self.maximumSize else { throw NoteError("the request is over \(Self.maximumSize) bytes") }
        guard let split = body.range(of: "\n\n") else { throw NoteError("no blank line between the old size and the checkpoint") }
        let head = body[..<split.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = head.first, first.hasPrefix("old "), let old = Int(first.dropFirst(4)), old >= 0,
              String(old) == first.dropFirst(4) else { throw NoteError("the first line must be 'old <size>'") }
        guard head.count - 1 <= Self.maximumProofLines else { throw NoteError("more than \(Self.maximumProofLines) consistency proof lines") }
        oldSize = old
        proof = try head.dropFirst().map { line in
            guard let hash = TreeHash(base64: line) else { throw NoteError("'\(line.prefix(80))' is not a base64 SHA-256 hash") }
            return hash
        }
        checkpoint = try LogCheckpoint(parsing: String(body[split.upperBound...]))
    }
}
