import Foundation
import ZIPFoundation

/// The consent log of a period, for a regulator: one ZIP file that can be checked offline,
/// without the database. It holds
/// - `records.jsonl`: every record made in the period, every field (erased ones as erased);
/// - `notices.jsonl`: every change notice sent, refused or bounced in the period, as its record;
/// - `chain.jsonl`: every link of the chain from the period's first record to its last
///   (evidence, hash, signature), so the records' places in the chain can be verified;
/// - `policies/<id>/<version>.html`: the exact text of each policy version the records name,
///   whose SHA-256 is the one in the records;
/// - `receipt-keys.json`: the public receipt keys with their validity;
/// - `bundle.json`: the period, the counts, the chain's first and last link and the SHA-256
///   of every other file; `bundle.sig`: the receipt key's signature over `bundle.json`.
public enum EvidenceBundle {
    public static let format = "redline-consent-bundle/1"

    public struct Description: Codable, Sendable, Equatable {
        public var format: String
        /// The period, inclusive: YYYY-MM-DD (UTC).
        public var from: String
        public var to: String
        public var createdAt: String
        public var records: Int
        public var firstSequence: Int64?
        public var lastSequence: Int64?
        public var lastEntryHash: String?
        /// File name to lower-case hex SHA-256.
        public var files: [String: String]
    }

    public struct Seal: Codable, Sendable, Equatable {
        public var keyId: String
        /// Ed25519 over the SHA-256 of bundle.json's bytes, base64.
        public var signature: String
    }

    /// A line of records.jsonl: the row as stored, with its evidence and personal fields spelled out for reading.
    public struct RecordLine: Codable, Sendable {
        public var sequence: Int64
        public var recordId: String
        public var subject: String?
        public var personalJSON: String?
        public var personal: PersonalFields?
        public var evidenceJSON: String
        public var evidence: ConsentEvidence
        public var entryHash: String
        public var signature: String
        public var keyId: String?
        public var idempotencyKeyDigest: String?
        public var erasedAt: String?

        enum CodingKeys: String, CodingKey {
            case sequence, recordId, subject, personalJSON, personal, evidenceJSON, evidence, entryHash, signature, keyId, idempotencyKeyDigest, erasedAt
        }

