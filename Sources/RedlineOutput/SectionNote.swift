import RedlineDiff

/// What happened to a section, in English words, so the change reads without colour. Plain
/// text: each output escapes it its own way (HTML, Mustache on the site, nothing in a terminal).
public enum SectionNote {
    /// Nil for an unchanged section: there is nothing to say.
    public static func text(for change: SectionChange) -> String? {
        let words = wordSummary(inserted: change.inserted, deleted: change.deleted)
        switch change.status {
        case .unchanged: return nil
        case .added: return "Added section"
        case .removed: return "Removed section"
        case .modified: return change.inserted + change.deleted == 0 ? "Formatting changed; no words changed" : "Changed: \(words)"
        case .renamed:
            let from = change.previousHeading ?? ""
            return "Renamed from “\(from)”" + (change.inserted + change.deleted > 0 ? "; \(words)" : "")
        case .moved: return "Moved" + (change.inserted + change.deleted > 0 ? "; \(words)" : " without changes")
        case .split:
            let from = change.previousHeading.map { " from “\($0)”" } ?? ""
            return "Split out\(from)" + (change.inserted + change.deleted > 0 ? "; \(words)" : "")
        case .merged: return "Merged from several sections" + (change.inserted + change.deleted > 0 ? "; \(words)" : "")
        }
    }

    /// "3 words added, 1 word removed".
    public static func wordSummary(inserted: Int, deleted: Int) -> String {
        func words(_ n: Int) -> String { "\(n) word\(n == 1 ? "" : "s")" }
        switch (inserted, deleted) {
        case (0, 0): return "formatting only"
        case (_, 0): return "\(words(inserted)) added"
        case (0, _): return "\(words(deleted)) removed"
        default: return "\(words(inserted)) added, \(words(deleted)) removed"
        }
    }
}
