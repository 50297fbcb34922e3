import Foundation
import RedlineDiff
import Testing
import ZIPFoundation
@testable import RedlineOutput

/// The Word redline's package, read back with ZIPFoundation. (pandoc and LibreOffice read it
/// in the end-to-end suite: tests/e2e/test_redline_documents.py.)
@Suite struct WordRedlineTests {
    static let old = """
    # Privacy Policy

    ## What we collect

    We collect your name and address.

    - Shipping labels
    - Invoices

    | Processor | Purpose |
    |---|---|
    | Stripe | Payments |

    ## Contact

    Write to [our team](https://example.com/contact) at any time[^post].

    An old paragraph we no longer need.

    [^post]: By post to our office.

    """

    static let new = """
    # Privacy Policy

    ## What we collect and why

    We collect your name, address and phone number.

    - Shipping labels
    - Tracking events
    - Invoices

    | Processor | Purpose |
    |---|---|
    | Stripe | Payments |
    | Postmark | E-mail |

    ## Contact

    Write to [our team](https://example.com/contact) at any time[^post].

    [^post]: By post or e-mail to our office.

    """

    static func input(_ redline: Redline) -> RedlineInput {
        RedlineInput(redline, title: "Privacy Policy", oldLabel: "2026-06-01", newLabel: "2027-03-01",
                     author: "Legal & Co", date: Date(timeIntervalSince1970: 1_795_000_000), paper: .letter)
    }

    func parts(_ old: String = old, _ new: String = new, input: (Redline) -> RedlineInput = input) throws -> [String: String] {
        let data = try RedlineOutput.render(input(RedlineDiffer.diff(old: old, new: new)), as: .docx)
        let archive = try Archive(data: data, accessMode: .read)
        var parts: [String: String] = [:]
        for entry in archive {
            var bytes = Data()
            _ = try archive.extract(entry) { bytes.append($0) }
            parts[entry.path] = String(decoding: bytes, as: UTF8.self)
        }
        return parts
    }

    @Test func thePackageHasEveryPartItsRelationshipsName() throws {
        let parts = try parts()
        #expect(parts.keys.sorted().first == "[Content_Types].xml")
        let relationships = try #require(parts["word/_rels/document.xml.rels"])
        for target in ["styles.xml", "numbering.xml", "settings.xml", "footnotes.xml", "header1.xml", "footer1.xml"] {
            #expect(relationships.contains("Target=\"\(target)\""))
            #expect(parts["word/\(target)"] != nil, "missing word/\(target)")
            #expect(parts["[Content_Types].xml"]!.contains("PartName=\"/word/\(target)\""))
        }
        #expect(relationships.contains("Target=\"https://example.com/contact\" TargetMode=\"External\""))
    }

    @Test func changesAreTrackedWithTheAuthorAndDate() throws {
        let document = try #require(try parts()["word/document.xml"])
        #expect(document.contains("w:author=\"Legal &amp; Co\" w:date=\"2026-11-18T11:06:40Z\""))
        #expect(document.contains("<w:delText xml:space=\"preserve\">An old paragraph we no longer need.</w:delText>"))
        #expect(document.contains("<w:t xml:space=\"preserve\">phone number</w:t>") || document.contains("phone number"))
        // Revision ids are unique.
        let ids = document.components(separatedBy: "<w:ins w:id=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
            + document.components(separatedBy: "<w:del w:id=\"").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(!ids.isEmpty && Set(ids).count == ids.count)
        // The wholly deleted paragraph's mark is deleted too, so rejecting nothing leaves no empty line.
        #expect(document.contains("<w:pPr><w:rPr><w:del "))
    }

    @Test func headingsListsAndTablesAreWordsOwn() throws {
        let parts = try parts()
        let document = try #require(parts["word/document.xml"])
        #expect(document.contains("<w:pStyle w:val=\"Heading1\"/>") && document.contains("<w:pStyle w:val=\"Heading2\"/>"))
        #expect(parts["word/styles.xml"]!.contains("<w:name w:val=\"heading 2\"/>"))
        #expect(document.components(separatedBy: "<w:numId w:val=\"1\"/>").count - 1 == 3, "three bullet items")
        #expect(document.contains("<w:tbl>") && document.contains("<w:tblHeader/>"))
        // The added row is an inserted row.
        #expect(document.contains("<w:trPr><w:ins "))
        #expect(document.contains("<w:pgSz w:w=\"12240\" w:h=\"15840\"/>"), "letter paper")
    }

    @Test func footnotesAreWordFootnotesWithTheirChangesTracked() throws {
        let parts = try parts()
        #expect(parts["word/document.xml"]!.contains("<w:footnoteReference w:id=\"1\"/>"))
        let notes = try #require(parts["word/footnotes.xml"])
        #expect(notes.contains("<w:footnote w:id=\"1\">"))
        #expect(notes.contains("<w:ins ") && notes.contains("e-mail"), "\(notes)")
    }

    @Test func linksAndListsInFootnotesGetIdsOfTheirOwn() throws {
        let old = "Text[^a] and [one](https://one.example).\n\n1. first\n\n[^a]: See [two](https://two.example):\n\n    1. a\n    2. b\n"
        let new = old.replacingOccurrences(of: "Text", with: "New text")
        let parts = try parts(old, new)
        let relationships = try #require(parts["word/_rels/document.xml.rels"])
        let ids = relationships.components(separatedBy: "Id=\"rIdLink").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(ids.count == 2 && Set(ids).count == 2, "\(relationships)")
        let numbering = try #require(parts["word/numbering.xml"])
        #expect(numbering.contains("<w:num w:numId=\"2\">") && numbering.contains("<w:num w:numId=\"3\">"))
    }

    @Test func theFirstPageSaysWhatChanged() throws {
        let document = try #require(try parts()["word/document.xml"])
        #expect(document.contains(">Privacy Policy</w:t>"))
        #expect(document.contains("Redline: 2026-06-01 → 2027-03-01"))
        #expect(document.contains("Prepared by Legal &amp; Co on 2026-11-18."))
        #expect(document.contains(">What we collect and why</w:t>") && document.contains("Renamed from “What we collect”"))
        let footer = try #require(try parts()["word/footer1.xml"])
        #expect(footer.contains(" PAGE ") && footer.contains(" NUMPAGES "))
    }

    @Test func textThatXMLForbidsIsDroppedAndMarkupEscaped() throws {
        let parts = try parts("Plain.\n", "Plain: a < b & \"c\" \u{01} text <b>bold</b>.\n")
        let document = try #require(parts["word/document.xml"])
        #expect(document.contains(">&lt;</w:t>") && document.contains(" b &amp; &quot;c&quot;"))
        #expect(!document.contains("&lt;b&gt;"), "an inline tag is markup, not text")
        #expect(!document.contains("\u{01}"))
    }
}
