import Foundation

/// Checks that no record was changed, removed or reordered: every `entryHash` is the hash
/// of its evidence, every record points at the one before it, sequences have no gaps, every
/// signature is valid, and personal fields still kept match their digest.
public enum ChainVerifier {
    public struct Report: Sendable, Equatable {
        public let recordsChecked: Int
        /// The first broken link, or nil when the whole chain verifies.
        public let firstProblem: Problem?

        public var isIntact: Bool { firstProblem == nil }
    }

    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public let sequence: Int64
        public let recordId: String
        public let reason: String

        public var description: String { "record \(sequence) (\(recordId)): \(reason)" }
    }

    public static func verify(_ records: [ConsentRecord], publicKeyBase64: String) -> Report {
        var previous = ConsentEvidence.genesisHash
        var expectedSequence: Int64 = 1
        for (index, record) in records.enumerated() {
            let evidence = record.evidence
            func problem(_ reason: String) -> Report {
                Report(recordsChecked: index, firstProblem: Problem(sequence: evidence.sequence, recordId: evidence.recordId, reason: reason))
            }
            if evidence.sequence != expectedSequence {
                return problem("expected sequence \(expectedSequence): a record is missing or out of order")
            }
            if evidence.previousHash != previous {
                return problem("previousHash does not match the record before it")
            }
            if evidence.entryHash != record.entryHash {
                return problem("entryHash does not match the record's content: it was changed after it was written")
            }
            if !ReceiptSigner.verify(signature: record.signature, entryHash: record.entryHash, publicKeyBase64: publicKeyBase64) {
                return problem("the receipt signature is not valid for this entryHash")
            }
            if let personal = record.personal, personal.digest != evidence.personalDigest {
                return problem("personal fields do not match their digest: they were changed after they were written")
            }
            previous = record.entryHash
            expectedSequence += 1
        }
        return Report(recordsChecked: records.count, firstProblem: nil)
    }
}
