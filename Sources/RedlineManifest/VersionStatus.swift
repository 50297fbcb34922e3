/// Where a version stands on a given day. Decided in one place, ``VersionStatus/of(effective:draft:effectiveDates:today:)``,
/// which the build (pages, manifest), the server (re-consent, notices) and, through the same
/// rule in JavaScript, the banner all use, so they agree on the day a version takes effect.
public enum VersionStatus: String, Sendable, Codable {
    /// In force now: the latest version whose effective date has come.
    case current
    /// Replaced by a later version that is in force.
    case archived
    /// Published ahead of its effective date, as notice of a change.
    case upcoming
    /// Marked `draft: true`: built only for preview (`build --drafts`), never published, never in force.
    case draft

    /// - Parameters:
    ///   - effective: the version's effective date, `YYYY-MM-DD`.
    ///   - draft: whether the version is marked `draft: true`.
    ///   - effectiveDates: the effective dates of the document's published versions.
    ///   - today: `YYYY-MM-DD`, in UTC.
    public static func of(effective: String, draft: Bool = false, effectiveDates: [String], today: String) -> VersionStatus {
        if draft { return .draft }
        if effective > today { return .upcoming }
        let inForce = effectiveDates.filter { $0 <= today }.max()
        return inForce == effective ? .current : .archived
    }

    /// Whether a version with this status has taken effect (now or in the past).
    public var hasTakenEffect: Bool { self == .current || self == .archived }
}

extension Manifest.Document {
    /// The status of `version` on `today`, by its date, whatever the manifest's build day said.
    public func status(of version: Manifest.Version, today: String) -> VersionStatus {
        VersionStatus.of(effective: version.effective, effectiveDates: versions.map(\.effective), today: today)
    }
}
