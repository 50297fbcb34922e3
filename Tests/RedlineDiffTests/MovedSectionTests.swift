import Foundation
import Testing
@testable import RedlineDiff
import RedlineOutput

/// Sections swapped, moved and reworded in every combination: each section's statuses and word
/// counts are its own, its view holds exactly its own text, and the HTML shows each struck or
/// inserted paragraph inside the section it belongs to (never in another section's heading).
@Suite struct MovedSectionTests {
    static let base = """
    Intro paragraph for the policy.

    ## Who we are

    Parcelbird Ltd runs a shipping API for online shops.

    ## Sharing

    We share recipient addresses with the carrier a shop picks.

    We never sell personal information to anyone.

    Hosting providers store data for us under contract.

    ## Retention

    We keep shipment records for twenty five months after delivery.

    ## Security

    API keys are stored only as salted hashes on our servers.

    ## Contact

    Write to privacy at parcelbird dot example.

    """

    /// Each section of the base text, by heading ("" for the intro).
    static func part(_ heading: String) -> String {
        let text = SectionedText(base)
        let section = text.sections.first { $0.title == heading }!
        return text.text(section.range)
    }

    /// The base text with its sections in this order, each as given (a rewording) or as it was.
    static func document(_ order: [String], _ replaced: [String: String] = [:]) -> String {
        ([""] + order).map { replaced[$0] ?? part($0) }.joined()
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let new: String
        /// Changed sections as "heading:status:+inserted-deleted", in reading order.
        let changed: [String]
        var testDescription: String { name }
    }

    static func edited(_ heading: String, _ old: String, _ new: String) -> String {
        part(heading).replacingOccurrences(of: old, with: new)
    }

    static let retentionReworded = edited("Retention", "twenty five months", "two years")
    static let retentionRenamed = edited("Retention", "## Retention", "## How long we keep data")
    static let sharingReworded = edited("Sharing", "never sell personal information", "do not sell or rent personal data")
    static let sharingRenamed = edited("Sharing", "## Sharing", "## Who we share data with")
    static let sharingShortened = edited("Sharing", "Hosting providers store data for us under contract.\n\n", "")
    static let sharingRewritten = edited("Sharing", "We never sell personal information to anyone.\n\n", "")
        .replacingOccurrences(of: "under contract.\n\n", with: "under contract.\n\nWe answer court orders only.\n\n")
    static let whoReworded = edited("Who we are", "a shipping API", "an API for postage and labels")
    static let securityReworded = edited("Security", "stored only as salted hashes", "kept only as salted and peppered hashes")
    /// Retention moved above Sharing: the diff keeps Sharing (more text) in place.
    static let retentionFirst = ["Who we are", "Retention", "Sharing", "Security", "Contact"]

    static let cases: [Case] = [
        Case(name: "moved only", new: document(retentionFirst), changed: ["Retention:moved:+0-0"]),
        Case(name: "moved and reworded", new: document(retentionFirst, ["Retention": retentionReworded]), changed: ["Retention:moved:+2-3"]),
        Case(name: "moved, the section left in place reworded", new: document(retentionFirst, ["Sharing": sharingReworded]),
             changed: ["Retention:moved:+0-0", "Sharing:modified:+5-2"]),
        Case(name: "both reworded", new: document(retentionFirst, ["Retention": retentionReworded, "Sharing": sharingReworded]),
             changed: ["Retention:moved:+2-3", "Sharing:modified:+5-2"]),
        Case(name: "moved with its heading renamed", new: document(retentionFirst, ["Retention": retentionRenamed]),
             changed: ["How long we keep data:moved:+5-1"]),
        Case(name: "moved, renamed and reworded", new: document(retentionFirst, ["Retention": edited("Retention", "## Retention", "## Keeping records")
                .replacingOccurrences(of: "twenty five months", with: "two years")]),
             changed: ["Keeping records:moved:+4-4"]),
        Case(name: "moved across a renamed heading", new: document(retentionFirst, ["Sharing": sharingRenamed]),
             changed: ["Retention:moved:+0-0", "Who we share data with:renamed:+5-1"]),
        Case(name: "moved across a renamed heading, both reworded",
             new: document(retentionFirst, ["Sharing": sharingRenamed.replacingOccurrences(of: "a shop picks", with: "the shop chose"),
                                            "Retention": retentionReworded]),
             changed: ["Retention:moved:+2-3", "Who we share data with:renamed:+7-3"]),
        Case(name: "first section moved to the end and reworded",
             new: document(["Sharing", "Retention", "Security", "Contact", "Who we are"], ["Who we are": whoReworded]),
             changed: ["Who we are:moved:+5-2"]),
        Case(name: "moved down with its last paragraph removed",
             new: document(["Who we are", "Retention", "Security", "Sharing", "Contact"], ["Sharing": sharingShortened]),
             changed: ["Sharing:moved:+0-8"]),
        Case(name: "moved down with a paragraph removed and one added",
             new: document(["Who we are", "Retention", "Security", "Sharing", "Contact"], ["Sharing": sharingRewritten]),
             changed: ["Sharing:moved:+5-7"]),
        Case(name: "two sections moved and reworded",
             new: document(["Security", "Who we are", "Sharing", "Contact", "Retention"], ["Security": securityReworded, "Retention": retentionReworded]),
             changed: ["Security:moved:+3-1", "Retention:moved:+2-3"]),
    ]

