import Foundation
import Testing
import RedlineDiff
@testable import RedlineOutput

@Suite struct FormatTests {
    let old = "Intro.\n\n## Sharing\n\nWe share data with **carriers** only.\n\n## Retention\n\nWe keep data for 13 months.\n"
    let new = "Intro.\n\n## Who we share with\n\nWe share data with **carriers** only.\n\n## Retention\n\nWe keep data for 25 months.\n\n## Contact\n\nSee https://example.com/new-page for details.\n"

    @Test func jsonHasTheDocumentedShape() throws {
        let redline = RedlineDiffer.diff(old: old, new: new)
        let json = try rendered(redline, frontMatter: [FieldChange(field: "effective", old: "2026-01-01", new: "2026-06-01")], as: .json)
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        #expect(object["format"] as? String == "redline-diff/1")
        let stats = object["stats"] as! [String: Any]
        #expect(stats["inserted"] as? Int == redline.inserted)
        #expect(stats["deleted"] as? Int == 2)   // "Sharing" and "13"
        let sections = object["sections"] as! [[String: Any]]
        #expect(sections.map { $0["status"] as? String } == ["unchanged", "renamed", "modified", "added"])
        #expect(sections[1]["heading"] as? String == "Who we share with")
        #expect(sections[1]["previousHeading"] as? String == "Sharing")
        for section in sections { #expect(section["inserted"] is Int && section["deleted"] is Int) }
        let ops = object["ops"] as! [[String: Any]]
        #expect(ops.filter { $0["op"] as? String != "insert" }.map { $0["text"] as! String }.joined() == old)
        #expect(ops.filter { $0["op"] as? String != "delete" }.map { $0["text"] as! String }.joined() == new)
        #expect((object["frontMatter"] as! [[String: Any]])[0]["field"] as? String == "effective")
    }

    @Test func plainTextUsesGitStyleMarkers() throws {
        let text = try rendered(RedlineDiffer.diff(old: old, new: new), as: .text(colour: false))
        #expect(text.contains("@@ Retention @@ Changed: 1 word added, 1 word removed"))
        #expect(text.contains("We keep data for [-13-]{+25+} months."))
        #expect(text.contains("## [-Sharing-]{+Who we share with+}"))
        #expect(!text.contains("Intro."), "unchanged sections are left out")
        #expect(!text.contains("\u{1B}["))
        #expect(text.hasSuffix("3 sections changed: \(RedlineDiffer.diff(old: old, new: new).inserted) words inserted, 2 deleted\n"))
    }

    @Test func colourOnATerminal() throws {
        let text = try rendered(RedlineDiffer.diff(old: old, new: new), as: .text(colour: true))
        #expect(text.contains("\u{1B}[9;31m13\u{1B}[0m"))
        #expect(text.contains("\u{1B}[4;32m25\u{1B}[0m"))
    }

    @Test func markdownSummarisesAndMarksChanges() throws {
        let markdown = try rendered(RedlineDiffer.diff(old: old, new: new), as: .markdown)
        #expect(markdown.contains("| Retention | modified | 1 | 1 |"))
        #expect(markdown.contains("We keep data for <del>13</del><ins>25</ins> months."))
        #expect(markdown.contains("## <del>Sharing</del><ins>Who we share with</ins>"))
    }

    @Test func htmlMarksChangesInsideRenderedMarkdown() {
        let html = RedlineHTML(RedlineDiffer.diff(old: old, new: new)).html
        #expect(html.contains("<p>We keep data for <del>13</del><ins>25</ins> months.</p>"))
        #expect(html.contains("<strong>carriers</strong>"), "unchanged Markdown still renders")
        #expect(html.contains("<h2 id=\"who-we-share-with\"><del>Sharing</del><ins>Who we share with</ins></h2>"))
        #expect(html.contains("Renamed from “Sharing”"))
        #expect(html.contains("<section class=\"redline-section status-added\">"))
        #expect(RedlineHTML.isBalanced(html))
        #expect(!html.contains("\u{E000}") && !html.contains("%EE%80"))
    }

    @Test func changesInsideLinksNeverLandInAttributes() {
        let redline = RedlineDiffer.diff(old: "See https://example.com/old-page and [docs](a.md).\n",
                                         new: "See https://example.com/new-page and [the docs](b.md).\n")
        let html = RedlineHTML(redline).html
        #expect(RedlineHTML.isBalanced(html))
        #expect(!html.contains("href=\"https://example.com/<"))
        #expect(!html.contains("%EE%80"))
        #expect(html.contains("<ins>the </ins>docs") || html.contains("<ins>the</ins> docs"))
    }

    @Test func aWordOfTheTextIsNeverMatchedWithPartOfALink() {
        // "license" in the old sentence must not be taken as the "#license" of the new link,
        // where it would vanish from the redline a reader sees.
        let old = "You may use it under the terms of the Creative Commons license.\n"
        let new = "For details, see our [site-policy repository](https://example.com/site-policy#license).\n"
        let redline = RedlineDiffer.diff(old: old, new: new)
        #expect(redline.oldText == old && redline.newText == new)
        let html = RedlineHTML(redline).html
        #expect(html.contains("<del>") && html.contains("license"), "\(html)")
        #expect(html.contains("href=\"https://example.com/site-policy#license\""), "the new link is whole: \(html)")
        let shown = html.replacingOccurrences(of: #"<[^>]+>"#, with: "", options: .regularExpression)
        #expect(shown.contains("Creative Commons license"), "every old word is shown: \(shown)")
    }

    @Test func renumberedItemsStayListItemsAndPostcodesAreWords() {
        let old = "Steps:\n\n1. Sign in\n2. Open settings\n\nWrite to us:\n\n24161 Altenholz\n"
        let new = "Steps:\n\n1. Create an account\n2. Sign in\n3. Open settings\n\nWrite to us:\n\n"
        let html = RedlineHTML(RedlineDiffer.diff(old: old, new: new)).html
        #expect(html.components(separatedBy: "<li>").count - 1 == 3, "three items, none cut by a marked number: \(html)")
        #expect(!html.contains("<del>2</del>") && !html.contains("<ins>3</ins>"), "\(html)")
        #expect(html.contains("<del>24161") || html.contains("<del>24161 Altenholz"), "a deleted postcode is deleted text: \(html)")
    }

    @Test func listStructureSurvivesInsertedItems() {
        let html = RedlineHTML(RedlineDiffer.diff(old: "- one\n- two\n", new: "- one\n- one and a half\n- two\n")).html
        #expect(html.contains("<li><ins>one and a half</ins></li>"))
        #expect(html.components(separatedBy: "<li>").count == 4)
    }

    @Test func unbalancedMarkupFallsBackToPlainText() {
        #expect(!RedlineHTML.isBalanced("<p><ins>a</p></ins>"))
        #expect(RedlineHTML.plainRendering([TextOp(.equal, "a<"), TextOp(.insert, "b")]) == "<div class=\"redline-plain\">a&lt;<ins>b</ins></div>\n")
    }
}

/// Headings are text: each format escapes them once, its own way.
@Suite struct HeadingEscapingTests {
    let old = "## Cookies & tracking\n\nWe use cookies.\n\n## Other\n\nText.\n"
    let new = "## Cookies & tracking tools\n\nWe use cookies & <pixels>.\n\n## Other\n\nText.\n"

    @Test func anAmpersandInARenamedHeadingIsEscapedOnceInHTMLAndNotAtAllInText() throws {
        let redline = RedlineDiffer.diff(old: old, new: new)
        let text = try rendered(redline, as: .text(colour: false))
        #expect(text.contains("Renamed from \"Cookies & tracking\""), "\(text)")
        #expect(!text.contains("&amp;"))
        let note = SectionNote.text(for: redline.changedSections[0])
        #expect(note?.hasPrefix("Renamed from “Cookies & tracking”;") == true, "\(String(describing: note))")
        let markdown = try rendered(redline, as: .markdown)
        #expect(markdown.contains("| Cookies &amp; tracking tools |"), "\(markdown)")
        #expect(!markdown.contains("&amp;amp;"))
    }
}
