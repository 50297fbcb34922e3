/// Quoted-printable (RFC 2045) for message bodies: UTF-8 text in lines of at most 76
/// characters, CRLF line ends (from LF, CR or CRLF), `=` and anything outside printable
/// ASCII escaped, and whitespace at a line's end escaped so that no relay can strip it.
/// Works on bytes: per-character string building made it the costliest part of a send.
enum QuotedPrintable {
    private static let hexDigits = Array("0123456789ABCDEF".utf8)
    private static let cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n"), equals = UInt8(ascii: "=")

    static func encode(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + bytes.count / 8 + 16)
        var lineLength = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == cr || byte == lf {
                if byte == cr, index + 1 < bytes.count, bytes[index + 1] == lf { index += 1 }
                output += [cr, lf]
                lineLength = 0
                index += 1
                continue
            }
            let atLineEnd = index + 1 == bytes.count || bytes[index + 1] == cr || bytes[index + 1] == lf
            let literal = (33...126).contains(byte) && byte != equals || ((byte == 32 || byte == 9) && !atLineEnd)
            let width = literal ? 1 : 3
            // Keep room for the soft break "=" at the end of a wrapped line.
            if lineLength + width > 75 {
                output += [equals, cr, lf]
                lineLength = 0
            }
            if literal {
                output.append(byte)
            } else {
                output += [equals, hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0F)]]
            }
            lineLength += width
            index += 1
        }
        return output
    }
}
