/// Quoted-printable (RFC 2045) for message bodies: UTF-8 text in lines of at most 76
/// characters, CRLF line ends, `=` and anything outside printable ASCII escaped, and
/// whitespace at a line's end escaped so that no relay can strip it.
enum QuotedPrintable {
    static func encode(_ text: String) -> String {
        var output = ""
        let lines = text.replacingLineEnds().split(separator: "\n", omittingEmptySubsequences: false)
        for (lineIndex, line) in lines.enumerated() {
            if lineIndex > 0 { output += "\r\n" }
            var length = 0
            let bytes = Array(line.utf8)
            for (index, byte) in bytes.enumerated() {
                let isLast = index == bytes.count - 1
                let literal = (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "=")) || ((byte == 32 || byte == 9) && !isLast)
                let piece = literal ? String(UnicodeScalar(byte)) : "=" + hexPair(byte)
                // Keep room for the soft break "=" at the end of a wrapped line.
                if length + piece.count > 75 {
                    output += "=\r\n"
                    length = 0
                }
                output += piece
                length += piece.count
            }
        }
        return output
    }

    private static func hexPair(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}

extension String {
    /// Every CRLF or lone CR as LF.
    func replacingLineEnds() -> String {
        var result = ""
        var previousWasCR = false
        for scalar in unicodeScalars {
            if scalar == "\r" {
                result.append("\n")
                previousWasCR = true
                continue
            }
            if scalar == "\n" && previousWasCR { previousWasCR = false; continue }
            previousWasCR = false
            result.unicodeScalars.append(scalar)
        }
        return result
    }
}
