import Foundation
import RedlineConsent
import RedlineManifest

/// Whether the log proves a campaign complete: every addressee (the active users when it was
/// made) has a `sent` notice record at least the notice period before the version took effect,
/// and no bounce after it. A user deleted before their message went out is excused: there is
/// nobody left to tell.
public enum NoticeProof {
    public struct Report: Sendable {
        public let campaign: Int64
        public let recipients: Int
        /// Told in time and not bounced.
        public let told: Int
        /// With a `sent` record, in time or not, bounced or not.
        public let sent: Int
        /// Deleted before the message went out (or, for an optional notice, unsubscribed).
        public let excused: Int
        public let periodDays: Int
        /// The last moment a notice counts as in time: the effective day's start, less the period.
        public let deadline: Date
        /// Every user the log does not prove told, with why, in outbox order.
        public let untold: [(userId: String, reason: String)]
        public let firstSent: String?
        public let lastSent: String?

        public var isComplete: Bool { untold.isEmpty }
    }

    /// - Parameters:
    ///   - notices: every notice record of the log (of any campaign).
    ///   - secret: the server's secret, which keyed the recipient ids.
    public static func verify(campaign: Int64, effective: String, recipients: [CampaignRecipient], notices: [NoticeEvidence],
                              secret: Data, periodDays: Int) -> Report {
        let start = Day(effective).map(\.start) ?? .distantPast
        let deadline = start.addingTimeInterval(-Double(periodDays) * 86_400)
        var byRecipient: [String: [NoticeEvidence]] = [:]
        for notice in notices where notice.campaign == campaign { byRecipient[notice.recipient, default: []].append(notice) }
        var untold: [(userId: String, reason: String)] = []
        var told = 0, excused = 0, sentCount = 0
        var sentTimes: [String] = []
        for recipient in recipients {
            let records = (byRecipient[NoticeEvidence.recipient(userId: recipient.userId, secret: secret)] ?? []).sorted { $0.sequence < $1.sequence }
            let sent = records.filter { $0.outcome == .sent }
            guard let first = sent.first else {
                if recipient.status == "cancelled" { excused += 1; continue }
                let failure = records.last { $0.outcome == .failed }
                untold.append((recipient.userId, failure.map { "not sent: the mail server refused it (\($0.reply ?? "no reply"))" }
                    ?? (recipient.status == "sent" ? "the outbox says sent, but the log has no record of it"
                        : "not sent (the outbox says \(recipient.status))")))
                continue
            }
            sentTimes.append(first.occurredAt)
            sentCount += 1
            if let bounce = records.first(where: { ($0.outcome == .bounced || $0.outcome == .complained) && $0.sequence > first.sequence }),
               bounce.outcome == .bounced {
                untold.append((recipient.userId, "bounced: \(bounce.reply ?? "no status") (reported \(bounce.occurredAt))"))
                continue
            }
            guard let sentAt = UTCTime.date(first.occurredAt), sentAt <= deadline else {
                let days = UTCTime.date(first.occurredAt).map { Int((start.timeIntervalSince($0) / 86_400).rounded(.down)) }
                untold.append((recipient.userId, "sent late: \(first.occurredAt), \(days.map { "\($0) days" } ?? "less than the period") before \(effective); "
                               + "the notice period is \(periodDays) days"))
                continue
            }
            told += 1
        }
        sentTimes.sort()
        return Report(campaign: campaign, recipients: recipients.count, told: told, sent: sentCount, excused: excused, periodDays: periodDays, deadline: deadline,
                      untold: untold, firstSent: sentTimes.first, lastSent: sentTimes.last)
    }
}
