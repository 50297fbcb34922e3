import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An advisory lock beside a receipt key (`KEY.lock`), so that a key is never replaced while a
/// server still signs with it: every `redline serve` holds it shared for as long as it runs, and
/// ``ReceiptSigner/rotate(at:now:)`` takes it exclusively and gives up at once when it cannot.
/// The kernel releases it when the process ends, however it ends (`flock`).
public final class ReceiptKeyLock: Sendable {
    private let descriptor: Int32

    public struct Busy: Error, CustomStringConvertible {
        public let keyPath: String
        public var description: String {
            "\(keyPath): a running redline serve signs with this key (it holds \(ReceiptKeyLock.path(forKey: keyPath))); "
                + "stop every server that uses it, rotate, then start them again"
        }
    }

    /// The lock file of the key at `keyPath`; it is never replaced, unlike the key.
    public static func path(forKey keyPath: String) -> String { keyPath + ".lock" }

    /// Holds the key for signing: shared with other servers, waits while a rotation runs.
    public static func forSigning(keyPath: String) throws -> ReceiptKeyLock {
        try ReceiptKeyLock(keyPath: keyPath, operation: LOCK_SH)
    }

    /// Holds the key alone, for replacing it; throws ``Busy`` when a server holds it.
    public static func forRotation(keyPath: String) throws -> ReceiptKeyLock {
        try ReceiptKeyLock(keyPath: keyPath, operation: LOCK_EX | LOCK_NB)
    }

    private init(keyPath: String, operation: Int32) throws {
        let path = Self.path(forKey: keyPath)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw ConsentStoreError.cannotLockKey(path, String(cString: strerror(errno)))
        }
        var result: Int32
        repeat { result = flock(descriptor, operation) } while result != 0 && errno == EINTR
        guard result == 0 else {
            let code = errno
            close(descriptor)
            if code == EWOULDBLOCK { throw Busy(keyPath: keyPath) }
            throw ConsentStoreError.cannotLockKey(path, String(cString: strerror(code)))
        }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }
}