    @Test(arguments: cases) func sectionsAreAttributedWhereTheWordsWere(_ test: Case) {
        let old = Self.base, new = test.new
        let redline = RedlineDiffer.diff(old: old, new: new)
        #expect(redline.oldText == old && redline.newText == new, "the ops rebuild both texts")
        let changed = redline.changedSections.map { "\($0.heading):\($0.status.rawValue):+\($0.inserted)-\($0.deleted)" }
        #expect(changed == test.changed)
        // Each section's own view reads as its new text, and as the old text of the section it came from.
        let oldText = SectionedText(old), newText = SectionedText(new)
        for section in redline.sections {
            let newSide = section.ops.filter { $0.kind != .delete }.map(\.text).joined()
            let oldSide = section.ops.filter { $0.kind != .insert }.map(\.text).joined()
            #expect(newSide == (section.newIndex.map { newText.text(newText.sections[$0].range) } ?? ""), "\(section.heading)")
            #expect(oldSide == (section.oldIndex.map { oldText.text(oldText.sections[$0].range) } ?? ""), "\(section.heading)")
        }
        #expect(redline.inserted == redline.sections.reduce(0) { $0 + $1.inserted })
        checkPlacement(RedlineHTML(redline))
    }

    /// Marks only where the section changed, and a heading struck only when it was renamed.
    func checkPlacement(_ html: RedlineHTML) {
        for section in html.sections {
            let words = section.change.inserted + section.change.deleted
            let marked = section.html.contains("<del>") || section.html.contains("<ins>")
            #expect(marked == (words > 0), "\(section.change.heading): \(section.html)")
            let heading = section.html.components(separatedBy: "</h2>").first ?? ""
            #expect(!heading.contains("<del>") || section.change.previousHeading != nil, "\(section.html)")
        }
    }

    @Test func aStruckParagraphOfAMovedSectionIsShownInItsBody() {
        // The old Retention paragraph stood where Security's heading now starts: it is struck in Retention.
        let html = RedlineHTML(RedlineDiffer.diff(old: Self.base, new: Self.document(Self.retentionFirst, ["Retention": Self.retentionReworded])))
        let retention = html.sections.first { $0.change.heading == "Retention" }?.html ?? ""
        #expect(retention.contains("<h2 id=\"retention\">Retention</h2>"), "\(retention)")
        #expect(retention.contains("<p>We keep shipment records for <del>twenty five months</del><ins>two years</ins> after delivery.</p>"),
                "reworded words are marked in place: \(retention)")
        let security = html.sections.first { $0.change.heading == "Security" }
        #expect(security?.change.status == .unchanged)
        #expect(security?.html.contains("shipment records") == false, "\(security?.html ?? "")")
    }

    @Test func aMovedSectionCountsTheWordsItWouldHaveInPlace() {
        let reworded = ["Retention": Self.retentionReworded, "Security": Self.securityReworded]
        let inPlace = RedlineDiffer.diff(old: Self.base, new: Self.document(["Who we are", "Sharing", "Retention", "Security", "Contact"], reworded))
        let moved = RedlineDiffer.diff(old: Self.base, new: Self.document(["Security", "Who we are", "Sharing", "Contact", "Retention"], reworded))
        #expect((moved.inserted, moved.deleted) == (inPlace.inserted, inPlace.deleted))
        #expect((moved.inserted, moved.deleted) == (5, 4))
    }
}
