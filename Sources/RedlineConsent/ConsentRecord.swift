import RedlineManifest
import Crypto
import Foundation

/// The part of a consent record that the hash chain covers: everything a regulator asks
/// for, with the personal fields represented only by a salted digest, so that erasing a
/// person removes their data without breaking the chain (GDPR Art. 7(1) and Art. 17 at once).
public struct ConsentEvidence: Codable, Sendable, Equatable {
    public static let currentSchema = 1

    public var schemaVersion: Int
    /// UUIDv7: unique, and sortable by time.
    public var recordId: String
    /// Position in the chain, from 1.
    public var sequence: Int64
    public var event: ConsentEvent
    public var method: ConsentMethod
    /// Server UTC time, never the browser's clock.
    public var occurredAt: String
    public var validUntil: String?
    public var granted: [String]
    public var denied: [String]
    /// The policies in force when the person decided, with the hash of the exact text.
    public var policies: [PolicyReference]
    /// The banner text shown: its version and locale.
    public var notice: NoticeReference?
    public var gpc: GPCSignal
    /// SHA-256 of the client's idempotency key, if it sent one.
    public var idempotencyKeyDigest: String?
    /// SHA-256 over a random salt and the personal fields; the salt is erased with them.
    public var personalDigest: String
    /// `entryHash` of the previous record; 64 zeros for the first.
    public var previousHash: String
    /// Where the law that applied comes from: the visitor's region (never their address) and
    /// the mode of consent it asks for. Absent in records made before regions existed, which
    /// keep their exact form and hashes.
    public var jurisdiction: Jurisdiction?
    /// The IAB Global Privacy Platform string the page signalled to vendors after the decision.
    public var gpp: String?

    public init(schemaVersion: Int = ConsentEvidence.currentSchema, recordId: String, sequence: Int64, event: ConsentEvent, method: ConsentMethod,
                occurredAt: String, validUntil: String?, granted: [String], denied: [String], policies: [PolicyReference],
                notice: NoticeReference?, gpc: GPCSignal, idempotencyKeyDigest: String?, personalDigest: String, previousHash: String,
                jurisdiction: Jurisdiction? = nil, gpp: String? = nil) {
        self.jurisdiction = jurisdiction
        self.gpp = gpp
        self.schemaVersion = schemaVersion
        self.recordId = recordId
        self.sequence = sequence
        self.event = event
        self.method = method
        self.occurredAt = occurredAt
        self.validUntil = validUntil
        self.granted = granted
        self.denied = denied
        self.policies = policies
        self.notice = notice
        self.gpc = gpc
        self.idempotencyKeyDigest = idempotencyKeyDigest
        self.personalDigest = personalDigest
        self.previousHash = previousHash
    }

    /// SHA-256 (hex) of the canonical JSON: the record's `entryHash`.
    public var entryHash: String { Canonical.sha256Hex(Canonical.json(self)) }

    public static let genesisHash = String(repeating: "0", count: 64)
}

/// What happened: the person decided for the first time, refused, changed their mind, and so on.
public enum ConsentEvent: String, Codable, Sendable, CaseIterable {
    case given, refused, updated, withdrawn, expired, reconfirmed

    /// The events a client may name; `expired` is the server's own.
    public static let fromClients: [ConsentEvent] = [.given, .refused, .updated, .withdrawn, .reconfirmed]
}

/// How the decision was made.
public enum ConsentMethod: String, Codable, Sendable, CaseIterable {
    case acceptAll = "accept-all"
    case rejectAll = "reject-all"
    case custom, gpc, api
}

public struct PolicyReference: Codable, Sendable, Equatable, Hashable {
    public var id: String
    public var version: String
    /// SHA-256 of the exact text shown: the version's own, or its translation's when `locale` is set.
    public var sha256: String
    /// The language of the text shown when it was a translation; absent for the version's own
    /// text, so records made before translations existed keep their exact form (and hashes).
    public var locale: String?

    public init(id: String, version: String, sha256: String, locale: String? = nil) {
        self.id = id
        self.version = version
        self.sha256 = sha256
        self.locale = locale
    }
}

public struct NoticeReference: Codable, Sendable, Equatable {
    public var version: String
    public var locale: String

    public init(version: String, locale: String) {
        self.version = version
        self.locale = locale
    }
}

/// The region a trusted proxy said the visitor was in (ISO 3166, `DE` or `US-CA`; absent when
/// none did) and the mode of consent that applied there.
public struct Jurisdiction: Codable, Sendable, Equatable {
    public var region: String?
    public var mode: ConsentMode

