import Foundation

/// A C2SP `tlog-checkpoint`: the note text `<origin>\n<size>\n<base64 root>\n`, signed by the log
/// (and cosigned by witnesses). A statement that the log named `origin` had `size` leaves
/// whose Merkle root was `root`.
public struct LogCheckpoint: Sendable, Equatable {
    public let origin: String
    public let size: Int
    public let root: TreeHash
    public private(set) var note: SignedNote

    /// Signs a new checkpoint with `signer`, whose name must be `origin` (Redline names the
    /// log's key after the log).
    public init(origin: String, size: Int, root: TreeHash, signer: NoteSigner) throws {
        guard !origin.isEmpty, !origin.contains("\n") else { throw NoteError("'\(origin)' is not a log origin") }
        self.origin = origin
        self.size = size
        self.root = root
        let text = "\(origin)\n\(size)\n\(root.base64)\n"
        note = SignedNote(text: text, signatures: [try signer.sign(Data(text.utf8))])
    }

    /// Parses a checkpoint note, without checking any signature (see ``verify(log:)``).
    public init(parsing text: String) throws {
        let note = try SignedNote(parsing: text)
        let lines = note.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        guard lines.count >= 3 else { throw NoteError("a checkpoint needs an origin, a size and a root hash, one per line") }
        let sizeLine = lines[lines.startIndex + 1]
        guard let size = Int(sizeLine), size >= 0, String(size) == sizeLine else { throw NoteError("'\(sizeLine)' is not a tree size") }
        guard let root = TreeHash(base64: lines[lines.startIndex + 2]) else { throw NoteError("'\(lines[lines.startIndex + 2])' is not a base64 SHA-256 root hash") }
        guard !lines[lines.startIndex].isEmpty else { throw NoteError("a checkpoint's origin line is empty") }
        origin = String(lines[lines.startIndex])
        self.size = size
        self.root = root
        self.note = note
    }

    public var text: String { note.formatted }

    public mutating func add(_ signature: NoteSignature) { note.add(signature) }

    /// Checks that `log` (a key named after the origin) signed this checkpoint.
    public func verify(log: NoteVerifier) throws {
        guard origin == log.name else { throw NoteError("the checkpoint is of log '\(origin)', not of '\(log.name)'") }
        guard try !note.verifiedSigners([log]).isEmpty else {
            throw NoteError("the checkpoint of \(origin) at size \(size) carries no signature by the log key \(log.vkey)")
        }
    }

    /// Whether one of `keys` validly signed the checkpoint (and none of them signed it falsely).
    public func isSigned(byAnyOf keys: [NoteVerifier]) -> Bool {
        (try? note.verifiedSigners(keys))?.isEmpty == false
    }

    /// The witnesses among `witnesses` that cosigned this checkpoint validly.
    public func cosigners(among witnesses: [NoteVerifier]) throws -> [NoteVerifier] {
        try note.verifiedSigners(witnesses.filter { $0.type == .cosignature })
    }
}
