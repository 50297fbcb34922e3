import Testing
@testable import RedlineDiff
import RedlineOutput

/// The ways real editors restructure a policy: the words that survive stay equal, and the
/// sections say what happened.
@Suite struct StructuralEditTests {
    let policy = """
    Intro text about this policy.

    ## How we share

    **With your consent.** We share data when you agree to it.

    **With service providers.** We share data with vendors who help us run the service.

    ## Retention

    We keep account data for six years after the account closes.

    """

    func changedWords(_ old: String, _ new: String) -> Int {
        let redline = RedlineDiffer.diff(old: old, new: new)
        #expect(redline.oldText == old && redline.newText == new, "the ops rebuild both texts")
        return redline.inserted + redline.deleted
    }

    @Test func boldLeadInsBecomingHeadingsChangeNoWords() {
        let new = policy.replacingOccurrences(of: "**With your consent.** ", with: "#### With your consent\n\n")
            .replacingOccurrences(of: "**With service providers.** ", with: "#### With service providers\n\n")
        #expect(changedWords(policy, new) == 0)
        let statuses = RedlineDiffer.diff(old: policy, new: new).sections.map { "\($0.heading):\($0.status.rawValue)" }
        #expect(statuses.contains("With your consent:split") && statuses.contains("With service providers:split"), "\(statuses)")
        #expect(statuses.contains("Retention:unchanged"))
    }

    @Test func aWrapperHeadingAboveEverythingIsARenameNotARewrite() {
        let new = "#### Privacy Policy\n\n" + policy
        #expect(changedWords(policy, new) == 2)
        let first = RedlineDiffer.diff(old: policy, new: new).sections[0]
        #expect(first.status == .renamed && first.heading == "Privacy Policy")
    }

    @Test func promotedAndDemotedHeadingsChangeNoWords() {
        let new = policy.replacingOccurrences(of: "## How we share", with: "# How we share")
            .replacingOccurrences(of: "## Retention", with: "### Retention")
        #expect(changedWords(policy, new) == 0)
    }

    @Test func listMarkerSpacingAndEmphasisStyleAreNotWording() {
        let old = "## Providers\n\n* [Alpha Cloud](https://a.example) hosts *everything*.\n* [Beta Mail](https://b.example) sends mail.\n"
        let new = "## Providers\n\n*   [Alpha Cloud](https://a.example) hosts _everything_.\n*   [Beta Mail](https://b.example) sends mail.\n"
        #expect(changedWords(old, new) == 0)
    }

    @Test func formattingOnlyEditsRenderInTheNewMarkupAndSaySo() {
        let old = "## Terms\n\nTitle\n=====\n\nSome *emphasis* and **bold lead** here.\n"
        let new = "## Terms\n\n# Title\n\nSome _emphasis_ and bold lead here.\n"
        #expect(changedWords(old, new) == 0)
        let html = RedlineHTML(RedlineDiffer.diff(old: old, new: new))
        let title = html.sections.first { $0.change.heading == "Title" }
        #expect(title?.html.contains("<h2 id=\"title\">Title</h2>") == true, "no underline, no #: \(title?.html ?? "")")
        #expect(title?.html.contains("<p>Some <em>emphasis</em> and bold lead here.</p>") == true, "\(title?.html ?? "")")
        #expect(title.map { SectionNote.text(for: $0.change) } == "Formatting changed; no words changed")
    }

    @Test func deletedCodeKeepsItsFenceAndItsStars() {
        let old = "## Example\n\n```\nlet total = a * b\n```\n\nText.\n"
        let new = "## Example\n\nText.\n"
        let html = RedlineHTML(RedlineDiffer.diff(old: old, new: new)).html
        #expect(html.contains("<pre><code>"), "\(html)")
        #expect(html.contains("a </del>*<del> b") || html.contains("a * b"), "the star stays: \(html)")
    }

    @Test func aBoldLeadInTurnedHeadingShowsAsAHeading() {
        let html = RedlineHTML(RedlineDiffer.diff(old: policy, new: policy.replacingOccurrences(of: "**With your consent.** ", with: "#### With your consent\n\n")))
        let section = html.sections.first { $0.change.heading == "With your consent" }?.html ?? ""
        #expect(section.contains(">With your consent<del>.</del></h4>") || section.contains(">With your consent<del>. </del></h4>"), "\(section)")
        #expect(!section.contains("**") && !section.contains("#"), "\(section)")
    }

    @Test func aListTurnedIntoATableKeepsItsWords() {
        let old = "## Processors\n\n- Alpha Cloud: hosting in Ireland\n- Beta Mail: e-mail in Germany\n"
        let new = "## Processors\n\n| Alpha Cloud | hosting in Ireland |\n|---|---|\n| Beta Mail | e-mail in Germany |\n"
        #expect(changedWords(old, new) == 0)
    }

    @Test func sectionsMergedIntoOne() {
        let old = "## Cookies\n\nWe use one cookie for your session.\n\n## Analytics\n\nWe count page views without cookies.\n"
        let new = "## Cookies and analytics\n\nWe use one cookie for your session.\n\nWe count page views without cookies.\n"
        let redline = RedlineDiffer.diff(old: old, new: new)
        #expect(redline.sections.map(\.status) == [.merged])
        #expect(redline.inserted + redline.deleted == 3)   // "and analytics" added to the heading, the "Analytics" heading gone
    }

    @Test func aGenuinelyRewrittenPassageStillShowsAsRewritten() {
        let new = policy.replacingOccurrences(of: "We keep account data for six years after the account closes.",
                                              with: "Account records are erased thirty days after you ask us to.")
        #expect(changedWords(policy, new) >= 15)
        #expect(RedlineDiffer.diff(old: policy, new: new).sections.first { $0.heading == "Retention" }?.status == .modified)
    }

    @Test func setextHeadingsAreSectionHeadings() {
        let old = "Privacy Policy\n==============\n\nIntro.\n\nSharing\n-------\n\nWe share nothing.\n\n---\n\nEnd.\n"
        let sections = SectionedText(old).sections
        #expect(sections.map(\.title) == ["Privacy Policy", "Sharing"])
        #expect(sections.map(\.level) == [1, 2])
        // ATX or underlined: the same heading, no words changed.
        let new = "# Privacy Policy\n\nIntro.\n\n## Sharing\n\nWe share nothing.\n\n---\n\nEnd.\n"
        #expect(changedWords(old, new) == 0)
        #expect(RedlineDiffer.diff(old: old, new: new).sections.allSatisfy { $0.status == .unchanged || $0.status == .modified })
    }
}
