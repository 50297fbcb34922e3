import Foundation

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

    public init(document: String, version: String, siteTitle: String, documentTitle: String, effective: String, summary: String,
                changesUrl: String, versionUrl: String) {
        self.document = document
        self.version = version
        self.siteTitle = siteTitle
        self.documentTitle = documentTitle
        self.effective = effective
        self.summary = summary
        self.changesUrl = changesUrl
        self.versionUrl = versionUrl
    }
}

/// A campaign and how far its delivery has got.
public struct CampaignStatus: Sendable, Equatable, Encodable {
    public let id: Int64
    public let document: String
    public let version: String
    /// `published` (the server saw the version appear) or `manual`.
    public let trigger: String
    public let createdAt: String
    public let recipients: Int
    public let queued: Int
    public let sending: Int
    public let sent: Int
    public let failed: Int
    public let cancelled: Int

    public var finished: Bool { queued == 0 && sending == 0 }
}

/// A version of a document as found in the manifest, with the campaign it calls for if any.
public struct VersionSighting: Sendable, Equatable {
    public let document: String
    public let version: String
    /// nil for versions that are never announced: a document's first, and editorial ones.
    public let campaign: CampaignDraft?

    public init(document: String, version: String, campaign: CampaignDraft?) {
        self.document = document
        self.version = version
        self.campaign = campaign
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
}

/// What happened to a claimed message.
public enum OutboxResult: Sendable, Equatable {
    case sent
    case retry(at: Date, reason: String)
    case failed(reason: String)
}

public enum NoticeStoreError: Error, Equatable, CustomStringConvertible {
    case keyNameTaken(String)

    public var description: String {
        switch self {
        case let .keyNameTaken(name): return "a key named '\(name)' exists already"
        }
    }
}
