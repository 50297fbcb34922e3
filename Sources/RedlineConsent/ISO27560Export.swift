import Foundation

/// The consent records of a period as ISO/IEC TS 27560 consent records and receipts in the W3C
/// Data Privacy Vocabulary (DPV 2), JSON-LD, following the DPVCG's guide
/// (https://w3id.org/dpv/guides/consent-27560): one `dpv:ConsentRecord` per person and
/// category, holding every state it went through in the period (given, refused, withdrawn,
/// renewed, expired) with the time, the method and the exact policy texts shown (their SHA-256 as
/// the notice's identifier); and one `dpv:ConsentReceipt` per decision, naming the records it
/// touched and the decision's `entryHash` in the log.
public enum ISO27560Export {
    /// What the export says about the site: its name, address, and which categories need no consent.
    public struct Site: Sendable {
        public var title: String
        public var baseURL: String
        /// Strictly necessary categories: processed without consent, so not consent records.
        public var requiredCategories: Set<String>
        /// Category labels by id.
        public var labels: [String: String]
        /// The URL of a policy version's page, by (id, version).
        public var policyURL: @Sendable (String, String) -> String?

        public init(title: String, baseURL: String, requiredCategories: Set<String>, labels: [String: String],
                    policyURL: @escaping @Sendable (String, String) -> String?) {
            self.title = title
            self.baseURL = baseURL
            self.requiredCategories = requiredCategories
            self.labels = labels
            self.policyURL = policyURL
        }
    }

    static let recordProfile = "https://w3id.org/dpv/schema/dpv-27560#record"
    static let receiptProfile = "https://w3id.org/dpv/schema/dpv-27560#receipt"

