import Foundation
import RedlineManifest

/// An admin API key as stored: never the key itself, only its bcrypt hash, its public
/// prefix (to find the row) and its last four characters (to tell keys apart in a list).
public struct APIKeyInfo: Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let prefix: String
    public let hint: String
    public let createdAt: String
    public let lastUsedAt: String?
    public let revokedAt: String?

    package init(id: Int64, name: String, prefix: String, hint: String, createdAt: String, lastUsedAt: String?, revokedAt: String?) {
        self.id = id
        self.name = name
        self.prefix = prefix
        self.hint = hint
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }
}

/// A user as the operator's service registers them.
public struct UserInput: Sendable, Equatable {
    public var userId: String
    public var email: String
    public var locale: String
    /// Links the user to their consent records.
    public var subject: String?

    public init(userId: String, email: String, locale: String, subject: String? = nil) {
        self.userId = userId
        self.email = email
        self.locale = locale
        self.subject = subject
    }
}

public struct UserRecord: Sendable, Equatable, Encodable {
    public let userId: String
    public let email: String
    public let locale: String
    public let subject: String?
    public let createdAt: String
    public let updatedAt: String
    /// When the user stopped optional notices (one click in one of them); nil: they get them.
    /// Required notices reach them either way.
    public let unsubscribedAt: String?

