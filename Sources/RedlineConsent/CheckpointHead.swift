import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The newest checkpoint, sealed with every commit, so that no acknowledged record is ever
/// outside a signed checkpoint: cutting records off the end of the chain, even the last one,
/// leaves the database shorter than the head, which `consent verify` and the server's start
/// report. A file of two fixed-size slots beside the checkpoint log (`LOG.head`), written in
/// turn with one `pwrite` and one `fdatasync` before the consents of a transaction are answered;
/// a write torn by a crash spoils one slot, and the other still holds the previous head.
public final class CheckpointHead: @unchecked Sendable {
    /// One canonical checkpoint, padded with spaces; far more than a checkpoint needs.
    static let slotSize = 1024
    private let descriptor: Int32
    public let path: String
    /// The slot the next seal writes: the one holding the older checkpoint. Only the owner's
    /// single writer calls ``seal(_:)``, hence unchecked.
    private var nextSlot: Int

    /// The head file of the checkpoint log at `logPath`.
    public static func path(forLog logPath: String) -> String { logPath + ".head" }

    public init(logPath: String) throws {
        path = Self.path(forLog: logPath)
        try FileManager.default.createPrivateParentDirectory(of: path)
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw HeadError(path: path, reason: String(cString: strerror(errno))) }
        let slots = Self.slots(FileManager.default.contents(atPath: path) ?? Data())
        nextSlot = (slots[0]?.sequence ?? -1) <= (slots[1]?.sequence ?? -1) ? 0 : 1
    }

    deinit { close(descriptor) }

    /// Writes `checkpoint` durably over the older slot.
    public func seal(_ checkpoint: Checkpoint) throws {
        var bytes = [UInt8](checkpoint.jsonLine)
        guard bytes.count <= Self.slotSize else { throw HeadError(path: path, reason: "a checkpoint of \(bytes.count) bytes does not fit a slot") }
        bytes += [UInt8](repeating: UInt8(ascii: " "), count: Self.slotSize - bytes.count)
        let offset = off_t(nextSlot * Self.slotSize)
        let written = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, Self.slotSize, offset) }
        guard written == Self.slotSize, fdatasync(descriptor) == 0 else { throw HeadError(path: path, reason: String(cString: strerror(errno))) }
        nextSlot = 1 - nextSlot
    }

    /// The checkpoints the head file at `path` holds (none when it is missing).
    public static func read(_ path: String) -> [Checkpoint] {
        slots(FileManager.default.contents(atPath: path) ?? Data()).compactMap { $0 }
    }

    private static func slots(_ data: Data) -> [Checkpoint?] {
        (0..<2).map { index in
            let start = index * slotSize
            guard data.count >= start + 1 else { return nil }
            let slot = data[(data.startIndex + start)..<(data.startIndex + min(data.count, start + slotSize))]
            let line = slot.prefix { $0 != UInt8(ascii: "\n") }
            return try? JSONDecoder().decode(Checkpoint.self, from: Data(line))
        }
    }

    public struct HeadError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "\(path): cannot seal the chain's head: \(reason)" }
    }
}