    /// The JSON-LD document (UTF-8, keys sorted) of the consent records made from day `from` to `to`.
    public static func document(rows: [EvidenceFile.Row], from: String, to: String, site: Site, generatedAt: String) throws -> Data {
        var records: [String: [String: Any]] = [:]
        var order: [String] = []
        var receipts: [[String: Any]] = []
        var previous: [String: Bool] = [:]
        for row in rows where ChainFields.of(row.evidenceJSON)?.isNotice != true {
            guard let evidence = try? JSONDecoder().decode(ConsentEvidence.self, from: Data(row.evidenceJSON.utf8)) else { continue }
            guard EvidenceBundle.inPeriod(evidence.occurredAt, from: from, to: to) else { continue }
            // An erased person's records stay, each on its own: nothing says whose they were.
            let subject = row.subject.map { "urn:redline:subject:" + iriSegment($0) } ?? "urn:redline:erased:\(evidence.recordId)"
            var touched: [[String: Any]] = []
            for (category, granted) in evidence.granted.map({ ($0, true) }) + evidence.denied.map({ ($0, false) })
            where !site.requiredCategories.contains(category) {
                let id = "urn:redline:consent-record:\(subject.dropFirst("urn:redline:".count)):\(iriSegment(category))"
                if records[id] == nil {
                    order.append(id)
                    records[id] = record(id: id, subject: subject, category: category, site: site, created: evidence.occurredAt)
                }
                let status = self.status(evidence, category: category, granted: granted, wasGranted: previous[id])
                previous[id] = granted
                records[id]!["dct:modified"] = dateTime(evidence.occurredAt)
                var states = records[id]!["dpv:hasConsentStatus"] as? [[String: Any]] ?? []
                states.append(state(evidence, status: status, category: category, site: site))
                records[id]!["dpv:hasConsentStatus"] = states
                touched.append(["@id": id])
            }
            receipts.append([
                "@id": "urn:redline:receipt:\(evidence.recordId)",
                "@type": "dpv:ConsentReceipt",
                "dct:identifier": evidence.recordId,
                "dct:conformsTo": ["@id": receiptProfile],
                "dct:created": dateTime(evidence.occurredAt),
                "dct:publisher": ["@id": site.baseURL],
                "dpv:hasIdentifier": "sha256:\(row.entryHash)",
                "dpv:hasRecordOfActivity": touched,
            ])
        }
        // Only @context and @graph at the top: anything beside them would make the graph a named one.
        let export: [String: Any] = [
            "@id": "urn:redline:export:\(from)/\(to)",
            "dct:created": dateTime(generatedAt),
            "dct:description": "Consent records from \(from) to \(to) (UTC) of \(site.title), as ISO/IEC TS 27560 records and receipts in DPV",
        ]
        let graph: [[String: Any]] = [export, controller(site)] + order.compactMap { records[$0] } + receipts
        let document: [String: Any] = ["@context": context, "@graph": graph]
        return try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    static var context: [String: Any] { [
        "dpv": "https://w3id.org/dpv#",
        "dct": "http://purl.org/dc/terms/",
        "xsd": "http://www.w3.org/2001/XMLSchema#",
    ] }

    static func controller(_ site: Site) -> [String: Any] {
        ["@id": site.baseURL, "@type": "dpv:DataController", "dct:title": site.title]
    }

    static func record(id: String, subject: String, category: String, site: Site, created: String) -> [String: Any] {
        [
            "@id": id,
            "@type": "dpv:ConsentRecord",
            "dct:identifier": String(id.dropFirst("urn:redline:consent-record:".count)),
            "dct:conformsTo": ["@id": recordProfile],
            "dct:created": dateTime(created),
            "dpv:hasDataSubject": ["@id": subject, "@type": "dpv:DataSubject"],
            "dpv:hasDataController": ["@id": site.baseURL],
            "dpv:hasProcess": [
                "@type": "dpv:Process",
                "dpv:hasPurpose": ["@type": "dpv:Purpose", "dct:identifier": category, "dct:title": site.labels[category] ?? category],
                "dpv:hasLegalBasis": ["@id": "dpv:ExpressedConsent"],
            ] as [String: Any],
        ]
    }

    /// One state of a record: what happened, when, how, by whom, and the texts shown.
    static func state(_ evidence: ConsentEvidence, status: String, category: String, site: Site) -> [String: Any] {
        var state: [String: Any] = [
            "@id": "urn:redline:record:\(evidence.recordId)#\(iriSegment(category))",
            "@type": [status],
            "dct:identifier": evidence.recordId,
            "dpv:isIndicatedAtTime": dateTime(evidence.occurredAt),
            "dpv:isIndicatedBy": ["@id": "dpv:DataSubject"],
            "dpv:hasIndicationMethod": method(evidence),
        ]
        state["dpv:hasNotice"] = evidence.policies.map { policy -> [String: Any] in
            var notice: [String: Any] = [
                "@id": site.policyURL(policy.id, policy.version) ?? "urn:redline:policy:\(iriSegment(policy.id)):\(policy.version)",
                "@type": "dpv:ConsentNotice",
                "dct:identifier": "\(policy.id)/\(policy.version)",
                "dct:date": policy.version,
                "dpv:hasIdentifier": "sha256:\(policy.sha256)",
            ]
            if let locale = policy.locale { notice["dct:language"] = locale }
            return notice
        }
        return state
    }

    /// The DPV consent status a decision gives a category, knowing whether it was granted before.
    static func status(_ evidence: ConsentEvidence, category: String, granted: Bool, wasGranted: Bool?) -> String {
        switch (evidence.event, granted) {
        case (.expired, _): return "dpv:ConsentExpired"
        case (.reconfirmed, true): return "dpv:RenewedConsentGiven"
        case (_, true): return "dpv:ConsentGiven"
        case (.withdrawn, false): return "dpv:ConsentWithdrawn"
        case (_, false): return wasGranted == true ? "dpv:ConsentWithdrawn" : "dpv:ConsentRefused"
        }
    }

    static func method(_ evidence: ConsentEvidence) -> String {
        switch evidence.method {
        case .acceptAll: return "the banner's Accept all button"
        case .rejectAll: return "the banner's Reject all button"
        case .custom: return "the banner's choices, category by category"
        case .gpc: return "the browser's Global Privacy Control signal (Sec-GPC: 1)"
        case .api: return "the operator's service, through the consent API"
        }
    }

    static func dateTime(_ timestamp: String) -> [String: Any] {
        ["@value": timestamp, "@type": "xsd:dateTime"]
    }

    /// Text safe inside an IRI: unreserved characters kept, the rest percent-encoded.
    static func iriSegment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? text
    }
}