    public init(region: String?, mode: ConsentMode) {
        self.region = region
        self.mode = mode
    }
}

/// Global Privacy Control: whether the browser sent `Sec-GPC: 1`, and whether it was honoured.
public struct GPCSignal: Codable, Sendable, Equatable {
    public var sent: Bool
    public var honoured: Bool

    public init(sent: Bool, honoured: Bool) {
        self.sent = sent
        self.honoured = honoured
    }
}

/// What identifies or describes the person: kept beside the evidence, erased on request.
public struct PersonalFields: Codable, Sendable, Equatable {
    /// The random id from the first-party cookie.
    public var subject: String
    /// Keyed hash of an account id, when the operator links one.
    public var accountHash: String?
    /// Page path without query string.
    public var pagePath: String?
    /// Browser family, e.g. "Chrome"; never the full user agent.
    public var browser: String?
    /// Truncated or keyed-hash IP, only when the operator turns it on; never the raw address.
    public var ipToken: String?
    /// Random; makes the digest useless for guessing subjects.
    public var salt: String

    public init(subject: String, accountHash: String? = nil, pagePath: String? = nil, browser: String? = nil,
                ipToken: String? = nil, salt: String = Canonical.randomHex(bytes: 16)) {
        self.subject = subject
        self.accountHash = accountHash
        self.pagePath = pagePath
        self.browser = browser
        self.ipToken = ipToken
        self.salt = salt
    }

    public var digest: String { Canonical.sha256Hex(Canonical.json(self)) }
}

/// A stored record: the evidence, its hash and signature, and the personal fields unless erased.
public struct ConsentRecord: Sendable, Equatable {
    public var evidence: ConsentEvidence
    public var entryHash: String
    /// Ed25519 signature over the 32 bytes of `entryHash`, base64.
    public var signature: String
    /// nil once the subject has been erased.
    public var personal: PersonalFields?

    public var receipt: Receipt {
        Receipt(receiptId: evidence.recordId, recordedAt: evidence.occurredAt, entryHash: entryHash, signature: signature,
                sequence: evidence.sequence, keyId: keyId)
    }

    /// The receipt key that signed the record: not part of the evidence, so a key is
    /// identified by the keyring's validity for `occurredAt` when verifying, and this only says which one signed.
    public var keyId: String?
}

/// What the person (or the operator's service) gets back: enough to prove the record exists,
/// where it stands in the chain, and which key signed it (`redline consent verify --receipt`).
public struct Receipt: Codable, Sendable, Equatable {
    public var receiptId: String
    public var recordedAt: String
    public var entryHash: String
    public var signature: String
    /// Position of the record in the chain.
    public var sequence: Int64?
    public var keyId: String?

    public init(receiptId: String, recordedAt: String, entryHash: String, signature: String, sequence: Int64?, keyId: String?) {
        self.receiptId = receiptId
        self.recordedAt = recordedAt
        self.entryHash = entryHash
        self.signature = signature
        self.sequence = sequence
        self.keyId = keyId
    }
}

/// Deterministic JSON (sorted keys, no spaces; see CanonicalJSON.swift) and hashing, so a hash can be recomputed later.
public enum Canonical {
    public static func sha256Hex(_ data: Data) -> String {
        Hex.encode(SHA256.hash(data: data))
    }

    /// Random bytes from BoringSSL's generator (through swift-crypto): seeded by the kernel,
    /// then served in user space, where the standard library's makes a `getrandom` system
    /// call for every eight bytes.
    public static func randomBytes(_ count: Int) -> [UInt8] {
        SymmetricKey(size: SymmetricKeySize(bitCount: count * 8)).withUnsafeBytes { Array($0) }
    }

    public static func randomHex(bytes: Int) -> String {
        Hex.encode(randomBytes(bytes))
    }

    /// A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits.
    public static func uuidV7(milliseconds: UInt64 = UInt64(Date().timeIntervalSince1970 * 1000)) -> String {
        var bytes = randomBytes(16)
        for index in 0..<6 { bytes[index] = UInt8((milliseconds >> (8 * (5 - UInt64(index)))) & 0xFF) }
        bytes[6] = (bytes[6] & 0x0F) | 0x70
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = Hex.encode(bytes)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(hex[hex.index(hex.startIndex, offsetBy: range.lowerBound)..<hex.index(hex.startIndex, offsetBy: range.upperBound)])
        }.joined(separator: "-")
    }
}