        /// Every field, absent ones as null: an erased record says so, it does not just lack keys.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(sequence, forKey: .sequence)
            try container.encode(recordId, forKey: .recordId)
            try container.encode(subject, forKey: .subject)
            try container.encode(personalJSON, forKey: .personalJSON)
            try container.encode(personal, forKey: .personal)
            try container.encode(evidenceJSON, forKey: .evidenceJSON)
            try container.encode(evidence, forKey: .evidence)
            try container.encode(entryHash, forKey: .entryHash)
            try container.encode(signature, forKey: .signature)
            try container.encode(keyId, forKey: .keyId)
            try container.encode(idempotencyKeyDigest, forKey: .idempotencyKeyDigest)
            try container.encode(erasedAt, forKey: .erasedAt)
        }
    }

    /// A line of chain.jsonl: what verifies a link, and nothing personal.
    public struct ChainLine: Codable, Sendable {
        public var sequence: Int64
        public var evidenceJSON: String
        public var entryHash: String
        public var signature: String
        public var keyId: String?
    }

    public struct ExportError: Error, CustomStringConvertible {
        public let description: String

        public init(description: String) {
            self.description = description
        }
    }

    /// Whether an evidence time (`2026-11-22T08:00:00.000Z`) falls in the period of days `from`…`to`.
    static func inPeriod(_ occurredAt: String, from: String, to: String) -> Bool {
        let day = String(occurredAt.prefix(10))
        return day >= from && day <= to
    }

    /// The period's consent records and notice records, and the chain from its first record to its last.
    static func period(_ rows: [EvidenceFile.Row], from: String, to: String) throws -> ([RecordLine], [NoticeEvidence], [ChainLine]) {
        var records: [RecordLine] = []
        var firstIndex: Int?, lastIndex: Int?
        var notices: [NoticeEvidence] = []
        for (index, row) in rows.enumerated() {
            // Change notices of the period go to notices.jsonl; their links are in the chain like any record's.
            if ChainFields.of(row.evidenceJSON)?.isNotice == true {
                guard let notice = try? JSONDecoder().decode(NoticeEvidence.self, from: Data(row.evidenceJSON.utf8)) else {
                    throw ExportError(description: "record \(row.sequence): its evidence is not a notice record; run redline consent verify")
                }
                guard inPeriod(notice.occurredAt, from: from, to: to) else { continue }
                firstIndex = firstIndex ?? index
                lastIndex = index
                notices.append(notice)
                continue
            }
            guard let evidence = try? JSONDecoder().decode(ConsentEvidence.self, from: Data(row.evidenceJSON.utf8)) else {
                throw ExportError(description: "record \(row.sequence): its evidence is not a consent record; run redline consent verify")
            }
            guard inPeriod(evidence.occurredAt, from: from, to: to) else { continue }
            firstIndex = firstIndex ?? index
            lastIndex = index
            let personal = try row.personalJSON.map { try JSONDecoder().decode(PersonalFields.self, from: Data($0.utf8)) }
            records.append(RecordLine(sequence: row.sequence, recordId: row.recordId, subject: row.subject, personalJSON: row.personalJSON,
                                      personal: personal, evidenceJSON: row.evidenceJSON, evidence: evidence, entryHash: row.entryHash,
                                      signature: row.signature, keyId: row.keyId, idempotencyKeyDigest: row.idempotencyKeyDigest,
                                      erasedAt: row.erasedAt))
        }
        let chain: [ChainLine] = firstIndex.map { first in
            rows[first...lastIndex!].map { ChainLine(sequence: $0.sequence, evidenceJSON: $0.evidenceJSON, entryHash: $0.entryHash,
                                                     signature: $0.signature, keyId: $0.keyId) }
        } ?? []

        return (records, notices, chain)
    }

    /// Writes the bundle of records made from day `from` to day `to` (inclusive, UTC) to `output`.
    /// - Parameters:
    ///   - rows: every stored row in chain order.
    ///   - policyText: the exact text of a policy version (id, version), or nil when the site lacks it.
    public static func write(rows: [EvidenceFile.Row], from: String, to: String, keyring: ReceiptKeyring, signer: ReceiptSigner,
                             policyText: (String, String) -> Data?, output: String, now: Date = Date()) throws -> Description {
        let (records, notices, chain) = try period(rows, from: from, to: to)
        var files: [String: Data] = [:]
        files["records.jsonl"] = try jsonLines(records)
        files["notices.jsonl"] = try jsonLines(notices)
        files["chain.jsonl"] = try jsonLines(chain)
        files["receipt-keys.json"] = try encoder.encode(keyring)
        var named = Set<[String]>()
        for record in records { for policy in record.evidence.policies { named.insert([policy.id, policy.version, policy.sha256]) } }
        for policy in named.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            let (id, version, sha256) = (policy[0], policy[1], policy[2])
            guard let text = policyText(id, version) else {
                throw ExportError(description: "the site has no text of \(id) \(version), which records of the period name; pass the site the server served (--site)")
            }
            guard Canonical.sha256Hex(text) == sha256 else {
                throw ExportError(description: "the site's text of \(id) \(version) does not hash to \(sha256), the SHA-256 the records name; "
                                  + "export with the site build that was served then")
            }
            files["policies/\(id)/\(version).html"] = text
        }
        let description = Description(format: format, from: from, to: to, createdAt: UTCTime.timestamp(now), records: records.count,
                                      firstSequence: chain.first?.sequence, lastSequence: chain.last?.sequence,
                                      lastEntryHash: chain.last?.entryHash, files: files.mapValues { Canonical.sha256Hex($0) })
        let descriptionData = try encoder.encode(description)
        let seal = Seal(keyId: signer.keyId, signature: try signer.sign(entryHash: Canonical.sha256Hex(descriptionData)))
        files["bundle.json"] = descriptionData
        files["bundle.sig"] = try encoder.encode(seal)

        let temporary = output + ".partial-\(getpid())"
        try? FileManager.default.removeItem(atPath: temporary)
        let archive = try Archive(url: URL(fileURLWithPath: temporary), accessMode: .create)
        for name in ["bundle.json", "bundle.sig", "records.jsonl", "notices.jsonl", "chain.jsonl", "receipt-keys.json"] + files.keys.filter({ $0.hasPrefix("policies/") }).sorted() {
            let data = files[name]!
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        try FileManager.default.moveItemReplacing(at: temporary, to: output)
        return description
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func jsonLines(_ values: [some Encodable]) throws -> Data {
        var data = Data()
        for value in values {
            data.append(try encoder.encode(value))
            data.append(0x0A)
        }
        return data
    }
}

extension FileManager {
    /// Moves `source` over `destination`, replacing what was there in one rename.
    func moveItemReplacing(at source: String, to destination: String) throws {
        guard rename(source, destination) == 0 else {
            throw EvidenceBundle.ExportError(description: "cannot write \(destination): \(String(cString: strerror(errno)))")
        }
    }
}
