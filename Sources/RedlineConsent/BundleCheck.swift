import Foundation

/// One bundle as ``BundleVerifier`` checks it, part by part; the first problem stops it.
struct BundleCheck {
    /// "file:line: reason": where the bundle stops verifying.
    struct Problem: Error {
        let text: String
        init(_ text: String) { self.text = text }
    }

    let files: [String: Data]
    private var records = 0, links = 0, policies = 0, notices = 0
    private var description: EvidenceBundle.Description?
    private var descriptionData = Data()
    private var chain: [Int64: EvidenceBundle.ChainLine] = [:]
    private var evidenceBySequence: [Int64: ConsentEvidence] = [:]
    private var noticesBySequence: [Int64: NoticeEvidence] = [:]
    /// "id/version" to SHA-256: the policy texts the records name.
    private var named: [String: String] = [:]

    init(files: [String: Data]) {
        self.files = files
    }

    func report(problem: String?) -> BundleVerifier.Report {
        BundleVerifier.Report(records: records, notices: notices, links: links, policies: policies, description: description, problem: problem)
    }

    /// `bundle.json`, and the keys to check signatures with: `trusted`, or the bundle's own.
    mutating func readDescription(trusting trusted: ReceiptKeyring?) throws(Problem) -> ReceiptKeyring {
        guard let data = files["bundle.json"], let decoded = try? JSONDecoder().decode(EvidenceBundle.Description.self, from: data) else {
            throw Problem("bundle.json: missing or not a bundle description")
        }
        description = decoded
        descriptionData = data
        guard decoded.format == EvidenceBundle.format else { throw Problem("bundle.json: format \(decoded.format) is not \(EvidenceBundle.format)") }
        if let trusted { return trusted }
        guard let keys = files["receipt-keys.json"], let bundled = try? JSONDecoder().decode(ReceiptKeyring.self, from: keys) else {
            throw Problem("receipt-keys.json: missing or not a list of receipt keys")
        }
        return bundled
    }

    /// The chain segment: consecutive, linked, each hash its evidence's, each signature valid.
    mutating func checkChain(keyring: ReceiptKeyring) throws(Problem) {
        guard let decoded = description else { return }
        var previous: (sequence: Int64, hash: String)?
        for (number, line) in BundleVerifier.lines(files["chain.jsonl"]).enumerated() {
            let place = "chain.jsonl:\(number + 1)"
            guard let link = try? JSONDecoder().decode(EvidenceBundle.ChainLine.self, from: line) else { throw Problem("\(place): not a chain link") }
            let where_ = "\(place) (record \(link.sequence))"
            guard let evidence = ChainFields.of(link.evidenceJSON) else {
                throw Problem("\(where_): the evidence is not a record of the chain")
            }
            if evidence.isNotice {
                guard let notice = try? JSONDecoder().decode(NoticeEvidence.self, from: Data(link.evidenceJSON.utf8)) else {
                    throw Problem("\(where_): the evidence is not a notice record")
                }
                noticesBySequence[link.sequence] = notice
            } else {
                guard let consent = try? JSONDecoder().decode(ConsentEvidence.self, from: Data(link.evidenceJSON.utf8)) else {
                    throw Problem("\(where_): the evidence is not a consent record")
                }
                evidenceBySequence[link.sequence] = consent
            }
            if evidence.sequence != link.sequence { throw Problem("\(where_): the evidence says record \(evidence.sequence)") }
            if Canonical.sha256Hex(Data(link.evidenceJSON.utf8)) != link.entryHash {
                throw Problem("\(where_): the evidence no longer hashes to its entryHash: it was changed")
            }
            if let previous {
                if link.sequence != previous.sequence + 1 {
                    throw Problem("\(where_): follows record \(previous.sequence): \(link.sequence - previous.sequence - 1) record(s) missing from the chain")
                }
                if evidence.previousHash != previous.hash { throw Problem("\(where_): previousHash is not the entryHash of record \(previous.sequence)") }
            } else if link.sequence != decoded.firstSequence {
                throw Problem("\(where_): the chain should start at record \(decoded.firstSequence.map(String.init) ?? "none"): records were cut from the start")
            }
            if let reason = BundleVerifier.signatureProblem(link.signature, hash: link.entryHash, keyId: link.keyId, at: evidence.occurredAt, keyring: keyring) {
                throw Problem("\(where_): \(reason)")
            }
            chain[link.sequence] = link
            previous = (link.sequence, link.entryHash)
            links += 1
        }
        if previous?.sequence != decoded.lastSequence || previous?.hash != decoded.lastEntryHash {
            let end = previous.map { "record \($0.sequence)" } ?? "no record"
            throw Problem("chain.jsonl: ends at \(end), but the bundle was made up to record \(decoded.lastSequence.map(String.init) ?? "none"): records were cut from the end")
        }
    }

