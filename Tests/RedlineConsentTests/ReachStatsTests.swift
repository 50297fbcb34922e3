import Foundation
import RedlineManifest
import Testing
@testable import RedlineConsent

/// Impressions against decisions: the arithmetic of ``ConsentStats/Reach`` and its breakdowns.
@Suite struct ReachStatsTests {
    func row(_ sequence: Int64, at time: String, method: ConsentMethod, denied: [String], notice: String?,
             jurisdiction: Jurisdiction?) -> EvidenceFile.Row {
        let evidence = ConsentEvidence(recordId: "r\(sequence)", sequence: sequence, event: .given, method: method, occurredAt: time,
                                       validUntil: nil, granted: ["necessary"], denied: denied, policies: [],
                                       notice: notice.map { NoticeReference(version: $0, locale: "en") },
                                       gpc: GPCSignal(sent: false, honoured: false), idempotencyKeyDigest: nil, personalDigest: "d",
                                       previousHash: ConsentEvidence.genesisHash, jurisdiction: jurisdiction)
        return EvidenceFile.Row(sequence: sequence, recordId: "r\(sequence)", subject: nil, personalJSON: nil,
                                evidenceJSON: String(decoding: Canonical.json(evidence), as: UTF8.self), entryHash: "",
                                signature: "", idempotencyKeyDigest: nil, erasedAt: nil, keyId: nil)
    }

    func shown(_ day: String, _ region: String, _ mode: ConsentMode, _ notice: String, _ count: Int) -> ImpressionCount {
        ImpressionCount(key: ImpressionKey(day: day, region: region, mode: mode, notice: notice), impressions: count)
    }

    @Test func ratesByRegionBannerTextAndDay() throws {
        let de = Jurisdiction(region: "DE", mode: .optIn), ca = Jurisdiction(region: "US-CA", mode: .optOut)
        let rows = [
            row(1, at: "2026-11-01T10:00:00.000Z", method: .acceptAll, denied: [], notice: "aaaa", jurisdiction: de),
            row(2, at: "2026-11-01T11:00:00.000Z", method: .rejectAll, denied: ["analytics"], notice: "aaaa", jurisdiction: de),
            // GPC denied a category after the person accepted everything: still an acceptance.
            row(3, at: "2026-11-02T11:00:00.000Z", method: .acceptAll, denied: ["marketing"], notice: "bbbb", jurisdiction: ca),
            // Before regions were recorded: region "", opt-in.
            row(4, at: "2026-11-02T12:00:00.000Z", method: .custom, denied: [], notice: nil, jurisdiction: nil),
            // Outside the period.
            row(5, at: "2026-11-03T00:00:00.000Z", method: .acceptAll, denied: [], notice: "aaaa", jurisdiction: de),
        ]
        let impressions = [shown("2026-11-01", "DE", .optIn, "aaaa", 8), shown("2026-11-02", "US-CA", .optOut, "bbbb", 4),
                           shown("2026-11-02", "", .optIn, "aaaa", 2), shown("2026-11-03", "DE", .optIn, "aaaa", 100)]
        let stats = ConsentStats.count(rows, impressions: impressions, from: "2026-11-01", to: "2026-11-02")
        #expect(stats.total == 4, "the existing fields are counted as before")
        #expect(stats.reach.impressions == 14 && stats.reach.decisions == 4 && stats.reach.accepted == 3)
        #expect(stats.reach.interactionRate == 4.0 / 14.0 && stats.reach.acceptanceRate == 0.75)

        #expect(stats.byRegion.map { "\($0.region!)/\($0.mode!.rawValue)" } == ["/opt-in", "DE/opt-in", "US-CA/opt-out"])
        let unknown = stats.byRegion[0], germany = stats.byRegion[1], california = stats.byRegion[2]
        #expect((unknown.impressions, unknown.decisions, unknown.accepted) == (2, 1, 1))
        #expect((germany.impressions, germany.decisions, germany.accepted) == (8, 2, 1))
        #expect(germany.interactionRate == 0.25 && germany.acceptanceRate == 0.5)
        #expect(california.interactionRate == 0.25 && california.acceptanceRate == 1)

        #expect(stats.byNotice.map(\.notice) == ["", "aaaa", "bbbb"])
        #expect(stats.byNotice[0].impressions == 0 && stats.byNotice[0].interactionRate == nil, "no impressions: no rate, not zero")
        #expect((stats.byNotice[1].impressions, stats.byNotice[1].decisions) == (10, 2))
        #expect(stats.daily.map(\.day) == ["2026-11-01", "2026-11-02"])
        #expect(stats.daily.map(\.impressions) == [8, 6] && stats.daily.map(\.decisions) == [2, 2])
    }

    @Test func ratesWithoutImpressionsOrDecisionsAreNullInJSON() throws {
        let stats = ConsentStats.count([], impressions: [shown("2026-11-01", "FR", .optIn, "aaaa", 3)], from: "2026-11-01", to: "2026-11-01")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try #require(try JSONSerialization.jsonObject(with: encoder.encode(stats)) as? [String: Any])
        let reach = try #require(json["reach"] as? [String: Any])
        #expect(reach["impressions"] as? Int == 3 && reach["interactionRate"] as? Double == 0)
        #expect(reach["acceptanceRate"] is NSNull, "written as null, so a reader sees why there is no number")
        let region = try #require((json["byRegion"] as? [[String: Any]])?.first)
        #expect(region["region"] as? String == "FR" && region["mode"] as? String == "opt-in" && region["notice"] == nil)
        for field in ["from", "to", "total", "byMethod", "byEvent", "byDay", "categories", "gpc"] {
            #expect(json[field] != nil, "\(field) is kept for the tools that read it")
        }
        let decoded = try JSONDecoder().decode(ConsentStats.self, from: encoder.encode(stats))
        #expect(decoded == stats)
    }
}
