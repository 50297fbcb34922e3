import Foundation
import RedlineManifest

/// What one banner impression is counted under: the server's day (UTC), the visitor's region as
/// a trusted proxy gave it (`""` when unknown), the mode of consent that applied, and the banner
/// text's version. Nothing in it tells one visitor from another: no identifier, cookie, address
/// or user agent is ever part of a key, so the counters are not personal data.
public struct ImpressionKey: Hashable, Sendable, Codable {
    public var day: String
    public var region: String
    public var mode: ConsentMode
    public var notice: String

    public init(day: String, region: String, mode: ConsentMode, notice: String) {
        self.day = day
        self.region = region
        self.mode = mode
        self.notice = notice
    }
}

/// One counter as stored.
public struct ImpressionCount: Sendable, Equatable, Codable {
    public var key: ImpressionKey
    public var impressions: Int

    public init(key: ImpressionKey, impressions: Int) {
        self.key = key
        self.impressions = impressions
    }
}

/// Where the impression counters live: the same database as the consent records, one row per
/// key, added to and never otherwise changed.
public protocol ImpressionStore: Sendable {
    /// Adds every count to its row (made at zero when new), in one transaction.
    func add(_ counts: [ImpressionKey: Int]) async throws
    /// The counters of the days `from` to `to`, both included.
    func counts(from: String, to: String) async throws -> [ImpressionCount]
}

extension ImpressionKey {
    /// The table's name in both stores.
    public static let table = "impression_count"
}
