import Foundation

/// Integers as the C2SP formats write them: big-endian, at their full width (a note's 4-byte
/// key ID, a cosignature's 8-byte timestamp).
enum BigEndian {
    static func bytes<Integer: FixedWidthInteger>(_ value: Integer) -> Data {
        let width = Integer.bitWidth / 8
        return Data((0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * (width - 1 - $0))) })
    }

    /// The integer the first `Integer.bitWidth / 8` of `bytes` spell.
    static func integer<Integer: FixedWidthInteger>(_ bytes: some Collection<UInt8>, as _: Integer.Type = Integer.self) -> Integer {
        bytes.prefix(Integer.bitWidth / 8).reduce(0) { $0 << 8 | Integer($1) }
    }
}
