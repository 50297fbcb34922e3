import Foundation

/// What a mail server sent back about a notice: a delivery status notification (RFC 3464) or a
/// complaint (an Abuse Reporting Format report, RFC 5965), read for the Message-ID of the
/// notice it is about and what it says.
public struct DeliveryReport: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// Action: failed with a permanent status (5.x.x): the address does not take mail.
        case hardBounce = "hard bounce"
        /// A temporary failure or a delay (4.x.x, `delayed`): the server goes on trying.
        case softBounce = "soft bounce"
        /// The recipient marked it as unwanted.
        case complaint
    }

    public let kind: Kind
    /// The Message-ID of the notice the report is about, without angle brackets.
    public let originalMessageID: String
    /// The report's own Message-ID (or nil), which makes reading the same report twice harmless.
    public let reportMessageID: String?
    /// The address the report names (Final-Recipient, Original-Rcpt-To), if any.
    public let recipient: String?
    /// Status and diagnostic (`5.1.1 smtp; 550 5.1.1 no such user`), or the feedback type.
    public let detail: String

    /// Reports larger than this are refused unread: a bounce with the original headers is a few KB.
    public static let maximumSize = 1 << 20

    public struct Unreadable: Error, CustomStringConvertible, Equatable {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// Reads one message. Throws ``Unreadable`` when it is not a report Redline can use: not a
    /// multipart/report, no status, or no original Message-ID to tell which notice it is about.
    public init(message data: Data) throws {
        guard data.count <= Self.maximumSize else { throw Unreadable("over \(Self.maximumSize) bytes: not a delivery report") }
        guard let message = MIMEPart(data) else { throw Unreadable("not an e-mail message (no header fields)") }
        reportMessageID = message.headers["message-id"].map(Self.bare)
        guard message.mediaType == "multipart/report", let reportType = message.parameter("report-type")?.lowercased() else {
            throw Unreadable("not a delivery report (a multipart/report message); it is \(message.mediaType)")
        }
        let parts = message.parts
        let original = parts.first { $0.mediaType == "message/rfc822" || $0.mediaType == "text/rfc822-headers" || $0.mediaType == "message/rfc822-headers" }
        guard let originalID = original.flatMap({ MIMEPart($0.body)?.headers["message-id"] }).map(Self.bare)
                ?? parts.compactMap({ $0.fieldGroups.first?["original-envelope-id"] }).first else {
            throw Unreadable("the report does not say which message it is about (no original Message-ID)")
        }
        originalMessageID = originalID
        switch reportType {
        case "delivery-status":
            guard let status = parts.first(where: { $0.mediaType == "message/delivery-status" }) else {
                throw Unreadable("a delivery-status report without its message/delivery-status part")
            }
            let groups = status.fieldGroups
            // The first group is about the message; each later one about a recipient.
            guard let recipientGroup = groups.dropFirst().first(where: { $0["action"] != nil }) ?? groups.first(where: { $0["action"] != nil }) else {
                throw Unreadable("the delivery status names no recipient action")
            }
            let action = recipientGroup["action"]?.lowercased() ?? ""
            let code = recipientGroup["status"] ?? ""
            kind = action == "failed" && code.hasPrefix("5") ? .hardBounce : .softBounce
            if action == "delivered" || action == "relayed" || action == "expanded" {
                throw Unreadable("a report of successful delivery (\(action)), not a bounce")
            }
            recipient = (recipientGroup["final-recipient"] ?? recipientGroup["original-recipient"]).map(Self.address)
            detail = ([code] + [recipientGroup["diagnostic-code"]].compactMap { $0 }).filter { !$0.isEmpty }.joined(separator: " ")
        case "feedback-report":
            let feedback = parts.first { $0.mediaType == "message/feedback-report" }?.fieldGroups.first ?? [:]
            kind = .complaint
            recipient = feedback["original-rcpt-to"].map(Self.address)
            detail = "complaint: " + (feedback["feedback-type"] ?? "abuse")
        default:
            throw Unreadable("a report of type \(reportType), neither delivery-status nor feedback-report")
        }
    }

    static func bare(_ id: String) -> String {
        id.trimmingCharacters(in: CharacterSet(charactersIn: " <>\t"))
    }

    /// `rfc822; ana@example.com` → `ana@example.com`.
    static func address(_ field: String) -> String {
        (field.split(separator: ";", maxSplits: 1).last.map(String.init) ?? field).trimmingCharacters(in: CharacterSet(charactersIn: " <>\t"))
    }
}
