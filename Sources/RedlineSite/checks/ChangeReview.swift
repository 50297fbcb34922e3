import RedlineContent
import RedlineDiff

/// Whether a version is marked material is the editor's call; these checks question it.
///
/// - An editorial version that changes a sensitive section (site.yaml `sensitiveSections`) or
///   more than `editorialChangeLimit` of the words gets a warning.
/// - A material version published fewer than `noticeDays` before it takes effect, or with
///   no `published` date to check, gets a warning.
enum ChangeReview {
    static func review(_ changes: PolicyChanges, site: SiteConfig) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for change in changes.all {
            let version = change.version
            let path = version.source.displayPath
            let materialLine = version.fieldLines["material"] ?? 1
            if version.material {
                if let published = version.published {
                    let days = published.days(until: version.effective)
                    if days < site.noticeDays {
                        diagnostics.append(.warning(path, line: version.fieldLines["published"] ?? materialLine,
                            "material change takes effect \(days) day\(days == 1 ? "" : "s") after it is published; site.yaml noticeDays asks for at least \(site.noticeDays)"))
                    }
                } else {
                    diagnostics.append(.warning(path, line: materialLine,
                        "material change has no 'published' date, so its \(site.noticeDays)-day notice period cannot be checked"))
                }
                continue
            }
            for section in change.redline.changedSections {
                let headings = [section.heading, section.previousHeading].compactMap { $0 }
                if let pattern = headings.lazy.compactMap({ site.sensitivePattern(matching: $0) }).first {
                    diagnostics.append(.warning(path, line: materialLine,
                        "marked editorial, but it changes the section '\(section.heading)', which site.yaml lists as sensitive ('\(pattern)'): should it be material?"))
                }
            }
            let share = change.redline.changedShare
            if share > site.editorialChangeLimit {
                diagnostics.append(.warning(path, line: materialLine,
                    "marked editorial, but it changes \(percent(share)) of the words (site.yaml editorialChangeLimit is \(percent(site.editorialChangeLimit))): should it be material?"))
            }
        }
        return diagnostics
    }

    private static func percent(_ share: Double) -> String {
        "\(Int((share * 100).rounded()))%"
    }
}