    package init(userId: String, email: String, locale: String, subject: String?, createdAt: String, updatedAt: String, unsubscribedAt: String? = nil) {
        self.unsubscribedAt = unsubscribedAt
        self.userId = userId
        self.email = email
        self.locale = locale
        self.subject = subject
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// What a campaign announces, copied from the manifest when it is created so that every
/// message of the campaign, resent or not, says the same thing.
public struct CampaignDraft: Sendable, Equatable {
    public var document: String
    public var version: String
    public var siteTitle: String
    public var documentTitle: String
    public var effective: String
    public var summary: String
    public var changesUrl: String
    public var versionUrl: String
    /// The version's translations by locale, copied with the rest, so that a message re-sent after
    /// a rebuild says what the first one said. nil for campaigns made before campaigns kept them.
    public var translations: [String: Translation]?
    /// An optional notice (of an editorial version): it offers a one-click unsubscribe, and is not
    /// sent to users who took it. A required notice never offers one.
    public var optional: Bool

    /// Exactly what the manifest says of a translation, SHA-256 of its text included.
    public typealias Translation = Manifest.Version.Translation

    public init(document: String, version: String, siteTitle: String, documentTitle: String, effective: String, summary: String,
                changesUrl: String, versionUrl: String, translations: [String: Translation]? = nil, optional: Bool = false) {
        self.optional = optional
        self.document = document
        self.version = version
        self.siteTitle = siteTitle
        self.documentTitle = documentTitle
        self.effective = effective
        self.summary = summary
        self.changesUrl = changesUrl
        self.versionUrl = versionUrl
        self.translations = translations
    }

    /// The translation for a reader of `locale`, as the campaign copied it.
    public func translation(for locale: String) -> Translation? {
        guard let translations else { return nil }
        return LanguageTag.bestMatch(for: locale, among: translations.keys).flatMap { translations[$0] }
    }

    /// `translations` as stored in a campaign's row: JSON with sorted keys, or NULL.
    public var translationsJSON: String? {
        guard let translations else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(translations)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Reads `translations` back from a row.
    /// - Throws: when the column holds something that is not what ``translationsJSON`` writes.
    public static func translations(fromJSON text: String?) throws -> [String: Translation]? {
        guard let text else { return nil }
        return try JSONDecoder().decode([String: Translation].self, from: Data(text.utf8))
    }
}

/// Why a campaign exists.
public enum CampaignTrigger: String, Sendable, Codable {
    /// The server saw the version appear in the manifest.
    case published
    /// Someone asked for it (`redline notify DOC VERSION`, `POST /api/v1/admin/campaigns`).
    case manual
    /// The server's first start found it upcoming and material.
    case upcomingAtFirstStart = "upcoming-at-first-start"
}

/// Whether a campaign may send.
public enum CampaignState: String, Sendable, Codable {
    /// Waiting for someone with an admin key to approve it; nothing is sent.
    case pending
    /// Sending, from `sendAfter` on.
    case approved
    /// Stopped: nothing more is sent; what was sent stays recorded.
    case cancelled
}

/// Where one message of the outbox stands.
public enum OutboxState: String, Sendable, Codable {
    case queued, sending, sent, failed, cancelled
}

/// A campaign and how far its delivery has got.
public struct CampaignStatus: Sendable, Equatable, Encodable {
    public let id: Int64
    public let document: String
    public let version: String
    public let trigger: CampaignTrigger
    public let state: CampaignState
    /// An optional notice, which users may unsubscribe from; false: a required one.
    public let optional: Bool
    public let createdAt: String
    /// When it was approved and by which key; nil while pending.
    public let approvedAt: String?
    public let approvedBy: String?
    /// Nothing is sent before this time (UTC), once approved.
    public let sendAfter: String?
    public let cancelledAt: String?
    public let recipients: Int
    public let queued: Int
    public let sending: Int
    public let sent: Int
    public let failed: Int
    public let cancelled: Int

    /// Nothing more will be sent: every message is done, or the campaign was cancelled.
    public var finished: Bool { state == .cancelled ? sending == 0 : (state == .approved && queued == 0 && sending == 0) }

    package init(id: Int64, document: String, version: String, trigger: CampaignTrigger, state: CampaignState, optional: Bool, createdAt: String, approvedAt: String?, approvedBy: String?, sendAfter: String?, cancelledAt: String?, recipients: Int, queued: Int, sending: Int, sent: Int, failed: Int, cancelled: Int) {
        self.id = id
        self.document = document
        self.version = version
        self.trigger = trigger
        self.state = state
        self.optional = optional
        self.createdAt = createdAt
        self.approvedAt = approvedAt
        self.approvedBy = approvedBy
        self.sendAfter = sendAfter
        self.cancelledAt = cancelledAt
        self.recipients = recipients
        self.queued = queued
        self.sending = sending
        self.sent = sent
        self.failed = failed
        self.cancelled = cancelled
    }
}

/// A version of a document as found in the manifest, with the campaign it calls for if any.
public struct VersionSighting: Sendable, Equatable {
    public let document: String
    public let version: String
    /// nil for versions that are never announced: a document's first, and editorial ones.
    public let campaign: CampaignDraft?
    /// Whether the version is history, never announced, when the store sees a site for the first
    /// time (it took effect before anybody could be told). Decided by the policy timeline, not the store.
    public let historyAtFirstStart: Bool

    public init(document: String, version: String, campaign: CampaignDraft?, historyAtFirstStart: Bool) {
        self.document = document
        self.version = version
        self.campaign = campaign
        self.historyAtFirstStart = historyAtFirstStart
    }
}

/// One message to send, claimed from the outbox.
public struct OutboxItem: Sendable, Equatable {
    public let id: Int64
    public let campaignId: Int64
    public let attempts: Int
    public let userId: String
    public let email: String
    public let locale: String
    public let content: CampaignDraft

    package init(id: Int64, campaignId: Int64, attempts: Int, userId: String, email: String, locale: String, content: CampaignDraft) {
        self.id = id
        self.campaignId = campaignId
        self.attempts = attempts
        self.userId = userId
        self.email = email
        self.locale = locale
        self.content = content
    }
}

extension OutboxItem {
    /// What a due message's row becomes instead of being sent, and the `last_error` that says why.
    package struct Skip: Sendable {
        package let state: OutboxState
        package let reason: String?
    }

    /// Why a due message is not sent, the same in every store; nil: send it.
    package static func skip(email: String?, undeliverableSince: String?, undeliverableReason: String?, optional: Bool,
                             unsubscribedAt: String?) -> Skip? {
        // Deleted since the campaign began: nobody is left to tell.
        guard email != nil else { return Skip(state: .cancelled, reason: nil) }
        // A hard bounce said the address takes no mail: not sent, and listed for follow-up.
        if let undeliverableSince {
            return Skip(state: .failed, reason: "undeliverable address (bounced \(undeliverableSince): \(undeliverableReason ?? ""))")
        }
        // One click in an earlier optional notice stops the optional ones, never a required one.
        if optional, let unsubscribedAt { return Skip(state: .cancelled, reason: "unsubscribed from optional notices \(unsubscribedAt)") }
        return nil
    }
}

/// What a one-click unsubscribe did.
public enum UnsubscribeOutcome: Sendable, Equatable {
    /// The user gets no more optional notices; `campaign` is the one whose link they used.
    case unsubscribed(campaign: Int64)
    /// They had unsubscribed before: nothing changed.
    case already(campaign: Int64)
    /// No message has this id, or its user was deleted.
    case unknown
    /// The message was a required notice: nobody unsubscribes from those.
    case required
}

/// A user whose address a hard bounce marked as not taking mail.
public struct UndeliverableUser: Sendable, Equatable, Encodable {
    public let userId: String
    public let since: String
    public let reason: String

    public init(userId: String, since: String, reason: String) {
        self.userId = userId
        self.since = since
        self.reason = reason
    }
}

/// One addressee of a campaign and the state of their message in the outbox.
public struct CampaignRecipient: Sendable, Equatable {
    public let userId: String
    /// queued, sending, sent, failed, or cancelled (the user was deleted before it was sent).
    public let status: String
    public let lastError: String?

    public init(userId: String, status: String, lastError: String?) {
        self.userId = userId
        self.status = status
        self.lastError = lastError
    }
}

/// What happened to a claimed message.
public enum OutboxResult: Sendable, Equatable {
    case sent
    case retry(at: Date, reason: String)
    case failed(reason: String)
}

public enum NoticeStoreError: Error, Equatable, CustomStringConvertible {
    case keyNameTaken(String)
    case noSuchCampaign(Int64)
    case campaignCancelled(Int64)
    /// A column holds a value no version of Redline writes: the row was changed by hand or damaged.
    case unknownValue(column: String, value: String)

    /// `Value(rawValue: text)`, or ``unknownValue(column:value:)`` instead of a guess.
    public static func decode<Value: RawRepresentable>(_ text: String, column: String) throws -> Value where Value.RawValue == String {
        guard let value = Value(rawValue: text) else { throw NoticeStoreError.unknownValue(column: column, value: text) }
        return value
    }

    public var description: String {
        switch self {
        case let .unknownValue(column, value): return "\(column) holds '\(value)', which Redline never writes"
        case let .keyNameTaken(name): return "a key named '\(name)' exists already"
        case let .noSuchCampaign(id): return "there is no campaign \(id)"
        case let .campaignCancelled(id): return "campaign \(id) was cancelled; it cannot be approved again"
        }
    }
}
