import Foundation
import RedlineDiff
import RedlineManifest

/// `json`: a stable, documented format (see README, "redline diff").
struct RedlineJSONFormat: RedlineRenderer {
    static let format = "redline-diff/1"

    struct Document: Encodable {
        struct Stats: Encodable {
            let inserted: Int, deleted: Int, sectionsChanged: Int, coarse: Bool
        }
        let format: String
        let stats: Stats
        let frontMatter: [FieldChange]
        let sections: [Section]
        let ops: [TextOp]
    }

    /// A section as the manifest and `changes.json` summarise it, with its heading level and
    /// without a link: two files compared have no page to link to.
    struct Section: Encodable {
        let summary: Manifest.ChangedSection
        let level: Int

        init(_ change: SectionChange) {
            summary = Manifest.ChangedSection(change, url: "")
            level = change.level
        }

        private enum LevelKey: String, CodingKey { case level }

        func encode(to encoder: any Encoder) throws {
            try summary.encodeSummary(to: encoder)
            var container = encoder.container(keyedBy: LevelKey.self)
            try container.encode(level, forKey: .level)
        }
    }

    func render(_ input: RedlineInput) throws -> Data {
        let redline = input.redline
        let document = Document(
            format: Self.format,
            stats: .init(inserted: redline.inserted, deleted: redline.deleted,
                         sectionsChanged: redline.changedSections.count, coarse: redline.isCoarse),
            frontMatter: input.frontMatter,
            sections: redline.sections.map(Section.init),
            ops: redline.ops)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(document) + Data("\n".utf8)
    }
}

extension Manifest.ChangedSection {
    /// The one summary of a changed section, made from the engine's: the manifest,
    /// `changes.json` and `redline diff --format json` all say what this says.
    public init(_ change: SectionChange, url: String) {
        self.init(heading: change.heading, previousHeading: change.previousHeading, status: change.status,
                  inserted: change.inserted, deleted: change.deleted, url: url)
    }
}
