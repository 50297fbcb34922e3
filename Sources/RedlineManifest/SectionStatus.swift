/// What happened to a section between two versions: what the engine finds, and what the
/// manifest, `changes.json` and `diff --format json` say of each changed section.
public enum SectionStatus: String, Sendable, Codable {
    case added, removed, modified, moved, renamed, unchanged
    /// Its old section's text went to several new sections (it was cut into subsections).
    case split
    /// Its text came from several old sections.
    case merged
}
