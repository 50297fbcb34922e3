import Foundation
import Testing
import RedlineDiff
@testable import RedlineOutput

/// Footnotes in a redline: each section is rendered on its own, while definitions sit at the end
/// of the document, in another section.
@Suite struct FootnoteTests {
    let old = """
    # Policy

    ## Transfers

    We rely on standard contractual clauses[^scc].

    ## Security

    We encrypt data at rest[^enc].

    ## Contact

    Write to us.

    [^scc]: Commission Decision 2021/914.
    [^enc]: AES-256 with keys held in a separate service.

    """

    func section(_ html: RedlineHTML, _ heading: String) -> String {
        html.sections.first { $0.change.heading == heading }?.html ?? ""
    }

    @Test func aReferenceInAnotherSectionRendersWithItsDefinition() {
        let new = old.replacingOccurrences(of: "clauses[^scc].", with: "clauses[^scc], which we sign with every carrier.")
        let html = RedlineHTML(RedlineDiffer.diff(old: old, new: new))
        let transfers = section(html, "Transfers")
        #expect(!transfers.contains("[^scc]"), "no raw reference: \(transfers)")
        #expect(transfers.contains("class=\"footnote-ref\""))
        #expect(transfers.contains("Commission Decision 2021/914."), "the definition is shown beneath: \(transfers)")
        #expect(RedlineHTML.isBalanced(html.html))
    }

    @Test func aChangedDefinitionIsRedlinedWhereItIsCitedAndWhereItIsWritten() {
        let new = old.replacingOccurrences(of: "Commission Decision", with: "Commission Implementing Decision")
        let redline = RedlineDiffer.diff(old: old, new: new)
        #expect(redline.inserted == 1 && redline.deleted == 0)
        let html = RedlineHTML(redline)
        #expect(section(html, "Transfers").contains("<li id=\"transfers-fn-scc\">\n<p>Commission <ins>Implementing </ins>Decision"),
                "\(section(html, "Transfers"))")
        let contact = section(html, "Contact")
        #expect(contact.contains("Footnote “scc”: Commission <ins>Implementing </ins>Decision"), "the section that counts the change shows it: \(contact)")
        #expect(!contact.contains("AES-256"), "an unchanged definition is not repeated where it is written")
    }

    @Test func anInsertedReferenceIsMarkedWholeAndStillResolves() {
        let new = old.replacingOccurrences(of: "at rest[^enc].", with: "at rest[^enc] and in transit[^tls].")
            .replacingOccurrences(of: "[^enc]: AES", with: "[^tls]: TLS 1.3 only.\n[^enc]: AES")
        let html = RedlineHTML(RedlineDiffer.diff(old: old, new: new))
        let security = section(html, "Security")
        #expect(security.contains("<ins><sup class=\"footnote-ref\"><a href=\"#security-fn-tls\""), "\(security)")
        #expect(security.contains("TLS 1.3 only."))
        #expect(!security.contains("redline-plain"), "rendered as Markdown, not the plain fallback")
    }

    @Test func aDeletedReferenceAndDefinitionStayVisibleAsDeletions() {
        let new = old.replacingOccurrences(of: "at rest[^enc].", with: "at rest.")
            .replacingOccurrences(of: "[^enc]: AES-256 with keys held in a separate service.\n", with: "")
        let html = RedlineHTML(RedlineDiffer.diff(old: old, new: new))
        let security = section(html, "Security")
        #expect(security.contains("<del><sup class=\"footnote-ref\">"), "\(security)")
        #expect(security.contains("AES-256 with keys held in a separate service.</del>"), "\(security)")
    }

    @Test func twoSectionsCitingOneNoteGetIDsOfTheirOwn() {
        let new = old.replacingOccurrences(of: "at rest[^enc].", with: "at rest[^enc], under the clauses[^scc].")
            .replacingOccurrences(of: "clauses[^scc].", with: "clauses[^scc] too.")
        let html = RedlineHTML(RedlineDiffer.diff(old: old, new: new)).html
        let ids = html.components(separatedBy: "id=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(Set(ids).count == ids.count, "duplicate ids: \(ids)")
        #expect(ids.contains("transfers-fn-scc") && ids.contains("security-fn-scc"))
        for href in html.components(separatedBy: "href=\"#").dropFirst().map({ String($0.prefix { $0 != "\"" }) }) {
            #expect(ids.contains(Substring(href)), "a footnote link with no target: #\(href)")
        }
    }

    @Test func definitionsAndReferencesAreFound() {
        let text = "Text[^a] and [^b-2].\n\n[^a]: First\n    continued.\n\n    Second paragraph.\n[^b-2]: Other.\n\nAfter."
        #expect(Footnotes.references(in: text) == ["a", "b-2"])
        let definitions = Footnotes.definitions(in: text)
        #expect(definitions["a"] == "[^a]: First\n    continued.\n\n    Second paragraph.")
        #expect(definitions["b-2"] == "[^b-2]: Other.")
        #expect(Footnotes.references(in: "a [^not a label] b [^] c") == [])
    }
}
