import Testing
@testable import RedlineDiff

@Suite struct AlignmentTests {
    let base = """
    Intro paragraph.

    ## Information we collect

    We collect your email address and your name.

    ## Sharing

    We share data with carriers only.

    ## Retention

    We keep data for 13 months.

    """

    func statuses(_ redline: Redline) -> [String] {
        redline.sections.map { "\($0.heading):\($0.status.rawValue)" }
    }

    @Test func identicalTextsAreUnchanged() {
        let redline = RedlineDiffer.diff(old: base, new: base)
        #expect(redline.sections.allSatisfy { $0.status == .unchanged })
        #expect(redline.inserted == 0 && redline.deleted == 0)
        #expect(redline.ops == [TextOp(.equal, base)])
    }

    @Test func renamedHeadingWithSameBodyIsARename() {
        let new = base.replacingOccurrences(of: "## Sharing", with: "## Who we share information with")
        let redline = RedlineDiffer.diff(old: base, new: new)
        let section = redline.sections[2]
        #expect(section.status == .renamed)
        #expect(section.heading == "Who we share information with")
        #expect(section.previousHeading == "Sharing")
        #expect(statuses(redline).filter { !$0.hasSuffix(":unchanged") } == ["Who we share information with:renamed"])
    }

    @Test func movedSectionIsAMoveNotDeleteAndInsert() {
        let new = """
        Intro paragraph.

        ## Retention

        We keep data for 13 months.

        ## Information we collect

        We collect your email address and your name.

        ## Sharing

        We share data with carriers only.

        """
        let redline = RedlineDiffer.diff(old: base, new: new)
        #expect(statuses(redline) == [":unchanged", "Retention:moved", "Information we collect:unchanged", "Sharing:unchanged"])
        #expect(redline.inserted == 0 && redline.deleted == 0, "a move alone changes no words")
        #expect(redline.newText == new)
        #expect(redline.oldText == base)
    }

    @Test func addedAndRemovedSections() {
        let new = base.replacingOccurrences(of: "## Sharing\n\nWe share data with carriers only.\n\n", with: "")
            + "## Contact\n\nWrite to privacy@example.com.\n"
        let redline = RedlineDiffer.diff(old: base, new: new)
        #expect(statuses(redline) == [":unchanged", "Information we collect:unchanged", "Sharing:removed", "Retention:unchanged", "Contact:added"])
        let removed = redline.sections[2], added = redline.sections[4]
        #expect(removed.deleted == 7)   // Sharing We share data with carriers only
        #expect(added.inserted == 6)    // Contact Write to privacy example com
    }

    @Test func modifiedSectionCountsWords() {
        let new = base.replacingOccurrences(of: "13 months", with: "25 months after the label is created")
        let redline = RedlineDiffer.diff(old: base, new: new)
        let retention = redline.sections[3]
        #expect(retention.status == .modified)
        #expect(retention.deleted == 1)
        #expect(retention.inserted == 6)
        #expect(retention.bodyOps.contains(TextOp(.delete, "13")))
        #expect(retention.bodyOps.contains(TextOp(.insert, "25 months after the label is created")) ||
                retention.bodyOps.contains { $0.kind == .insert && $0.text.contains("25") })
    }

    @Test func listItemsAndTableRowsAreBlocks() {
        let old = "## Data\n\n| Data | Kept |\n|---|---|\n| Logs | 90 days |\n| Shipments | 13 months |\n\n- one\n- two\n- three\n"
        let new = "## Data\n\n| Data | Kept |\n|---|---|\n| Logs | 90 days |\n| Analytics | 14 months |\n| Shipments | 25 months |\n\n- one\n- three\n"
        let redline = RedlineDiffer.diff(old: old, new: new)
        let inserted = redline.sections[0].bodyOps.filter { $0.kind == .insert }.map(\.text).joined()
        let deleted = redline.sections[0].bodyOps.filter { $0.kind == .delete }.map(\.text).joined()
        #expect(inserted.contains("| Analytics | 14 months |\n"), "a new table row is inserted whole")
        #expect(deleted.contains("- two\n"), "a removed list item is deleted whole")
        #expect(!deleted.contains("Logs"), "untouched rows stay equal")
        #expect(redline.newText == new && redline.oldText == old)
    }

    @Test func headingsInsideFencedCodeDoNotStartSections() {
        let text = "## Real\n\n```\n# not a heading\n```\n"
        let redline = RedlineDiffer.diff(old: text, new: text + "More.\n")
        #expect(redline.sections.count == 1)
    }

    @Test func longestIncreasingSubsequence() {
        #expect(SectionAlignment.longestIncreasing([0, 3, 1, 2]) == [0, 2, 3])
        #expect(SectionAlignment.longestIncreasing([]) == [])
        #expect(SectionAlignment.longestIncreasing([2, 1, 0]).count == 1)
    }
}