    /// The records: each one a link of the chain, unchanged, its personal fields those it was made with;
    /// every link of the period has its record.
    mutating func checkRecords() throws(Problem) {
        guard let decoded = description else { return }
        var recorded = Set<Int64>()
        for (number, line) in BundleVerifier.lines(files["records.jsonl"]).enumerated() {
            let place = "records.jsonl:\(number + 1)"
            guard let record = try? JSONDecoder().decode(EvidenceBundle.RecordLine.self, from: line) else { throw Problem("\(place): not a record") }
            let where_ = "\(place) (record \(record.sequence))"
            guard let link = chain[record.sequence], let evidence = evidenceBySequence[record.sequence] else {
                throw Problem("\(where_): not in the chain of the bundle")
            }
            if record.evidenceJSON != link.evidenceJSON || record.entryHash != link.entryHash || record.signature != link.signature {
                throw Problem("\(where_): differs from its chain link: it was changed")
            }
            if record.evidence != evidence || record.recordId != evidence.recordId || record.idempotencyKeyDigest != evidence.idempotencyKeyDigest {
                throw Problem("\(where_): its fields do not match its hashed evidence: it was changed")
            }
            if !EvidenceBundle.inPeriod(evidence.occurredAt, from: decoded.from, to: decoded.to) {
                throw Problem("\(where_): made at \(evidence.occurredAt), outside the period \(decoded.from) to \(decoded.to)")
            }
            try Self.checkPersonalFields(record, evidence: evidence, at: where_)
            for policy in evidence.policies { named["\(policy.id)/\(policy.version)"] = policy.sha256 }
            recorded.insert(record.sequence)
            records += 1
        }
        for (sequence, evidence) in evidenceBySequence.sorted(by: { $0.key < $1.key })
        where EvidenceBundle.inPeriod(evidence.occurredAt, from: decoded.from, to: decoded.to) && !recorded.contains(sequence) {
            throw Problem("records.jsonl: record \(sequence), made at \(evidence.occurredAt) in the period, is missing")
        }
        if records != decoded.records { throw Problem("records.jsonl: holds \(records) records; the bundle was made with \(decoded.records)") }
    }

    /// The change notices: each one a link of the chain, unchanged; every notice link of the period is there.
    /// A bundle from before notices were recorded has no notices.jsonl and no notice link.
    mutating func checkNotices() throws(Problem) {
        guard let decoded = description else { return }
        var listed = Set<Int64>()
        for (number, line) in BundleVerifier.lines(files["notices.jsonl"]).enumerated() {
            let place = "notices.jsonl:\(number + 1)"
            guard let notice = try? JSONDecoder().decode(NoticeEvidence.self, from: line) else { throw Problem("\(place): not a notice record") }
            guard let linked = noticesBySequence[notice.sequence] else { throw Problem("\(place) (record \(notice.sequence)): not in the chain of the bundle") }
            if linked != notice { throw Problem("\(place) (record \(notice.sequence)): differs from its chain link: it was changed") }
            listed.insert(notice.sequence)
        }
        for (sequence, notice) in noticesBySequence.sorted(by: { $0.key < $1.key })
        where EvidenceBundle.inPeriod(notice.occurredAt, from: decoded.from, to: decoded.to) && !listed.contains(sequence) {
            throw Problem("notices.jsonl: notice record \(sequence), made at \(notice.occurredAt) in the period, is missing")
        }
        notices = listed.count
    }

    /// A record's personal fields are those its evidence was made with, or gone and the record marked erased.
    private static func checkPersonalFields(_ record: EvidenceBundle.RecordLine, evidence: ConsentEvidence, at where_: String) throws(Problem) {
        guard let json = record.personalJSON else {
            if record.erasedAt == nil || record.subject != nil || record.personal != nil {
                throw Problem("\(where_): the personal fields are gone but the record is not marked erased")
            }
            return
        }
        guard let personal = try? JSONDecoder().decode(PersonalFields.self, from: Data(json.utf8)) else {
            throw Problem("\(where_): personalJSON is not the personal fields of a record")
        }
        if personal.digest != evidence.personalDigest { throw Problem("\(where_): the personal fields do not match their digest: they were changed") }
        if record.personal != personal || record.subject != personal.subject { throw Problem("\(where_): subject or personal differ from personalJSON") }
        if record.erasedAt != nil { throw Problem("\(where_): marked erased but still holds personal fields") }
    }

    /// The policy texts: each the exact text whose SHA-256 the records name.
    mutating func checkPolicies() throws(Problem) {
        for (name, sha256) in named.sorted(by: { $0.key < $1.key }) {
            let file = "policies/\(name).html"
            guard let text = files[file] else { throw Problem("\(file): missing, but records name it") }
            if Canonical.sha256Hex(text) != sha256 { throw Problem("\(file): its SHA-256 is not \(sha256), the one the records name: the text was changed") }
            policies += 1
        }
    }

    /// Everything else: no file added, changed or removed since the export, and the description sealed.
    func checkFiles(keyring: ReceiptKeyring) throws(Problem) {
        guard let decoded = description else { return }
        for (file, digest) in decoded.files.sorted(by: { $0.key < $1.key }) {
            guard let data = files[file] else { throw Problem("\(file): missing from the bundle") }
            if Canonical.sha256Hex(data) != digest { throw Problem("\(file): changed after export (its SHA-256 is not the one in bundle.json)") }
        }
        if let extra = files.keys.sorted().first(where: { !["bundle.json", "bundle.sig"].contains($0) && decoded.files[$0] == nil }) {
            throw Problem("\(extra): added after export")
        }
        guard let sealData = files["bundle.sig"], let seal = try? JSONDecoder().decode(EvidenceBundle.Seal.self, from: sealData) else {
            throw Problem("bundle.sig: missing or not a signature")
        }
        guard let key = keyring.keys.first(where: { $0.keyId == seal.keyId }),
              ReceiptSigner.verify(signature: seal.signature, entryHash: Canonical.sha256Hex(descriptionData), publicKeyBase64: key.publicKey) else {
            throw Problem("bundle.json: its signature in bundle.sig does not verify with receipt key \(seal.keyId): the description was changed")
        }
    }
}
