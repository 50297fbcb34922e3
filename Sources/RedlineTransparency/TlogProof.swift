import Foundation

/// A C2SP `tlog-proof` (c2sp.org/tlog-proof@v1): a leaf's index, its inclusion path and the
/// checkpoint it leads to, with opaque extra data; Redline puts the leaf itself there, so the
/// file proves the record with nothing else.
public struct TlogProof: Sendable, Equatable {
    public static let header = "c2sp.org/tlog-proof@v1"
    public let extra: Data?
    public let index: Int
    public let path: [TreeHash]
    public let checkpoint: LogCheckpoint

    public init(extra: Data?, index: Int, path: [TreeHash], checkpoint: LogCheckpoint) {
        self.extra = extra
        self.index = index
        self.path = path
        self.checkpoint = checkpoint
    }

    public var text: String {
        var lines = [Self.header]
        if let extra { lines.append("extra \(extra.base64EncodedString())") }
        lines.append("index \(index)")
        lines += path.map(\.base64)
        return lines.joined(separator: "\n") + "\n\n" + checkpoint.text
    }

    public init(parsing text: String) throws {
        guard let split = text.range(of: "\n\n") else { throw NoteError("not a tlog-proof: no blank line before the checkpoint") }
        var lines = text[..<split.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)[...]
        guard lines.popFirst() == Substring(Self.header) else { throw NoteError("not a tlog-proof: the first line is not \(Self.header)") }
        if let line = lines.first, line.hasPrefix("extra ") {
            guard let data = Data(base64Encoded: String(line.dropFirst(6))) else { throw NoteError("the extra line is not base64") }
            extra = data
            lines.removeFirst()
        } else {
            extra = nil
        }
        guard let line = lines.popFirst(), line.hasPrefix("index "), let index = Int(line.dropFirst(6)), index >= 0,
              String(index) == line.dropFirst(6) else { throw NoteError("a tlog-proof needs an 'index N' line") }
        self.index = index
        path = try lines.map { line in
            guard let hash = TreeHash(base64: line) else { throw NoteError("'\(line.prefix(80))' is not a base64 SHA-256 hash of the inclusion proof") }
            return hash
        }
        checkpoint = try LogCheckpoint(parsing: String(text[split.upperBound...]))
    }

    /// Checks the proof end to end: the log signed the checkpoint, `leaf` (or the extra data)
    /// is at `index` under its root, and at least `quorum` of `witnesses` cosigned it.
    /// - Returns: the witnesses that cosigned.
    @discardableResult
    public func verify(log: NoteVerifier, witnesses: [NoteVerifier] = [], quorum: Int = 0, leaf: Data? = nil) throws -> [NoteVerifier] {
        try checkpoint.verify(log: log)
        guard let leaf = leaf ?? extra else { throw NoteError("the proof carries no leaf (extra line) and none was given") }
        guard MerkleProof.verifyInclusion(leaf: .leaf(leaf), index: index, size: checkpoint.size, proof: path, root: checkpoint.root) else {
            throw NoteError("the inclusion proof does not lead from entry \(index) to the root of the checkpoint at size \(checkpoint.size): the record or the proof was changed")
        }
        let cosigners = try checkpoint.cosigners(among: witnesses)
        guard cosigners.count >= quorum else {
            throw NoteError("only \(cosigners.count) of \(witnesses.count) witnesses cosigned the checkpoint; \(quorum) are required")
        }
        return cosigners
    }
}
