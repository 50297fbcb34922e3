import Foundation
import Testing
@testable import RedlineConsent

/// The hand-written canonical JSON must be exactly what JSONEncoder (sorted keys, unescaped
/// slashes) writes: hashes in existing chains and third-party verifiers depend on it.
@Suite struct CanonicalJSONTests {
    func encoderJSON<T: Encodable>(_ value: T) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try! encoder.encode(value)
    }

    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        mutating func pick<T>(_ options: [T]) -> T { options[Int(next() % UInt64(options.count))] }
        mutating func text() -> String {
            let pieces = ["a", "Z", "0", " ", "\"", "\\", "/", "\n", "\t", "\r", "\u{08}", "\u{0C}", "\u{01}", "\u{1F}", "\u{7F}",
                          "é", "ß", "日本", "😀", "\u{2028}", "<", "&", "'", "privacy", "2026-06-01"]
            return (0..<Int(next() % 12)).map { _ in pick(pieces) }.joined()
        }
        mutating func maybe<T>(_ value: T) -> T? { next() % 3 == 0 ? nil : value }
    }

    /// Records made before translations existed must hash exactly as they did: no `locale` key unless one was shown.
    @Test func aPolicyReferenceWithoutALocaleKeepsItsFormAndOneWithALocaleNamesIt() {
        #expect(String(decoding: Canonical.json(PolicyReference(id: "privacy", version: "2026-06-01", sha256: "ab")), as: UTF8.self)
                == #"{"id":"privacy","sha256":"ab","version":"2026-06-01"}"#)
        #expect(String(decoding: Canonical.json(PolicyReference(id: "privacy", version: "2026-06-01", sha256: "cd", locale: "de")), as: UTF8.self)
                == #"{"id":"privacy","locale":"de","sha256":"cd","version":"2026-06-01"}"#)
    }

    @Test(arguments: 0..<200)
    func matchesJSONEncoder(seed: Int) {
        var random = Random(state: UInt64(seed) &+ 1)
        let evidence = ConsentEvidence(
            recordId: random.text(), sequence: Int64(random.next()) - 1_000_000, event: ConsentEvent.allCases[Int(random.next() % 6)], method: ConsentMethod.allCases[Int(random.next() % 5)],
            occurredAt: random.text(), validUntil: random.maybe(random.text()),
            granted: (0..<Int(random.next() % 4)).map { _ in random.text() }, denied: (0..<Int(random.next() % 4)).map { _ in random.text() },
            policies: (0..<Int(random.next() % 3)).map { _ in PolicyReference(id: random.text(), version: random.text(), sha256: random.text(), locale: random.maybe(random.text())) },
            notice: random.next() % 2 == 0 ? nil : NoticeReference(version: random.text(), locale: random.text()),
            gpc: GPCSignal(sent: random.next() % 2 == 0, honoured: random.next() % 2 == 0),
            idempotencyKeyDigest: random.maybe(random.text()), personalDigest: random.text(), previousHash: random.text())
        #expect(Canonical.json(evidence) == encoderJSON(evidence))
        let personal = PersonalFields(subject: random.text(), accountHash: random.maybe(random.text()), pagePath: random.maybe(random.text()),
                                      browser: random.maybe(random.text()), ipToken: random.maybe(random.text()), salt: random.text())
        #expect(Canonical.json(personal) == encoderJSON(personal))
        let receipt = Receipt(receiptId: random.text(), recordedAt: random.text(), entryHash: random.text(), signature: random.text(),
                              sequence: random.maybe(Int64(random.next() % 1_000_000)), keyId: random.maybe(random.text()))
        #expect(Canonical.json(receipt) == encoderJSON(receipt))
        let checkpoint = Checkpoint(sequence: Int64(random.next() % 1_000_000), headHash: random.text(), time: random.text(),
                                    keyId: random.text(), signature: random.text())
        #expect(Canonical.json(checkpoint) == encoderJSON(checkpoint))
    }
}
