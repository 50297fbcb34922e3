import Foundation

/// A signed statement "the chain had `sequence` records, the last with hash `headHash`, at
/// `time`". Appended to a log kept apart from the database: cutting records off the end of
/// the chain leaves the database shorter than a checkpoint that saw them, which
/// `consent verify` reports. Copies fetched from `GET /api/v1/consent/checkpoint` and kept
/// elsewhere make even a rewritten log detectable.
public struct Checkpoint: Codable, Sendable, Equatable {
    public var sequence: Int64
    public var headHash: String
    public var time: String
    public var keyId: String
    /// Ed25519 over `signedBytes`, base64.
    public var signature: String

    /// What the signature covers: a fixed label and the three facts, one per line.
    public static func signedBytes(sequence: Int64, headHash: String, time: String) -> Data {
        Data("redline-checkpoint-v1\n\(sequence)\n\(headHash)\n\(time)\n".utf8)
    }

    public var signedBytes: Data { Self.signedBytes(sequence: sequence, headHash: headHash, time: time) }

    public static func make(sequence: Int64, headHash: String, time: Date, signer: ReceiptSigner) throws -> Checkpoint {
        let timestamp = UTCTime.timestamp(time)
        return Checkpoint(sequence: sequence, headHash: headHash, time: timestamp, keyId: signer.keyId,
                          signature: try signer.sign(signedBytes(sequence: sequence, headHash: headHash, time: timestamp)))
    }

    /// Whether the signature is valid for the key of `keyring` in use at `time`.
    public func isSigned(by keyring: ReceiptKeyring) -> Bool {
        guard let key = keyring.key(at: time), key.keyId == keyId else { return false }
        return ReceiptSigner.verify(signature: signature, data: signedBytes, publicKeyBase64: key.publicKey)
    }

    public var jsonLine: Data { Canonical.json(self) + Data("\n".utf8) }
}

/// The checkpoint log: one canonical JSON checkpoint per line, appended and synced.
public enum CheckpointLog {
    public static func append(_ checkpoint: Checkpoint, to path: String) throws {
        try FileManager.default.createPrivateParentDirectory(of: path)
        try SecureFile.appendDurably(path, checkpoint.jsonLine, permissions: 0o644)
    }

    /// Every checkpoint in the file and in its head file (``CheckpointHead``), with a problem
    /// for each line that is not one. A missing file is an empty log.
    public static func read(_ path: String) throws -> (checkpoints: [Checkpoint], problems: [String]) {
        let (logged, problems) = try readLog(path)
        return (logged + CheckpointHead.read(CheckpointHead.path(forLog: path)), problems)
    }

    private static func readLog(_ path: String) throws -> (checkpoints: [Checkpoint], problems: [String]) {
        guard FileManager.default.fileExists(atPath: path) else { return ([], []) }
        guard let data = FileManager.default.contents(atPath: path) else { throw KeyringError.unreadable(path) }
        // A copy saved from GET /api/v1/consent/checkpoint may be one pretty-printed object.
        if let single = try? JSONDecoder().decode(Checkpoint.self, from: data) { return ([single], []) }
        var checkpoints: [Checkpoint] = []
        var problems: [String] = []
        for (index, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            if let checkpoint = try? JSONDecoder().decode(Checkpoint.self, from: Data(line)) {
                checkpoints.append(checkpoint)
            } else {
                problems.append("\(path):\(index + 1): not a checkpoint")
            }
        }
        return (checkpoints, problems)
    }
}
