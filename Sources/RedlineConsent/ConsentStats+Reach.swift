import Foundation
import RedlineManifest

extension ConsentStats {
    /// How often a banner was shown and answered, for one region and mode, one banner text, or
    /// one day: impressions from the counters, decisions from the consent records.
    public struct Reach: Codable, Sendable, Equatable {
        /// The region as the trusted proxy gave it, `""` when unknown (by region only).
        public var region: String?
        /// By region only.
        public var mode: ConsentMode?
        /// The banner text's version, `""` for records that name none (by banner text only).
        public var notice: String?
        /// The day, UTC (by day only).
        public var day: String?
        public var impressions: Int
        public var decisions: Int
        /// Decisions that granted every optional category: accept-all, or nothing denied.
        public var accepted: Int

        /// decisions ÷ impressions; null without impressions. Above 1 when people answered
        /// banners whose showing was not counted (pages cached from before the counters).
        public var interactionRate: Double? { impressions == 0 ? nil : Double(decisions) / Double(impressions) }
        /// accepted ÷ decisions; null without decisions.
        public var acceptanceRate: Double? { decisions == 0 ? nil : Double(accepted) / Double(decisions) }

        init(region: String? = nil, mode: ConsentMode? = nil, notice: String? = nil, day: String? = nil) {
            self.region = region
            self.mode = mode
            self.notice = notice
            self.day = day
            impressions = 0
            decisions = 0
            accepted = 0
        }

        enum CodingKeys: String, CodingKey {
            case region, mode, notice, day, impressions, decisions, accepted, interactionRate, acceptanceRate
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            region = try container.decodeIfPresent(String.self, forKey: .region)
            mode = try container.decodeIfPresent(ConsentMode.self, forKey: .mode)
            notice = try container.decodeIfPresent(String.self, forKey: .notice)
            day = try container.decodeIfPresent(String.self, forKey: .day)
            impressions = try container.decode(Int.self, forKey: .impressions)
            decisions = try container.decode(Int.self, forKey: .decisions)
            accepted = try container.decode(Int.self, forKey: .accepted)
        }

        /// The rates are written as null when they cannot be worked out, rather than left out,
        /// so a reader sees the field and knows why it has no number.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(region, forKey: .region)
            try container.encodeIfPresent(mode, forKey: .mode)
            try container.encodeIfPresent(notice, forKey: .notice)
            try container.encodeIfPresent(day, forKey: .day)
            try container.encode(impressions, forKey: .impressions)
            try container.encode(decisions, forKey: .decisions)
            try container.encode(accepted, forKey: .accepted)
            try container.encode(interactionRate, forKey: .interactionRate)
            try container.encode(acceptanceRate, forKey: .acceptanceRate)
        }
    }

    /// Whether a decision granted every optional category. Every category is listed as granted or
    /// denied, so nothing denied means everything granted; accept-all counts even where GPC then
    /// denied a category, since the person's answer was to accept.
    static func acceptedEverything(_ evidence: ConsentEvidence) -> Bool {
        evidence.method == .acceptAll || evidence.denied.isEmpty
    }
}

/// Sums decisions and impressions by region and mode, by banner text and by day, as
/// ``ConsentStats/count(_:impressions:from:to:)`` goes through the records and counters.
struct ReachTally {
    private struct RegionKey: Hashable {
        let region: String
        let mode: ConsentMode
    }

    private var regions: [RegionKey: ConsentStats.Reach] = [:]
    private var notices: [String: ConsentStats.Reach] = [:]
    private var days: [String: ConsentStats.Reach] = [:]

    /// One record. Records from before regions were recorded count as region `""`, opt-in: what
    /// the banner asked everyone then.
    mutating func decision(_ evidence: ConsentEvidence, day: String) {
        let region = RegionKey(region: evidence.jurisdiction?.region ?? "", mode: evidence.jurisdiction?.mode ?? .optIn)
        let notice = evidence.notice?.version ?? ""
        let accepted = ConsentStats.acceptedEverything(evidence) ? 1 : 0
        regions[region, default: .init(region: region.region, mode: region.mode)].decisions += 1
        regions[region]!.accepted += accepted
        notices[notice, default: .init(notice: notice)].decisions += 1
        notices[notice]!.accepted += accepted
        days[day, default: .init(day: day)].decisions += 1
        days[day]!.accepted += accepted
    }

    mutating func impressions(_ count: ImpressionCount) {
        let key = count.key
        let region = RegionKey(region: key.region, mode: key.mode)
        regions[region, default: .init(region: key.region, mode: key.mode)].impressions += count.impressions
        notices[key.notice, default: .init(notice: key.notice)].impressions += count.impressions
        days[key.day, default: .init(day: key.day)].impressions += count.impressions
    }

    /// The breakdowns, each in a stable order: regions by code then mode, banner texts by version, days in order.
    func write(to stats: inout ConsentStats) {
        stats.byRegion = regions.values.sorted { ($0.region ?? "", $0.mode?.rawValue ?? "") < ($1.region ?? "", $1.mode?.rawValue ?? "") }
        stats.byNotice = notices.values.sorted { ($0.notice ?? "") < ($1.notice ?? "") }
        stats.daily = days.values.sorted { ($0.day ?? "") < ($1.day ?? "") }
        var all = ConsentStats.Reach()
        for day in stats.daily {
            all.impressions += day.impressions
            all.decisions += day.decisions
            all.accepted += day.accepted
        }
        stats.reach = all
    }
}
