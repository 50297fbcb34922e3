import Foundation
import Testing
@testable import RedlineConsent

@Suite struct UTCTimeTests {
    /// Compared with Foundation's formatter over a spread of instants, leap days and the epoch included.
    @Test(arguments: [0.0, 0.001, 951_782_400.5, 1_709_164_800, 1_795_269_861.679, 4_102_444_799.999, -86_400.25, 1_234_567_890.123])
    func matchesFoundation(_ seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        #expect(UTCTime.timestamp(date) == formatter.string(from: date))
        #expect(UTCTime.day(date) == String(formatter.string(from: date).prefix(10)))
    }
}

@Suite struct DayAndStatsTests {
    @Test(arguments: [("2026-11-22", true), ("2024-02-29", true), ("2026-02-29", false), ("2100-02-29", false), ("2000-02-29", true),
                      ("2026-13-01", false), ("2026-00-10", false), ("2026-04-31", false), ("2026-+1-01", false), ("26-11-22", false),
                      ("2026-11-22T00", false), ("", false)])
    func isDayTakesOnlyRealCalendarDays(text: String, expected: Bool) {
        #expect(UTCTime.isDay(text) == expected)
    }

    func row(_ sequence: Int64, at time: String, method: ConsentMethod, granted: [String], denied: [String], gpc: Bool) -> EvidenceFile.Row {
        let evidence = ConsentEvidence(recordId: "r\(sequence)", sequence: sequence, event: .given, method: method, occurredAt: time, validUntil: nil,
                                       granted: granted, denied: denied, policies: [], notice: nil, gpc: GPCSignal(sent: gpc, honoured: gpc),
                                       idempotencyKeyDigest: nil, personalDigest: "d", previousHash: ConsentEvidence.genesisHash)
        return EvidenceFile.Row(sequence: sequence, recordId: "r\(sequence)", subject: nil, personalJSON: nil,
                                evidenceJSON: String(decoding: Canonical.json(evidence), as: UTF8.self), entryHash: evidence.entryHash,
                                signature: "", idempotencyKeyDigest: nil, erasedAt: "2026-11-30T00:00:00.000Z", keyId: nil)
    }

    @Test func statsCountThePeriodOnlyByDayMethodCategoryAndGPC() {
        let rows = [
            row(1, at: "2026-10-31T23:59:59.999Z", method: .acceptAll, granted: ["analytics"], denied: [], gpc: false),
            row(2, at: "2026-11-01T00:00:00.000Z", method: .acceptAll, granted: ["analytics", "marketing"], denied: [], gpc: false),
            row(3, at: "2026-11-01T10:00:00.000Z", method: .rejectAll, granted: [], denied: ["analytics", "marketing"], gpc: false),
            row(4, at: "2026-11-02T10:00:00.000Z", method: .gpc, granted: ["analytics"], denied: ["marketing"], gpc: true),
            row(5, at: "2026-11-03T00:00:00.000Z", method: .custom, granted: ["analytics"], denied: ["marketing"], gpc: false),
        ]
        let stats = ConsentStats.count(rows, from: "2026-11-01", to: "2026-11-02")
        #expect(stats.total == 3)
        #expect(stats.byMethod == ["accept-all": 1, "reject-all": 1, "gpc": 1, "custom": 0, "api": 0])
        #expect(stats.byDay.map(\.day) == ["2026-11-01", "2026-11-02"] && stats.byDay.map(\.total) == [2, 1])
        #expect(stats.categories["analytics"] == .init(granted: 2, denied: 1, acceptanceRate: 2.0 / 3.0))
        #expect(stats.categories["marketing"] == .init(granted: 1, denied: 2, acceptanceRate: 1.0 / 3.0))
        #expect(stats.gpc.sent == 1 && abs(stats.gpc.share - 1.0 / 3.0) < 1e-9)
        #expect(ConsentStats.count(rows, from: "2027-01-01", to: "2027-01-31").total == 0)
    }
}
