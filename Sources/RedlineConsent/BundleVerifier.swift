import Foundation

/// Checks an evidence bundle offline and names the first bad place: a changed record, a record
/// missing from the middle or cut from the end, a chain link that does not follow, a signature
/// that does not verify, a policy text that no longer matches, or a file changed after export.
/// The content is checked line by line first, so a change is named where it is; the file
/// digests and the seal over `bundle.json` come last and catch anything else.
public enum BundleVerifier {
    public struct Report: Sendable {
        public let records: Int
        public let links: Int
        public let policies: Int
        public let description: EvidenceBundle.Description?
        /// "file:line: reason" of the first problem, or nil when everything verifies.
        public let problem: String?
    }

    public struct OpenError: Error, CustomStringConvertible {
        public let description: String
    }

    /// - Parameter keyring: keys obtained apart from the bundle; nil trusts the bundle's own `receipt-keys.json`.
    public static func verify(path: String, keyring trusted: ReceiptKeyring? = nil) throws -> Report {
        let files = try read(path)
        var records = 0, links = 0, policies = 0
        var description: EvidenceBundle.Description?
        func fail(_ problem: String) -> Report {
            Report(records: records, links: links, policies: policies, description: description, problem: problem)
        }
        guard let descriptionData = files["bundle.json"],
              let decoded = try? JSONDecoder().decode(EvidenceBundle.Description.self, from: descriptionData) else {
            return fail("bundle.json: missing or not a bundle description")
        }
        description = decoded
        guard decoded.format == EvidenceBundle.format else { return fail("bundle.json: format \(decoded.format) is not \(EvidenceBundle.format)") }
        let keyring: ReceiptKeyring
        if let trusted {
            keyring = trusted
        } else {
            guard let data = files["receipt-keys.json"], let bundled = try? JSONDecoder().decode(ReceiptKeyring.self, from: data) else {
                return fail("receipt-keys.json: missing or not a list of receipt keys")
            }
            keyring = bundled
        }

        // The chain segment: consecutive, linked, each hash its evidence's, each signature valid.
        var chain: [Int64: EvidenceBundle.ChainLine] = [:]
        var evidenceBySequence: [Int64: ConsentEvidence] = [:]
        var previous: (sequence: Int64, hash: String)?
        for (number, line) in lines(files["chain.jsonl"]).enumerated() {
            let place = "chain.jsonl:\(number + 1)"
            guard let link = try? JSONDecoder().decode(EvidenceBundle.ChainLine.self, from: line) else { return fail("\(place): not a chain link") }
            let where_ = "\(place) (record \(link.sequence))"
            guard let evidence = try? JSONDecoder().decode(ConsentEvidence.self, from: Data(link.evidenceJSON.utf8)) else {
                return fail("\(where_): the evidence is not a consent record")
            }
            if evidence.sequence != link.sequence { return fail("\(where_): the evidence says record \(evidence.sequence)") }
            if Canonical.sha256Hex(Data(link.evidenceJSON.utf8)) != link.entryHash {
                return fail("\(where_): the evidence no longer hashes to its entryHash: it was changed")
            }
            if let previous {
                if link.sequence != previous.sequence + 1 {
                    return fail("\(where_): follows record \(previous.sequence): \(link.sequence - previous.sequence - 1) record(s) missing from the chain")
                }
                if evidence.previousHash != previous.hash { return fail("\(where_): previousHash is not the entryHash of record \(previous.sequence)") }
            } else if link.sequence != decoded.firstSequence {
                return fail("\(where_): the chain should start at record \(decoded.firstSequence.map(String.init) ?? "none"): records were cut from the start")
            }
            if let reason = signatureProblem(link.signature, hash: link.entryHash, keyId: link.keyId, at: evidence.occurredAt, keyring: keyring) {
                return fail("\(where_): \(reason)")
            }
            chain[link.sequence] = link
            evidenceBySequence[link.sequence] = evidence
            previous = (link.sequence, link.entryHash)
            links += 1
        }
        if previous?.sequence != decoded.lastSequence || previous?.hash != decoded.lastEntryHash {
            let end = previous.map { "record \($0.sequence)" } ?? "no record"
            return fail("chain.jsonl: ends at \(end), but the bundle was made up to record \(decoded.lastSequence.map(String.init) ?? "none"): records were cut from the end")
        }

        // The records: each one a link of the chain, unchanged, its personal fields those it was made with.
        var recorded = Set<Int64>()
        var named: [String: String] = [:]
        for (number, line) in lines(files["records.jsonl"]).enumerated() {
            let place = "records.jsonl:\(number + 1)"
            guard let record = try? JSONDecoder().decode(EvidenceBundle.RecordLine.self, from: line) else { return fail("\(place): not a record") }
            let where_ = "\(place) (record \(record.sequence))"
            guard let link = chain[record.sequence], let evidence = evidenceBySequence[record.sequence] else {
                return fail("\(where_): not in the chain of the bundle")
            }
            if record.evidenceJSON != link.evidenceJSON || record.entryHash != link.entryHash || record.signature != link.signature {
                return fail("\(where_): differs from its chain link: it was changed")
            }
            if record.evidence != evidence || record.recordId != evidence.recordId || record.idempotencyKeyDigest != evidence.idempotencyKeyDigest {
                return fail("\(where_): its fields do not match its hashed evidence: it was changed")
            }
            if !EvidenceBundle.inPeriod(evidence.occurredAt, from: decoded.from, to: decoded.to) {
                return fail("\(where_): made at \(evidence.occurredAt), outside the period \(decoded.from) to \(decoded.to)")
            }
            if let json = record.personalJSON {
                guard let personal = try? JSONDecoder().decode(PersonalFields.self, from: Data(json.utf8)) else {
                    return fail("\(where_): personalJSON is not the personal fields of a record")
                }
                if personal.digest != evidence.personalDigest { return fail("\(where_): the personal fields do not match their digest: they were changed") }
                if record.personal != personal || record.subject != personal.subject { return fail("\(where_): subject or personal differ from personalJSON") }
                if record.erasedAt != nil { return fail("\(where_): marked erased but still holds personal fields") }
            } else if record.erasedAt == nil || record.subject != nil || record.personal != nil {
                return fail("\(where_): the personal fields are gone but the record is not marked erased")
            }
            for policy in evidence.policies { named["\(policy.id)/\(policy.version)"] = policy.sha256 }
            recorded.insert(record.sequence)
            records += 1
        }
        for (sequence, evidence) in evidenceBySequence.sorted(by: { $0.key < $1.key })
        where EvidenceBundle.inPeriod(evidence.occurredAt, from: decoded.from, to: decoded.to) && !recorded.contains(sequence) {
            return fail("records.jsonl: record \(sequence), made at \(evidence.occurredAt) in the period, is missing")
        }
        if records != decoded.records { return fail("records.jsonl: holds \(records) records; the bundle was made with \(decoded.records)") }

        // The policy texts: each the exact text whose SHA-256 the records name.
        for (name, sha256) in named.sorted(by: { $0.key < $1.key }) {
            let file = "policies/\(name).html"
            guard let text = files[file] else { return fail("\(file): missing, but records name it") }
            if Canonical.sha256Hex(text) != sha256 { return fail("\(file): its SHA-256 is not \(sha256), the one the records name: the text was changed") }
            policies += 1
        }

        // Everything else: no file added, changed or removed since the export, and the description sealed.
        for (file, digest) in decoded.files.sorted(by: { $0.key < $1.key }) {
            guard let data = files[file] else { return fail("\(file): missing from the bundle") }
            if Canonical.sha256Hex(data) != digest { return fail("\(file): changed after export (its SHA-256 is not the one in bundle.json)") }
        }
        if let extra = files.keys.sorted().first(where: { !["bundle.json", "bundle.sig"].contains($0) && decoded.files[$0] == nil }) {
            return fail("\(extra): added after export")
        }
        guard let sealData = files["bundle.sig"], let seal = try? JSONDecoder().decode(EvidenceBundle.Seal.self, from: sealData) else {
            return fail("bundle.sig: missing or not a signature")
        }
        guard let key = keyring.keys.first(where: { $0.keyId == seal.keyId }),
              ReceiptSigner.verify(signature: seal.signature, entryHash: Canonical.sha256Hex(descriptionData), publicKeyBase64: key.publicKey) else {
            return fail("bundle.json: its signature in bundle.sig does not verify with receipt key \(seal.keyId): the description was changed")
        }
        return Report(records: records, links: links, policies: policies, description: decoded, problem: nil)
    }

    static func signatureProblem(_ signature: String, hash: String, keyId: String?, at time: String, keyring: ReceiptKeyring) -> String? {
        guard let key = keyring.key(at: time) else { return "no receipt key was in use at \(time)" }
        if let keyId, keyId != key.keyId { return "signed by key \(keyId), but the key in use at \(time) was \(key.keyId)" }
        guard ReceiptSigner.verify(signature: signature, entryHash: hash, publicKeyBase64: key.publicKey) else {
            return "the signature is not valid for this entryHash under key \(key.keyId)"
        }
        return nil
    }

    static func lines(_ data: Data?) -> [Data] {
        guard let data else { return [] }
        return data.split(separator: 0x0A, omittingEmptySubsequences: true).map { Data($0) }
    }

    /// Every file of the ZIP by name, read within `BundleArchive`'s limits.
    static func read(_ path: String, limits: BundleArchive.Limits = .init()) throws -> [String: Data] {
        guard FileManager.default.fileExists(atPath: path) else { throw OpenError(description: "\(path): no such bundle") }
        do {
            return try BundleArchive.files(at: path, limits: limits)
        } catch let failure as BundleArchive.Failure {
            throw OpenError(description: "\(path) is not a bundle: \(failure.description)")
        }
    }
}
