import Crypto
import Foundation
import RedlineManifest

/// A change notice sent, refused or bounced, as a record of the same chain (and so a leaf of the
/// same Merkle log) as the consents: which campaign announced which version to whom (a keyed
/// hash of the user id, never the address), the SHA-256 of the exact message and of the redline
/// it linked, what the mail server answered, and when. Proof that every user was told in time
/// is read from these (`redline notify verify`).
public struct NoticeEvidence: Codable, Sendable, Equatable {
    /// Tells a notice record from a consent record, which has no `kind`.
    public static let kindName = "notice"
    public static let currentSchema = 1

    public var kind: String
    public var schemaVersion: Int
    public var recordId: String
    public var sequence: Int64
    /// Server UTC time the outcome was recorded: for `sent`, right after the mail server accepted it.
    public var occurredAt: String
    public var previousHash: String
    public var campaign: Int64
    public var document: String
    public var version: String
    /// The day the announced version takes effect.
    public var effective: String
    /// HMAC-SHA256 (hex) of the user id under the server's secret: the same user always gives
    /// the same value, which says nothing about them without the secret.
    public var recipient: String
    public var outcome: NoticeOutcome
    public var locale: String?
    /// SHA-256 of the message exactly as handed to the mail server.
    public var messageSHA256: String?
    /// SHA-256 of the redline page the message links to, as served when it was sent.
    public var redlineSHA256: String?
    /// The mail server's reply, or the delivery status notification's status and diagnostic.
    public var reply: String?

    public init(kind: String = NoticeEvidence.kindName, schemaVersion: Int = NoticeEvidence.currentSchema, recordId: String, sequence: Int64,
                occurredAt: String, previousHash: String, campaign: Int64, document: String, version: String, effective: String,
                recipient: String, outcome: NoticeOutcome, locale: String? = nil, messageSHA256: String? = nil, redlineSHA256: String? = nil,
                reply: String? = nil) {
        self.kind = kind
        self.schemaVersion = schemaVersion
        self.recordId = recordId
        self.sequence = sequence
        self.occurredAt = occurredAt
        self.previousHash = previousHash
        self.campaign = campaign
        self.document = document
        self.version = version
        self.effective = effective
        self.recipient = recipient
        self.outcome = outcome
        self.locale = locale
        self.messageSHA256 = messageSHA256
        self.redlineSHA256 = redlineSHA256
        self.reply = reply
    }

    public var entryHash: String { Canonical.sha256Hex(Canonical.json(self)) }
}

public enum NoticeOutcome: String, Codable, Sendable, CaseIterable {
    /// The mail server accepted it.
    case sent
    /// The mail server refused it for good, or it could not be sent.
    case failed
    /// A delivery status notification (RFC 3464) says it could not be delivered.
    case bounced
    /// The recipient reported it as unwanted (an ARF report, RFC 5965).
    case complained
}

/// A notice outcome to append; the store stamps the time, the sequence and the hashes.
public struct NoticeLeaf: Sendable, Equatable {
    public var campaign: Int64
    public var document: String
    public var version: String
    public var effective: String
    public var recipient: String
    public var outcome: NoticeOutcome
    public var locale: String?
    public var messageSHA256: String?
    public var redlineSHA256: String?
    public var reply: String?
    /// The same key twice records once (a report read again, an outcome recorded again after a crash).
    public var idempotencyKey: String?
    public let recordId: String

    public init(campaign: Int64, document: String, version: String, effective: String, recipient: String, outcome: NoticeOutcome,
                locale: String? = nil, messageSHA256: String? = nil, redlineSHA256: String? = nil, reply: String? = nil,
                idempotencyKey: String? = nil) {
        self.campaign = campaign
        self.document = document
        self.version = version
        self.effective = effective
        self.recipient = recipient
        self.outcome = outcome
        self.locale = locale
        self.messageSHA256 = messageSHA256
        self.redlineSHA256 = redlineSHA256
        self.reply = reply.map { String(Self.withoutAddresses($0).prefix(500)) }
        self.idempotencyKey = idempotencyKey
        recordId = Canonical.uuidV7()
    }

