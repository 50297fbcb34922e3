import Foundation
import Testing
@testable import RedlineMail

@Suite struct MailMessageTests {
    let from = MailAddress(parsing: "Parcelbird Légal <notices@legal.parcelbird.example>")!

    func message(subject: String = "Our Privacy Policy changes on 1 March 2027", to: String = "ana@example.com",
                 text: String = "Hello\nThe summary.", html: String = "<p>Hello</p>") -> MailMessage {
        MailMessage(from: from, to: MailAddress(to)!, subject: subject, date: Date(timeIntervalSince1970: 1_795_000_000),
                    messageID: "notice-7-0123456789abcdef@legal.parcelbird.example", language: "en-GB", text: text, html: html)
    }

    func text(_ message: MailMessage) -> String { String(decoding: message.rendered(), as: UTF8.self) }

    func headers(_ message: MailMessage) -> String { String(text(message).components(separatedBy: "\r\n\r\n")[0]) }

    @Test func carriesTheHeadersANoticeNeeds() {
        let head = headers(message())
        #expect(head.contains("\r\nDate: Wed, 18 Nov 2026 11:06:40 +0000\r\n"))
        #expect(head.contains("\r\nMessage-ID: <notice-7-0123456789abcdef@legal.parcelbird.example>\r\n"))
        #expect(head.contains("\r\nAuto-Submitted: auto-generated\r\n"))
        #expect(head.contains("\r\nMIME-Version: 1.0\r\n"))
        #expect(head.contains("\r\nContent-Language: en-GB\r\n"))
        #expect(head.contains("Content-Type: multipart/alternative; boundary="))
        #expect(head.hasPrefix("From: =?UTF-8?B?"))
        #expect(head.contains("<notices@legal.parcelbird.example>\r\n"))
        #expect(head.contains("\r\nTo: ana@example.com\r\n"))
    }

    @Test func everyLineEndsInCRLFAndFitsTheLimit() {
        let long = String(repeating: "A long summary with ünïcödé and = signs. ", count: 40)
        let rendered = text(message(subject: String(repeating: "Änderung der Datenschutzerklärung ", count: 6), text: long, html: "<p>\(long)</p>"))
        #expect(!rendered.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(!rendered.replacingOccurrences(of: "\r\n", with: "").contains("\r"))
        for line in rendered.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 78, "line too long: \(line)")
        }
    }

    @Test func nonASCIISubjectsAreEncodedWordsThatDecodeBack() throws {
        let subject = "Änderung: Datenschutz — gültig ab 1. März 2027 🎉 " + String(repeating: "ä", count: 60)
        let head = headers(message(subject: subject))
        let unfolded = head.replacingOccurrences(of: "\r\n ", with: " ")
        let line = try #require(unfolded.components(separatedBy: "\r\n").first { $0.hasPrefix("Subject: ") })
        let words = line.dropFirst("Subject: ".count).split(separator: " ")
        #expect(words.allSatisfy { $0.hasPrefix("=?UTF-8?B?") && $0.hasSuffix("?=") && $0.count <= 75 })
        let decoded = words.map { word -> String in
            let base64 = word.dropFirst("=?UTF-8?B?".count).dropLast(2)
            return String(decoding: Data(base64Encoded: String(base64))!, as: UTF8.self)
        }.joined()
        #expect(decoded == subject)
    }

    @Test func noValueCanAddAHeader() {
        let head = headers(message(subject: "Hello\r\nBcc: victim@example.com\nX-Injected: yes"))
        #expect(!head.contains("\r\nBcc:"))
        #expect(!head.contains("\r\nX-Injected:"))
        // Addresses with line breaks, spaces, brackets or commas are not addresses at all.
        for bad in ["a@example.com\r\nBcc: b@example.com", "a@example.com>, <b@example.com", "a b@example.com", "<a@example.com>",
                    "a@example", "a@@example.com", "a@-example.com", "é@example.com", "", "@example.com", "a@example.com\n"] {
            #expect(MailAddress(bad) == nil, "\(bad) accepted")
        }
        #expect(MailAddress("first.last+notices@mail.example.co.uk") != nil)
        // A display name with a line break loses it.
        let sneaky = MailAddress("a@example.com", displayName: "Name\r\nBcc: b@example.com")!
        #expect(!HeaderEncoding.addressLine("From", sneaky).dropLast().contains("\r\n"))
    }

    @Test func bodiesAreQuotedPrintableAndDecodeBack() throws {
        let original = "Grüße,\nline with trailing space \nequals = sign\n" + String(repeating: "x", count: 200)
        let rendered = text(message(text: original))
        let part = try #require(rendered.components(separatedBy: "Content-Transfer-Encoding: quoted-printable\r\n\r\n").dropFirst().first)
        // The CRLF before a boundary belongs to the boundary (RFC 2046), the one before it to the body.
        var body = part.components(separatedBy: "\r\n--=_redline_")[0]
        #expect(body.hasSuffix("\r\n"))
        body.removeLast()   // "\r\n" is one Character
        #expect(QuotedPrintableDecoder.decode(body) == original.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(body.components(separatedBy: "\r\n").allSatisfy { $0.count <= 76 })
        #expect(body.contains("=3D"))
        #expect(body.contains("Gr=C3=BC=C3=9Fe"))
        #expect(body.contains("space=20\r\n"))
    }

    @Test func bothPartsArePresent() {
        let rendered = text(message())
        #expect(rendered.contains("Content-Type: text/plain; charset=utf-8"))
        #expect(rendered.contains("Content-Type: text/html; charset=utf-8"))
        #expect(rendered.hasSuffix("--\r\n"))
    }

    @Test func theSameMessageRendersTheSameBytes() {
        #expect(message().rendered() == message().rendered())
    }
}

/// Just enough of a decoder to prove the encoder round-trips.
enum QuotedPrintableDecoder {
    static func decode(_ text: String) -> String {
        var bytes: [UInt8] = []
        let input = Array(text.replacingOccurrences(of: "=\r\n", with: "").utf8)
        var index = 0
        while index < input.count {
            if input[index] == UInt8(ascii: "="), index + 2 < input.count,
               let value = UInt8(String(decoding: input[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) {
                bytes.append(value)
                index += 3
            } else {
                bytes.append(input[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// RFC 8058: an optional notice names its one-click link with both headers; a required one neither.
@Suite struct OneClickHeaderTests {
    let base = MailMessageTests()

    @Test func anOptionalNoticeCarriesBothOneClickHeaders() {
        var message = base.message()
        message.listUnsubscribe = "https://legal.example.com/notices/unsubscribe/12.00112233445566778899aabbccddeeff"
        let head = base.headers(message)
        #expect(head.contains("\r\nList-Unsubscribe: <https://legal.example.com/notices/unsubscribe/12.00112233445566778899aabbccddeeff>\r\n"))
        #expect(head.contains("\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"))
    }

    @Test func aRequiredNoticeOffersNoUnsubscribe() {
        #expect(!base.headers(base.message()).contains("List-Unsubscribe"))
    }

    @Test(arguments: ["https://x.example/u\r\nBcc: eve@example.com", "https://x.example/a b", "https://x.example/>", String(repeating: "a", count: 950)])
    func aLinkThatWouldBreakTheHeaderIsLeftOut(link: String) {
        var message = base.message()
        message.listUnsubscribe = link
        let head = base.headers(message)
        #expect(!head.contains("List-Unsubscribe"))
        #expect(!head.contains("Bcc"))
    }
}
