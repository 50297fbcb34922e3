import Foundation

/// Just enough of RFC 5322 and MIME (RFC 2045–2046) to read the reports mail servers send
/// back: header fields (unfolded), a multipart body's parts, and the transfer encodings a
/// report part may use. Never executes or fetches anything; bounded by the caller's size limit.
public struct MIMEPart: Sendable {
    /// Field names in lower case, values unfolded; a repeated field keeps its first value.
    public let headers: [String: String]
    /// The body, transfer encoding undone.
    public let body: Data

    /// Parses a message or part; nil when it has no header block at all.
    public init?(_ data: Data) {
        let bytes = [UInt8](data)
        // The header block ends at the first empty line (CRLF CRLF, or LF LF from a maildir).
        var end: Int?
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x0A {
                if index + 1 < bytes.count, bytes[index + 1] == 0x0A { end = index + 1; break }
                if index + 2 < bytes.count, bytes[index + 1] == 0x0D, bytes[index + 2] == 0x0A { end = index + 2; break }
            }
            index += 1
        }
        let headerEnd = end ?? bytes.count
        // "\r\n" is one Character in Swift: line ends are made plain "\n" before splitting.
        let headerText = String(decoding: bytes[0..<min(headerEnd, bytes.count)], as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        var fields: [String: String] = [:]
        var current: (name: String, value: String)?
        for rawLine in headerText.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" }) {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.isEmpty { continue }
            if line.first == " " || line.first == "\t" {
                current?.value += " " + line.trimmingCharacters(in: .whitespaces)
                continue
            }
            if let current, fields[current.name] == nil { fields[current.name] = current.value }
            guard let colon = line.firstIndex(of: ":") else { current = nil; continue }
            current = (line[..<colon].trimmingCharacters(in: .whitespaces).lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        if let current, fields[current.name] == nil { fields[current.name] = current.value }
        guard !fields.isEmpty else { return nil }
        headers = fields
        let raw = Data(bytes[min(headerEnd + 1, bytes.count)...])
        body = Self.decode(raw, encoding: fields["content-transfer-encoding"]?.lowercased() ?? "7bit")
    }

    /// The media type in lower case, e.g. `multipart/report`; `text/plain` when none is given.
    public var mediaType: String {
        (headers["content-type"] ?? "text/plain").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? "text/plain"
    }

    /// A parameter of the Content-Type field (`boundary`, `report-type`), unquoted.
    public func parameter(_ name: String) -> String? {
        guard let field = headers["content-type"] else { return nil }
        for piece in field.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == name else { continue }
            return pair[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }

    /// The parts of a multipart body, nested multiparts left whole; empty for anything else.
    public var parts: [MIMEPart] {
        guard mediaType.hasPrefix("multipart/"), let boundary = parameter("boundary"), !boundary.isEmpty else { return [] }
        let text = String(decoding: body, as: UTF8.self)
        let delimiter = "--" + boundary
        var found: [MIMEPart] = []
        var pieces = text.components(separatedBy: delimiter).dropFirst()
        while let piece = pieces.popFirst() {
            if piece.hasPrefix("--") { break }
            let content = piece.drop { $0.isNewline }
            if let part = MIMEPart(Data(content.utf8)) {
                found.append(part)
            } else if !content.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                // A part with no header fields is text/plain (RFC 2046 §5.1).
                found.append(MIMEPart(headers: [:], body: Data(content.utf8)))
            }
        }
        return found
    }

    init(headers: [String: String], body: Data) {
        self.headers = headers
        self.body = body
    }

    static func decode(_ data: Data, encoding: String) -> Data {
        switch encoding {
        case "base64":
            return Data(base64Encoded: String(decoding: data, as: UTF8.self).filter { !$0.isWhitespace }) ?? data
        case "quoted-printable":
            return QuotedPrintable.decode(data)
        default:
            return data
        }
    }

    /// The field groups of a `message/delivery-status` or `message/feedback-report` body: blocks
    /// of header-like fields separated by empty lines, names in lower case.
    public var fieldGroups: [[String: String]] {
        let text = String(decoding: body, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        return text.components(separatedBy: "\n\n").compactMap { block in
            let trimmed = block.trimmingCharacters(in: .newlines)
            guard !trimmed.isEmpty, let part = MIMEPart(Data((trimmed + "\n\n").utf8)) else { return nil }
            return part.headers
        }
    }
}

extension QuotedPrintable {
    static func decode(_ data: Data) -> Data {
        var output: [UInt8] = []
        let bytes = [UInt8](data)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "="), index + 2 < bytes.count + 0 {
                let next = bytes[index + 1]
                if next == 0x0D || next == 0x0A {
                    index += next == 0x0D && index + 2 < bytes.count && bytes[index + 2] == 0x0A ? 3 : 2
                    continue
                }
                if index + 2 < bytes.count, let value = UInt8(String(decoding: bytes[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) {
                    output.append(value)
                    index += 3
                    continue
                }
            }
            output.append(byte)
            index += 1
        }
        return Data(output)
    }
}
