import Foundation

/// What the consent log of a period says in numbers: decisions by day and by method, how
/// often each category was granted, and how many browsers sent Global Privacy Control; with the
/// impression counters, how often the banner was shown and answered, by region and mode, by
/// banner text and by day (``Reach``).
/// Counted from the evidence, so erased records still count (their decision is not personal).
public struct ConsentStats: Codable, Sendable, Equatable {
    public struct Day: Codable, Sendable, Equatable {
        public var day: String
        public var total: Int
        public var byMethod: [String: Int]
    }

    public struct Category: Codable, Sendable, Equatable {
        public var granted: Int
        public var denied: Int
        /// granted ÷ (granted + denied); 0 when nobody decided on it.
        public var acceptanceRate: Double
    }

    public struct GPC: Codable, Sendable, Equatable {
        public var sent: Int
        public var honoured: Int
        /// sent ÷ total.
        public var share: Double
    }

    public var from: String
    public var to: String
    public var total: Int
    /// accept-all, reject-all, custom, gpc (and api): every method, zero when unused.
    public var byMethod: [String: Int]
    public var byEvent: [String: Int]
    public var byDay: [Day]
    public var categories: [String: Category]
    public var gpc: GPC
    /// Every impression and decision of the period, with the interaction and acceptance rates.
    public var reach = Reach()
    /// By region (`""` unknown) and mode of consent.
    public var byRegion: [Reach] = []
    /// By banner text version.
    public var byNotice: [Reach] = []
    /// By day: impressions and decisions side by side (``byDay`` has the decisions by method).
    public var daily: [Reach] = []

    /// Counts the rows whose evidence was made from day `from` to day `to` (inclusive, UTC), and
    /// the impression counters of those days (`impressions`, already limited to them).
    public static func count(_ rows: [EvidenceFile.Row], impressions: [ImpressionCount] = [], from: String, to: String) -> ConsentStats {
        let methods = Dictionary(uniqueKeysWithValues: ConsentMethod.allCases.map { ($0.rawValue, 0) })
        var stats = ConsentStats(from: from, to: to, total: 0, byMethod: methods, byEvent: [:], byDay: [],
                                 categories: [:], gpc: GPC(sent: 0, honoured: 0, share: 0))
        var days: [String: Day] = [:]
        var granted: [String: Int] = [:], denied: [String: Int] = [:]
        var reach = ReachTally()
        let decoder = JSONDecoder()
        for row in rows {
            guard let evidence = try? decoder.decode(ConsentEvidence.self, from: Data(row.evidenceJSON.utf8)),
                  EvidenceBundle.inPeriod(evidence.occurredAt, from: from, to: to) else { continue }
            stats.total += 1
            stats.byMethod[evidence.method.rawValue, default: 0] += 1
            stats.byEvent[evidence.event.rawValue, default: 0] += 1
            let day = String(evidence.occurredAt.prefix(10))
            days[day, default: Day(day: day, total: 0, byMethod: [:])].total += 1
            days[day]!.byMethod[evidence.method.rawValue, default: 0] += 1
            reach.decision(evidence, day: day)
            for category in evidence.granted { granted[category, default: 0] += 1 }
            for category in evidence.denied { denied[category, default: 0] += 1 }
            if evidence.gpc.sent { stats.gpc.sent += 1 }
            if evidence.gpc.honoured { stats.gpc.honoured += 1 }
        }
        stats.byDay = days.values.sorted { $0.day < $1.day }
        for name in Set(granted.keys).union(denied.keys) {
            let (yes, no) = (granted[name] ?? 0, denied[name] ?? 0)
            stats.categories[name] = Category(granted: yes, denied: no, acceptanceRate: yes + no == 0 ? 0 : Double(yes) / Double(yes + no))
        }
        stats.gpc.share = stats.total == 0 ? 0 : Double(stats.gpc.sent) / Double(stats.total)
        for count in impressions where count.key.day >= from && count.key.day <= to { reach.impressions(count) }
        reach.write(to: &stats)
        return stats
    }
}
