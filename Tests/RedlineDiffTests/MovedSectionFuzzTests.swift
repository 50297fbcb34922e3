import Testing
@testable import RedlineDiff
import RedlineOutput

/// Random policies whose sections are moved, renamed, reworded, shortened and lengthened: every
/// word of the old text is shown once, in some section's view; a heading is struck only in a
/// section that was renamed (or merged, or removed).
@Suite struct MovedSectionFuzzTests {
    static let vocabulary = ["data", "we", "share", "the", "carrier", "retention", "months", "consent", "policy", "your", "rights",
                             "keys", "hash", "court", "order", "shop", "label", "parcel", "address", "contract", "vendor", "cookie"]

    typealias Section = (heading: String, paragraphs: [String])

    static func sentence(_ rng: inout ExactnessTests.SplitMix) -> String {
        (0..<Int.random(in: 4...14, using: &rng)).map { _ in vocabulary.randomElement(using: &rng)! }.joined(separator: " ") + "."
    }

    static func render(_ sections: [Section]) -> String {
        "Intro text here.\n\n" + sections.map { "## \($0.heading)\n\n" + $0.paragraphs.map { $0 + "\n\n" }.joined() }.joined()
    }

    /// One to three edits, at least one of them likely a move.
    static func edit(_ sections: inout [Section], _ rng: inout ExactnessTests.SplitMix) {
        for _ in 0..<Int.random(in: 1...3, using: &rng) {
            let index = Int.random(in: 0..<sections.count, using: &rng)
            switch Int.random(in: 0...5, using: &rng) {
            case 0, 1:
                let section = sections.remove(at: index)
                sections.insert(section, at: Int.random(in: 0...sections.count, using: &rng))
            case 2:
                let paragraph = Int.random(in: 0..<sections[index].paragraphs.count, using: &rng)
                var words = sections[index].paragraphs[paragraph].split(separator: " ").map(String.init)
                words[Int.random(in: 0..<words.count, using: &rng)] = vocabulary.randomElement(using: &rng)!
                sections[index].paragraphs[paragraph] = words.joined(separator: " ")
            case 3: sections[index].heading = "Renamed " + vocabulary.randomElement(using: &rng)!
            case 4 where sections[index].paragraphs.count > 1:
                sections[index].paragraphs.remove(at: Int.random(in: 0..<sections[index].paragraphs.count, using: &rng))
            default: sections[index].paragraphs.insert(sentence(&rng), at: Int.random(in: 0...sections[index].paragraphs.count, using: &rng))
            }
        }
    }

    @Test(arguments: 0..<300)
    func everyOldWordIsShownOnceAndHeadingsAreStruckOnlyWhenRenamed(seed: Int) {
        var rng = ExactnessTests.SplitMix(state: UInt64(seed))
        var sections: [Section] = (0..<Int.random(in: 2...7, using: &rng)).map { index in
            ("Heading \(index) " + Self.vocabulary.randomElement(using: &rng)!, (0..<Int.random(in: 1...4, using: &rng)).map { _ in Self.sentence(&rng) })
        }
        let old = Self.render(sections)
        Self.edit(&sections, &rng)
        let new = Self.render(sections)
        let redline = RedlineDiffer.diff(old: old, new: new)
        #expect(redline.oldText == old && redline.newText == new, "seed \(seed)")
        #expect(redline.sections.map { $0.ops.filter { $0.kind != .delete }.map(\.text).joined() }.joined() == new, "seed \(seed)")
        // Each section's old side, read in order, holds whole words of the old text.
        let shown = redline.sections.reduce(0) { $0 + Redline.words($1.ops.filter { $0.kind != .insert }.map(\.text).joined()) }
        #expect(shown == Redline.words(old), "seed \(seed)")
        for section in RedlineHTML(redline).sections where section.change.previousHeading == nil {
            let heading = section.html.components(separatedBy: "</h2>").first ?? ""
            let struckHeading = [.removed, .merged].contains(section.change.status)
            #expect(!heading.contains("<del>") || struckHeading, "seed \(seed): \(section.html)")
        }
    }
}
