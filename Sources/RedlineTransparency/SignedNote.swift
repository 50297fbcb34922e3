import Foundation

/// One signature line of a note: `— <name> base64(key ID || signature)`.
public struct NoteSignature: Sendable, Equatable, Hashable {
    public let name: String
    public let keyID: UInt32
    /// The signature proper, after the four bytes of key ID.
    public let signature: Data

    public init(name: String, keyID: UInt32, signature: Data) {
        self.name = name
        self.keyID = keyID
        self.signature = signature
    }

    public var line: String {
        "\u{2014} \(name) \((BigEndian.bytes(keyID) + signature).base64EncodedString())\n"
    }

    /// Parses one line (without its newline); nil when it is not a signature line.
    public init?(line: Substring) {
        guard line.hasPrefix("\u{2014} ") else { return nil }
        let fields = line.dropFirst(2).split(separator: " ", omittingEmptySubsequences: false)
        guard fields.count == 2, NoteVerifier.isValidName(String(fields[0])),
              let bytes = Data(base64Encoded: String(fields[1])), bytes.count > 4 else { return nil }
        name = String(fields[0])
        keyID = BigEndian.integer(bytes)
        signature = bytes.dropFirst(4)
    }
}

/// A C2SP signed note (c2sp.org/signed-note): a text ending in a newline, a blank line, and
/// signature lines.
public struct SignedNote: Sendable, Equatable {
    /// The signed text, ending in a newline.
    public let text: String
    public private(set) var signatures: [NoteSignature]

    /// Notes larger than this are refused unread: a checkpoint with sixteen cosignatures is under 2 KB.
    public static let maximumSize = 64 * 1024

    public init(text: String, signatures: [NoteSignature] = []) {
        self.text = text
        self.signatures = signatures
    }

    public init(parsing note: String) throws {
        guard note.utf8.count <= Self.maximumSize else { throw NoteError("a note of \(note.utf8.count) bytes is over the limit of \(Self.maximumSize)") }
        guard !note.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" }) else { throw NoteError("a note holds a control character") }
        guard note.hasSuffix("\n"), let blank = note.range(of: "\n\n", options: .backwards) else {
            throw NoteError("not a signed note: no blank line before the signatures")
        }
        text = String(note[..<note.index(after: blank.lowerBound)])
        var signatures: [NoteSignature] = []
        for line in note[blank.upperBound...].split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            guard let signature = NoteSignature(line: line) else { throw NoteError("'\(line.prefix(80))' is not a note signature line") }
            signatures.append(signature)
        }
        guard !signatures.isEmpty else { throw NoteError("not a signed note: no signature line") }
        self.signatures = signatures
    }

    public var formatted: String { text + "\n" + signatures.map(\.line).joined() }

    /// Adds `signature` unless an equal one (same key and bytes) is there.
    public mutating func add(_ signature: NoteSignature) {
        if !signatures.contains(signature) { signatures.append(signature) }
    }

    /// The verifiers among `verifiers` whose signature is on the note and valid. A signature by
    /// a known key that does not verify is an error (the note was tampered with); signatures by
    /// keys not listed are ignored, as the specification asks.
    public func verifiedSigners(_ verifiers: [NoteVerifier]) throws -> [NoteVerifier] {
        var verified: [NoteVerifier] = []
        for verifier in verifiers {
            let matching = signatures.filter { $0.name == verifier.name && $0.keyID == verifier.keyID }
            for signature in matching {
                guard verifier.verify(signature.signature, text: Data(text.utf8)) else {
                    throw NoteError("the signature of \(verifier.name) on the note does not verify: the note was changed or the signature is forged")
                }
            }
            if !matching.isEmpty { verified.append(verifier) }
        }
        return verified
    }

    /// The time of the newest valid cosignature by `verifier`, or nil when there is none.
    public func cosignatureTime(by verifier: NoteVerifier) -> UInt64? {
        signatures.filter { $0.name == verifier.name && $0.keyID == verifier.keyID && verifier.verify($0.signature, text: Data(text.utf8)) }
            .compactMap { Cosignature.timestamp($0.signature) }.max()
    }
}
