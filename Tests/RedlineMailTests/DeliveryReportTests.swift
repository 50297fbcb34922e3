import Foundation
import Testing
@testable import RedlineMail

/// Bounces and complaints as mail servers write them: the notice they are about and what they say.
@Suite struct DeliveryReportTests {
    static func dsn(action: String = "failed", status: String = "5.1.1", original: String = "notice-3-0123456789abcdef@legal.example.com") -> Data {
        Data("""
        From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\r
        To: notices@legal.example.com\r
        Subject: Undelivered Mail Returned to Sender\r
        Message-ID: <20270105.ABC@mx.example.net>\r
        MIME-Version: 1.0\r
        Content-Type: multipart/report; report-type=delivery-status;\r
        \tboundary="B0UND"\r
        \r
        --B0UND\r
        Content-Type: text/plain\r
        \r
        Your message could not be delivered.\r
        --B0UND\r
        Content-Type: message/delivery-status\r
        \r
        Reporting-MTA: dns; mx.example.net\r
        \r
        Final-Recipient: rfc822; ana@example.org\r
        Action: \(action)\r
        Status: \(status)\r
        Diagnostic-Code: smtp; 550 5.1.1 <ana@example.org>: mailbox unknown\r
        \r
        --B0UND\r
        Content-Type: text/rfc822-headers\r
        \r
        From: notices@legal.example.com\r
        Message-ID: <\(original)>\r
        Subject: Our Privacy Policy changes\r
        \r
        --B0UND--\r

        """.utf8)
    }

    @Test func aHardBounceNamesTheNoticeTheAddressAndTheStatus() throws {
        let report = try DeliveryReport(message: Self.dsn())
        #expect(report.kind == .hardBounce)
        #expect(report.originalMessageID == "notice-3-0123456789abcdef@legal.example.com")
        #expect(report.reportMessageID == "20270105.ABC@mx.example.net")
        #expect(report.recipient == "ana@example.org")
        #expect(report.detail.hasPrefix("5.1.1 smtp; 550 5.1.1"))
    }

    @Test func aDelayIsASoftBounceAndASuccessIsNoBounce() throws {
        #expect(try DeliveryReport(message: Self.dsn(action: "delayed", status: "4.4.1")).kind == .softBounce)
        #expect(throws: DeliveryReport.Unreadable.self) { try DeliveryReport(message: Self.dsn(action: "delivered", status: "2.0.0")) }
    }

    @Test func aComplaintIsReadFromItsFeedbackReport() throws {
        let arf = Data("""
        Message-ID: <fbl-1@isp.example>\r
        Content-Type: multipart/report; report-type=feedback-report; boundary="ARF"\r
        \r
        --ARF\r
        Content-Type: text/plain\r
        \r
        This is an abuse report.\r
        --ARF\r
        Content-Type: message/feedback-report\r
        \r
        Feedback-Type: abuse\r
        User-Agent: ISP-FBL/1.0\r
        Version: 1\r
        Original-Rcpt-To: <bo@example.org>\r
        \r
        --ARF\r
        Content-Type: message/rfc822\r
        \r
        Message-ID: <notice-4-fedcba9876543210@legal.example.com>\r
        Subject: Terms change\r
        \r
        Body.\r
        --ARF--\r

        """.utf8)
        let report = try DeliveryReport(message: arf)
        #expect(report.kind == .complaint && report.originalMessageID == "notice-4-fedcba9876543210@legal.example.com")
        #expect(report.recipient == "bo@example.org" && report.detail == "complaint: abuse")
    }

    @Test func anythingElseIsRefusedWithAReason() {
        let plain = Data("From: a@example.org\r\nSubject: hi\r\n\r\nHello\r\n".utf8)
        #expect(throws: DeliveryReport.Unreadable.self) { try DeliveryReport(message: plain) }
        #expect(throws: DeliveryReport.Unreadable.self) { try DeliveryReport(message: Data(repeating: 0x41, count: DeliveryReport.maximumSize + 1)) }
        #expect(throws: DeliveryReport.Unreadable.self) { try DeliveryReport(message: Data("no headers at all".utf8)) }
        let noOriginal = String(decoding: Self.dsn(), as: UTF8.self).replacingOccurrences(of: "Message-ID: <notice-3", with: "X-Other: <notice-3")
        #expect(throws: DeliveryReport.Unreadable.self) { try DeliveryReport(message: Data(noOriginal.utf8)) }
    }
}
