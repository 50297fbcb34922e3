import Crypto
import Foundation

/// One SHA-256 value of an RFC 6962 Merkle tree, held inline (four words, no heap), so a tree
/// of a million leaves is two million of these in flat arrays rather than two million objects.
public struct TreeHash: Hashable, Sendable, CustomStringConvertible {
    private var words: (UInt64, UInt64, UInt64, UInt64)

    /// The 32 bytes, or nil when `bytes` is not 32 long.
    public init?<Bytes: Collection>(bytes: Bytes) where Bytes.Element == UInt8 {
        guard bytes.count == 32 else { return nil }
        words = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { buffer in
            for (offset, byte) in bytes.enumerated() { buffer[offset] = byte }
        }
    }

    public init?(base64: some StringProtocol) {
        guard let data = Data(base64Encoded: String(base64)) else { return nil }
        self.init(bytes: data)
    }

    private init(digest: SHA256.Digest) {
        words = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &words) { buffer in digest.withUnsafeBytes { buffer.copyMemory(from: $0) } }
    }

    public var bytes: [UInt8] { withUnsafeBytes(of: words) { Array($0) } }
    public var base64: String { Data(bytes).base64EncodedString() }
    public var hex: String { bytes.map { String(format: "%02x", $0) }.joined() }
    public var description: String { base64 }

    public static func == (left: TreeHash, right: TreeHash) -> Bool {
        left.words.0 == right.words.0 && left.words.1 == right.words.1 && left.words.2 == right.words.2 && left.words.3 == right.words.3
    }

    public func hash(into hasher: inout Hasher) {
        withUnsafeBytes(of: words) { hasher.combine(bytes: $0) }
    }

    /// MTH({}) = SHA-256 of nothing: the root of the empty tree.
    public static let empty = TreeHash(digest: SHA256.hash(data: Data()))

    /// The hash of leaf `data`: SHA-256(0x00 || data) (RFC 6962 §2.1), so a leaf can never pass for a node.
    public static func leaf(_ data: some DataProtocol) -> TreeHash {
        var hasher = SHA256()
        hasher.update(data: [0x00])
        hasher.update(data: data)
        return TreeHash(digest: hasher.finalize())
    }

    /// The hash of an interior node: SHA-256(0x01 || left || right).
    public static func node(_ left: TreeHash, _ right: TreeHash) -> TreeHash {
        var hasher = SHA256()
        hasher.update(data: [0x01])
        withUnsafeBytes(of: left.words) { hasher.update(bufferPointer: $0) }
        withUnsafeBytes(of: right.words) { hasher.update(bufferPointer: $0) }
        return TreeHash(digest: hasher.finalize())
    }
}
