import Foundation

/// One e-mail, composed per RFC 5322 and RFC 2045–2047: a text and an HTML part as
/// multipart/alternative, both quoted-printable UTF-8, headers encoded and folded.
public struct MailMessage: Sendable, Equatable {
    public var from: MailAddress
    public var to: MailAddress
    public var subject: String
    public var date: Date
    /// Without angle brackets: `local@domain`.
    public var messageID: String
    public var language: String?
    public var text: String
    public var html: String
    /// Where replies go, when not to `from`.
    public var replyTo: MailAddress?
    /// Marks a reviewer's test copy, so filters and people can tell it from the real notice.
    public var isTest = false
    /// `List-Id` (RFC 2919): `Name <id>`, so recipients and their filters can tell these notices
    /// apart. Legally required notices carry no List-Unsubscribe: nobody can opt out of the law.
    public var listID: String?
    /// An optional notice's one-click unsubscribe (RFC 8058): an https link the recipient's mail
    /// provider POSTs `List-Unsubscribe=One-Click` to. Written as `List-Unsubscribe` with
    /// `List-Unsubscribe-Post`; the sending domain's DKIM signature must cover both (RFC 8058 §4).
    public var listUnsubscribe: String?

    public init(from: MailAddress, to: MailAddress, subject: String, date: Date, messageID: String, language: String?,
                text: String, html: String, replyTo: MailAddress? = nil, isTest: Bool = false) {
        self.replyTo = replyTo
        self.isTest = isTest
        self.from = from
        self.to = to
        self.subject = subject
        self.date = date
        self.messageID = messageID
        self.language = language
        self.text = text
        self.html = html
    }

    /// The message as sent: CRLF line ends, every line within 78 characters.
    public func rendered() -> [UInt8] {
        // QP output never contains "=_", so this boundary cannot occur in a body.
        let boundary = "=_redline_" + String(messageID.utf8.reduce(UInt64(14_695_981_039_346_656_037)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }, radix: 16)
        var head = ""
        head += HeaderEncoding.addressLine("From", from)
        head += HeaderEncoding.addressLine("To", to)
        if let replyTo { head += HeaderEncoding.addressLine("Reply-To", replyTo) }
        head += HeaderEncoding.line("Subject", subject)
        head += "Date: \(RFC5322Date.string(date))\r\n"
        head += "Message-ID: <\(messageID)>\r\n"
        head += "MIME-Version: 1.0\r\n"
        head += "Auto-Submitted: auto-generated\r\n"
        head += "X-Auto-Response-Suppress: All\r\n"
        if let listID { head += HeaderEncoding.line("List-Id", listID) }
        // A URL has no space to fold at; RFC 5322 allows it the whole 998-character line.
        if let listUnsubscribe, listUnsubscribe.utf8.count < 900, listUnsubscribe.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ">") }) {
            head += "List-Unsubscribe: <\(listUnsubscribe)>\r\n"
            head += "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
        }
        if isTest { head += "X-Redline-Test: yes\r\n" }
        if let language, !language.isEmpty, language.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) }) {
            head += "Content-Language: \(language)\r\n"
        }
        head += "Content-Type: multipart/alternative; boundary=\"\(boundary)\"\r\n"
        var bytes = Array(head.utf8)
        bytes += Array("\r\nThis is a multi-part message in MIME format.\r\n".utf8)
        for (type, content) in [("text/plain", text), ("text/html", html)] {
            bytes += Array("\r\n--\(boundary)\r\nContent-Type: \(type); charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n".utf8)
            bytes += QuotedPrintable.encode(content)
            bytes += [UInt8(ascii: "\r"), UInt8(ascii: "\n")]
        }
        bytes += Array("\r\n--\(boundary)--\r\n".utf8)
        return bytes
    }
}

/// `Sat, 21 Nov 2026 14:57:11 +0000`, always in UTC, independent of the machine's locale.
enum RFC5322Date {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func string(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        func two(_ value: Int?) -> String { let value = value ?? 0; return value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[(parts.weekday ?? 1) - 1]), \(parts.day ?? 1) \(months[(parts.month ?? 1) - 1]) \(parts.year ?? 1970) "
            + "\(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) +0000"
    }
}
