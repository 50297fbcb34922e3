import Foundation

/// A sorted list of section numbers in the smaller of two forms, as base64 text that JSON
/// carries cheaply: "d…" holds the gaps as LEB128 varints (for rare terms), "b…" a bitmap
/// (for common ones, so no term costs more than one bit per section).
public enum PostingList {
    public static func encode(_ ids: [Int]) -> String {
        guard let last = ids.last else { return "" }
        var gaps: [UInt8] = []
        gaps.reserveCapacity(ids.count + 8)
        var previous = -1
        for id in ids {
            var gap = UInt(id - previous - 1)
            previous = id
            while gap >= 0x80 {
                gaps.append(UInt8(gap & 0x7F) | 0x80)
                gap >>= 7
            }
            gaps.append(UInt8(gap))
        }
        let bitmapSize = last / 8 + 1
        if gaps.count <= bitmapSize { return "d" + Data(gaps).base64EncodedString() }
        var bitmap = [UInt8](repeating: 0, count: bitmapSize)
        for id in ids { bitmap[id / 8] |= 1 << UInt8(id % 8) }
        return "b" + Data(bitmap).base64EncodedString()
    }

    /// The inverse of `encode`; nil for text `encode` cannot have written.
    public static func decode(_ text: String) -> [Int]? {
        guard let kind = text.first else { return [] }
        guard let data = Data(base64Encoded: String(text.dropFirst())) else { return nil }
        var ids: [Int] = []
        switch kind {
        case "d":
            var previous = -1
            var gap = 0
            var shift = 0
            for byte in data {
                gap |= Int(byte & 0x7F) << shift
                if byte & 0x80 != 0 { shift += 7; continue }
                previous += gap + 1
                ids.append(previous)
                gap = 0
                shift = 0
            }
            return shift == 0 ? ids : nil
        case "b":
            for (index, byte) in data.enumerated() where byte != 0 {
                for bit in 0..<8 where byte & (1 << UInt8(bit)) != 0 { ids.append(index * 8 + bit) }
            }
            return ids
        default:
            return nil
        }
    }
}
