import Foundation
import RedlineConsent
import RedlineManifest

/// The consent rules one manifest implies: which categories exist, which documents consent
/// covers, which versions are in force, and when a person must be asked again.
public struct ConsentPolicy: Sendable {
    public let manifest: Manifest
    public let consent: Manifest.Consent
    /// The day the rules apply to: the server's one today (``Manifest/today(clock:)``), so versions
    /// whose effective day has come are in force even when the site has not been rebuilt since.
    public let today: Day
    /// The instant `today` was read at: when a record is made.
    public let now: Date

    /// The banner settings a site built before the consent service gets.
    static func defaultConsent(for manifest: Manifest) -> Manifest.Consent {
        Manifest.Consent(
            notice: .init(version: "default", locale: manifest.site.language),
            categories: [.init(id: "necessary", label: "Strictly necessary", required: true, gpc: false),
                         .init(id: "analytics", label: "Analytics", required: false, gpc: false),
                         .init(id: "marketing", label: "Marketing", required: false, gpc: true)],
            documents: manifest.documents.map(\.id), allowedOrigins: [], maxAgeDays: 395, configUrl: "")
    }

    /// The rules of `manifest` on the day `clock` makes today, read once.
    public init(manifest: Manifest, clock: ServerClock) {
        self.manifest = manifest
        consent = manifest.consent ?? Self.defaultConsent(for: manifest)
        let reading = clock.reading(for: manifest)
        (now, today) = (reading.now, reading.today)
    }

    public func category(_ id: String) -> Manifest.Category? {
        consent.categories.first { $0.id == id }
    }

    /// A change that needs asking again: a material version that took effect after the version consented to.
    public struct Change: Codable, Sendable, Equatable {
        public var document: String
        public var fromVersion: String
        public var toVersion: String
        public var effective: String
        public var summary: String?
        public var changesUrl: String?
    }

    /// Material versions in force that are newer than what `policies` names, for every document
    /// consent covers. A covered document the consent did not name counts as changed from nothing.
    public func changes(since policies: [(id: String, version: String)]) -> [Change] {
        var changes: [Change] = []
        for id in consent.documents {
            guard let document = manifest.document(id) else { continue }
            let agreed = policies.first { $0.id == id }?.version
            var from = agreed ?? ""
            for entry in document.timeline.reconsentVersions(since: agreed.flatMap { Day($0) }, on: today) {
                guard let version = document.version(entry.effective) else { continue }
                changes.append(Change(document: id, fromVersion: from, toVersion: version.effective.description,
                                      effective: version.effective.description, summary: version.summary, changesUrl: version.changesUrl))
                from = version.effective.description
            }
        }
        return changes
    }

    /// Whether a record stamped `validUntil` has expired.
    public func isExpired(validUntil: String?, now: Date) -> Bool {
        guard let validUntil, let date = Self.parseTimestamp(validUntil) else { return false }
        return date <= now
    }

    /// What a material change or an expired decision calls for, by the mode the decision was made
    /// under: opt-in asks again; opt-out and notice inform (an opt-out stands until the person
    /// changes it). Records made before modes existed were all opt-in.
    public enum FollowUp: String, Codable, Sendable {
        case none, ask, inform

        public init(reasons: [String], mode: ConsentMode?) {
            if reasons.isEmpty { self = .none } else { self = (mode ?? .optIn) == .optIn ? .ask : .inform }
        }
    }

    static func parseTimestamp(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text) ?? ISO8601DateFormatter().date(from: text)
    }
}