    /// Mail servers quote the recipient's address in replies and bounces; a record of the log can
    /// never be erased, so every address in `text` is replaced before it is recorded.
    public static func withoutAddresses(_ text: String) -> String {
        text.replacing(/[^\s<>"'(),;:\[\]]+@[^\s<>"'(),;:\[\]]+/, with: "address")
    }

    /// Stored in the idempotency column, in a namespace of its own so it never meets a consent's.
    public var idempotencyKeyDigest: String? {
        idempotencyKey.map { Canonical.sha256Hex(Data("notice\n\($0)".utf8)) }
    }

    /// The record this leaf becomes as link `sequence` of the chain, with its canonical JSON.
    public func link(sequence: Int64, previousHash: String, occurredAt: String, signer: ReceiptSigner) throws
        -> (evidence: NoticeEvidence, evidenceJSON: String, entryHash: String, signature: String) {
        let evidence = NoticeEvidence(kind: NoticeEvidence.kindName, schemaVersion: NoticeEvidence.currentSchema, recordId: recordId,
                                      sequence: sequence, occurredAt: occurredAt, previousHash: previousHash, campaign: campaign,
                                      document: document, version: version, effective: effective, recipient: recipient, outcome: outcome,
                                      locale: locale, messageSHA256: messageSHA256, redlineSHA256: redlineSHA256, reply: reply)
        let json = Canonical.json(evidence)
        let hash = Canonical.sha256Hex(json)
        return (evidence, String(decoding: json, as: UTF8.self), hash, try signer.sign(entryHash: hash))
    }
}

/// What a stored notice record came to.
public struct NoticeAppendResult: Sendable, Equatable {
    public let sequence: Int64
    public let entryHash: String
    /// false: the idempotency key was recorded before, and this is that record.
    public let created: Bool

    public init(sequence: Int64, entryHash: String, created: Bool) {
        self.sequence = sequence
        self.entryHash = entryHash
        self.created = created
    }
}

/// The fields every record of the chain has, whatever it records: what linking, ordering and
/// signatures are checked on.
public struct ChainFields: Decodable, Sendable {
    public let kind: String?
    public let sequence: Int64
    public let recordId: String
    public let occurredAt: String
    public let previousHash: String

    public var isNotice: Bool { kind == NoticeEvidence.kindName }

    public static func of(_ json: String) -> ChainFields? {
        try? JSONDecoder().decode(ChainFields.self, from: Data(json.utf8))
    }
}

extension NoticeEvidence: CanonicalJSONRepresentable {
    /// Keys in byte order, absent fields left out, as every record's canonical JSON.
    public func write(to json: inout CanonicalJSONWriter) {
        json.object { object in
            object.field("campaign", campaign)
            object.field("document", document)
            object.field("effective", effective)
            object.field("kind", kind)
            object.field("locale", locale)
            object.field("messageSHA256", messageSHA256)
            object.field("occurredAt", occurredAt)
            object.field("outcome", outcome.rawValue)
            object.field("previousHash", previousHash)
            object.field("recipient", recipient)
            object.field("recordId", recordId)
            object.field("redlineSHA256", redlineSHA256)
            object.field("reply", reply)
            object.field("schemaVersion", schemaVersion)
            object.field("sequence", sequence)
            object.field("version", version)
        }
    }
}


extension NoticeEvidence {
    /// The pseudonymous recipient id of `userId`: HMAC-SHA256 under the server's secret, hex.
    /// Who holds the secret and the user list can find a user's records; nobody else learns anything.
    public static func recipient(userId: String, secret: Data) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data("notice-recipient\n\(userId)".utf8), using: SymmetricKey(data: secret))
        return Hex.encode(Array(code))
    }
}
