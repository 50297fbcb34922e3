/// One document's published versions on the calendar, and the home of Redline's central rule:
/// a version is upcoming, current or archived by its effective day; a material version that
/// changes an earlier one is announced ahead and asked about again; an editorial one never is.
///
/// The build (`PolicyDocument.timeline`) and the server (`Manifest.Document.timeline`) both make
/// one, and nothing else compares effective days or decides what is material. The banner keeps
/// the same rule in `consent.js` (the browser needs it); `tests/cases/timeline.json`
/// pins the two to each other.
public struct PolicyTimeline: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public let effective: Day
        public let material: Bool

        public init(effective: Day, material: Bool) {
            self.effective = effective
            self.material = material
        }
    }

    /// Oldest first; drafts are never on the timeline.
    public let entries: [Entry]

    public init(_ entries: [Entry]) {
        self.entries = entries.sorted { $0.effective < $1.effective }
    }

    /// Where the version taking effect on `effective` stands on `day`. A draft is a draft whatever the day.
    public func status(of effective: Day, draft: Bool = false, on day: Day) -> VersionStatus {
        if draft { return .draft }
        if effective > day { return .upcoming }
        return current(on: day)?.effective == effective ? .current : .archived
    }

    /// The version in force on `day`: the latest whose effective day has come.
    public func current(on day: Day) -> Entry? {
        entries.last { $0.effective <= day }
    }

    /// The version before the one of `effective`.
    public func previous(before effective: Day) -> Entry? {
        entries.last { $0.effective < effective }
    }

    /// The first version to take effect after `day`.
    public func next(after day: Day) -> Entry? {
        entries.first { $0.effective > day }
    }

    /// Whether the version of `effective` has taken effect by `day` (it is current or archived).
    public func hasTakenEffect(_ effective: Day, on day: Day) -> Bool {
        effective <= day
    }

    /// The first version of the document: it changes nothing, so it is never announced or asked about again.
    public func isFirst(_ effective: Day) -> Bool {
        previous(before: effective) == nil
    }

    /// Whether the version is a change readers must be told of: material, and not the document's first.
    public func isAnnounced(_ effective: Day) -> Bool {
        guard let entry = entries.first(where: { $0.effective == effective }) else { return false }
        return entry.material && !isFirst(effective)
    }

    /// The e-mail a version calls for: a required notice for an announced change; an optional one
    /// for an editorial change when the site offers them (`optionalEditorial`); none for a
    /// document's first version, which changes nothing.
    public func notice(of effective: Day, optionalEditorial: Bool) -> Notice? {
        guard entries.contains(where: { $0.effective == effective }), !isFirst(effective) else { return nil }
        if isAnnounced(effective) { return .required }
        return optionalEditorial ? .optional : nil
    }

    /// Whether a reader may turn a notice down. A required one announces a change the law (or the
    /// terms) oblige the operator to tell of: nobody can unsubscribe from it. An optional one
    /// carries a one-click unsubscribe.
    public enum Notice: Sendable, Equatable {
        case required, optional
    }

    /// The versions that ask again of someone who agreed to `agreed` (nil: to no version of this
    /// document): announced versions in force on `day` and later than `agreed`, oldest first.
    public func reconsentVersions(since agreed: Day?, on day: Day) -> [Entry] {
        entries.filter { entry in
            isAnnounced(entry.effective) && hasTakenEffect(entry.effective, on: day) && agreed.map { entry.effective > $0 } ?? true
        }
    }

    /// When a server first looks at a site, versions that already took effect by `day` are history:
    /// too late to announce, so no notice goes out for them. Only upcoming ones are announced.
    public func isHistoryAtFirstStart(_ effective: Day, on day: Day) -> Bool {
        hasTakenEffect(effective, on: day)
    }
}

extension Manifest.Document {
    /// The versions on the calendar, by the one rule.
    public var timeline: PolicyTimeline {
        PolicyTimeline(versions.map { .init(effective: $0.effective, material: $0.material) })
    }

    /// The status of `version` on `day`, by its effective day, whatever the manifest's build day said.
    public func status(of version: Manifest.Version, on day: Day) -> VersionStatus {
        timeline.status(of: version.effective, on: day)
    }

    public func version(_ effective: Day) -> Manifest.Version? {
        versions.first { $0.effective == effective }
    }
}

extension Manifest {
    /// The day the server treats as today: the clock's day, or the day the site was built for when
    /// that is later, so the server never contradicts the pages it serves.
    public func today(clock: Day) -> Day {
        max(clock, buildDate)
    }

    /// The latest of `asOf` that has come by `today`, if any.
    public func asOfDay(today: Day) -> Day? {
        asOf?.last { $0 <= today }
    }
}
