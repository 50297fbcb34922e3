import Foundation

/// Header values as RFC 5322 and RFC 2047 want them: printable ASCII kept as it is, anything
/// else as UTF-8 encoded-words, and no line longer than 78 characters. CR and LF never reach
/// a header: they are folded into spaces before encoding, so no value can start a new header.
enum HeaderEncoding {
    /// `name: value` with the value encoded and folded, ending in CRLF.
    static func line(_ name: String, _ value: String) -> String {
        let flattened = value.map { $0.isNewline || $0 == "\t" ? " " : String($0) }.joined()
        let needsEncoding = flattened.unicodeScalars.contains { $0.value < 0x20 || $0.value > 0x7E } || flattened.contains("=?")
        let words = needsEncoding ? encodedWords(flattened) : flattened.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        return fold(name: name, words: words, separator: needsEncoding ? "" : " ")
    }

    /// An address header: `Display Name <local@domain>`, the name encoded when it must be.
    static func addressLine(_ name: String, _ address: MailAddress) -> String {
        guard let display = address.displayName, !display.isEmpty else { return "\(name): \(address.address)\r\n" }
        let plain = display.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value <= 0x7E } && !display.contains("=?")
        let phrase: String
        if plain {
            let escaped = display.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            phrase = "\"\(escaped)\""
        } else {
            phrase = encodedWords(display).joined(separator: " ")
        }
        return fold(name: name, words: (phrase + " <\(address.address)>").split(separator: " ").map(String.init), separator: " ")
    }

    /// `=?UTF-8?B?…?=` words of at most 64 characters (so that one fits on a line after the
    /// header's name), never splitting a character.
    static func encodedWords(_ text: String) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        // 39 bytes of UTF-8 = 52 base64 characters, + 12 for "=?UTF-8?B?" and "?=".
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 39 {
                words.append(word(chunk))
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append(word(chunk)) }
        return words
    }

    private static func word(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?" + Data(bytes).base64EncodedString() + "?="
    }

    /// Joins words onto lines of at most 78 characters, continuing lines with a space.
    private static func fold(name: String, words: [String], separator: String) -> String {
        var output = name + ":"
        var lineLength = output.count
        for (index, word) in words.enumerated() {
            let glue = index == 0 || separator.isEmpty ? " " : separator
            if lineLength + glue.count + word.count > 78 && lineLength > name.count + 1 {
                output += "\r\n"
                lineLength = 0
            }
            output += glue + word
            lineLength += glue.count + word.count
        }
        return output + "\r\n"
    }
}
