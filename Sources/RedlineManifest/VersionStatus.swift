/// Where a version stands on a given day. Decided in one place, ``PolicyTimeline/status(of:draft:on:)``,
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
}
