import Foundation
import RedlineTransparency

/// The log's C2SP checkpoints, kept beside the records in their own append-only file
/// (`<checkpoint log>.notes`): each checkpoint note as signed, and again whenever witnesses
/// cosign it, so the file holds every signature ever gathered. Notes are self-delimiting
/// (a body, a blank line, signature lines), so the file is their plain concatenation.
public enum CheckpointNotes {
    public static func path(forLog logPath: String) -> String { logPath + ".notes" }

    public static func append(_ checkpoint: LogCheckpoint, to path: String) throws {
        try FileManager.default.createPrivateParentDirectory(of: path)
        try SecureFile.appendDurably(path, Data(checkpoint.text.utf8), permissions: 0o644)
    }

    /// Every checkpoint in the file, one per tree size with all the signatures found for it,
    /// oldest first, and a problem for each part that is not a checkpoint. A missing file is
    /// an empty log. Two different roots for one size both stay: that is a split view to report.
    public static func read(_ path: String) throws -> (checkpoints: [LogCheckpoint], problems: [String]) {
        guard FileManager.default.fileExists(atPath: path) else { return ([], []) }
        guard let data = FileManager.default.contents(atPath: path) else { throw KeyringError.unreadable(path) }
        return parse(String(decoding: data, as: UTF8.self), name: path)
    }

    /// Splits concatenated notes: a note ends with its last signature line, before the next
    /// line that is not one.
    public static func parse(_ text: String, name: String) -> (checkpoints: [LogCheckpoint], problems: [String]) {
        var checkpoints: [LogCheckpoint] = []
        var problems: [String] = []
        var current: [Substring] = []
        var startLine = 1
        var inSignatures = false
        func finish(_ lineNumber: Int) {
            defer { current = []; inSignatures = false; startLine = lineNumber }
            guard !current.isEmpty else { return }
            do {
                let checkpoint = try LogCheckpoint(parsing: current.joined(separator: "\n") + "\n")
                if let index = checkpoints.firstIndex(where: { $0.size == checkpoint.size && $0.root == checkpoint.root && $0.origin == checkpoint.origin }) {
                    for signature in checkpoint.note.signatures { checkpoints[index].add(signature) }
                } else {
                    checkpoints.append(checkpoint)
                }
            } catch {
                problems.append("\(name):\(startLine): \(error)")
            }
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (offset, line) in lines.enumerated() {
            let isSignature = line.hasPrefix("\u{2014} ")
            if inSignatures && !isSignature { finish(offset + 1) }
            if current.isEmpty && line.isEmpty { startLine = offset + 2; continue }
            current.append(line)
            if isSignature { inSignatures = true }
        }
        finish(lines.count)
        return (checkpoints, problems)
    }
}
