/// What a token is. Words are what change counts are measured in.
public enum TokenKind: UInt8, Sendable {
    case word, space, newline, punctuation
}

/// A token: a byte range of the text it came from, and an integer id equal for equal text,
/// so the diff compares integers rather than strings.
struct Token {
    let start: Int
    let end: Int
    let id: Int32
    let kind: TokenKind
}

/// Interns token texts to integer ids. One table is shared by both sides of a diff so
/// that equal words on both sides get the same id.
///
/// Ids are found by a 64-bit hash of the bytes in a ``HashTable``, not a Dictionary of slices:
/// Swift's hashing set-up per look-up was most of a word diff's time. Each distinct token's
/// bytes are kept once and compared on a hit, so equal ids always mean equal text; a token
/// whose hash another token already has (all but never) goes to a Dictionary instead.
final class TokenTable {
    private var byHash = HashTable(capacity: 256)
    /// Where each id's bytes are in `stored`.
    private var spans: [Range<Int>] = []
    private var stored: [UInt8] = []
    private var collided: [ArraySlice<UInt8>: Int32] = [:]

    func id(_ bytes: ArraySlice<UInt8>) -> Int32 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        if let id = byHash[hash] {
            if stored[spans[Int(id)]].elementsEqual(bytes) { return id }
            if let id = collided[bytes] { return id }
            let id = Int32(spans.count)
            spans.append(0..<0) // never compared: its hash belongs to another token
            collided[bytes] = id
            return id
        }
        let id = Int32(spans.count)
        spans.append(stored.count..<(stored.count + bytes.count))
        stored.append(contentsOf: bytes)
        byHash[hash] = id
        return id
    }
}

enum Tokenizer {
    /// Splits `bytes[range]` into words (letters and digits, any non-ASCII byte counted as a
    /// letter so UTF-8 words stay whole), runs of spaces, single newlines and single
    /// punctuation characters. The tokens cover the range exactly, in order.
    static func tokenize(_ bytes: [UInt8], _ range: Range<Int>, table: TokenTable) -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(range.count / 3)
        var index = range.lowerBound
        while index < range.upperBound {
            let start = index
            let byte = bytes[index]
            let kind: TokenKind
            if index > range.lowerBound, bytes[index - 1] == UInt8(ascii: "("), index - 1 > range.lowerBound,
               bytes[index - 2] == UInt8(ascii: "]"), byte != UInt8(ascii: ")"), byte != 0x20, byte != 0x0A, byte != 0x09 {
                // A link destination is one token: its parts are not words of the text, and a
                // word of the text must never be matched with a piece of a URL (it would vanish
                // into the link when the redline is shown).
                kind = .word
                index += 1
                while index < range.upperBound, bytes[index] != UInt8(ascii: ")"), bytes[index] != 0x20, bytes[index] != 0x0A, bytes[index] != 0x09 {
                    index += 1
                }
            } else if isWordByte(byte) {
                kind = .word
                while index < range.upperBound && isWordByte(bytes[index]) { index += 1 }
            } else if byte == 0x20 || byte == 0x09 {
                kind = .space
                while index < range.upperBound && (bytes[index] == 0x20 || bytes[index] == 0x09) { index += 1 }
            } else if byte == 0x0A {
                kind = .newline
                index += 1
            } else {
                kind = .punctuation
                index += 1
            }
            tokens.append(Token(start: start, end: index, id: table.id(bytes[start..<index]), kind: kind))
        }
        return tokens
    }

    /// Words in `bytes[range]`, counted without building tokens.
    static func wordCount(_ bytes: [UInt8], _ range: Range<Int>) -> Int {
        bytes.withUnsafeBufferPointer { wordCount(UnsafeBufferPointer(rebasing: $0[range])) }
    }

    static func wordCount(_ buffer: UnsafeBufferPointer<UInt8>) -> Int {
        // Without branches: a word starts where a word byte follows a byte that is not one.
        wordBytes.withUnsafeBufferPointer { table in
            var count = 0
            var previous: UInt8 = 0
            for byte in buffer {
                let isWord = table[Int(byte)]
                count &+= Int(isWord & ~previous)
                previous = isWord
            }
            return count
        }
    }

    /// 1 for the bytes ``isWordByte(_:)`` accepts, else 0.
    private static let wordBytes: [UInt8] = (0...255).map { isWordByte(UInt8($0)) ? 1 : 0 }

    @inline(__always)
    static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte >= 0x80
    }
}
