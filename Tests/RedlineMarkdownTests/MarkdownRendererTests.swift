import Foundation
import Testing
@testable import RedlineMarkdown

@Suite struct MarkdownRendererTests {
    let renderer = MarkdownRenderer()

    @Test func cutsThePlainTextAtEveryHeading() {
        let rendered = renderer.render("Intro *here*.\n\n## Retention\n\nWe keep logs.\n\n### Backups\n\n- thirty days\n\n## Contact\n")
        #expect(rendered.sections.map(\.heading?.anchor) == [nil, "retention", "backups", "contact"])
        #expect(rendered.sections.map(\.text) == ["Intro here.\n", "We keep logs.\n", "thirty days\n", ""])
        #expect(rendered.plainText == "Intro here.\nRetention\nWe keep logs.\nBackups\nthirty days\nContact\n")
    }

    @Test func rendersGFMTables() {
        let html = renderer.render("| Data | Kept |\n|---|---|\n| Logs | 90 days |\n").html
        #expect(html.contains("<table>"))
        #expect(html.contains("<th>Data</th>"))
        #expect(html.contains("<td>90 days</td>"))
    }

    @Test func rendersFootnotesWithBackReferences() {
        let html = renderer.render("Transfers rely on clauses[^scc].\n\n[^scc]: Decision 2021/914.\n").html
        #expect(html.contains("class=\"footnote-ref\""))
        #expect(html.contains("href=\"#fn-scc\""))
        #expect(html.contains("<section class=\"footnotes\""))
        #expect(html.contains("Decision 2021/914."))
    }

    @Test func rendersStrikethroughAutolinkAndTasklist() {
        let html = renderer.render("~~old~~ see https://example.com\n\n- [x] done\n- [ ] open\n").html
        #expect(html.contains("<del>old</del>"))
        #expect(html.contains("<a href=\"https://example.com\">https://example.com</a>"))
        #expect(html.contains("type=\"checkbox\""))
        #expect(html.contains("checked"))
    }

    @Test func dropsRawHTMLUnlessAllowed() {
        let markdown = "<div class=\"x\">hi</div>\n\nText <b>bold</b>\n"
        let safe = renderer.render(markdown).html
        #expect(!safe.contains("<div class=\"x\">"))
        #expect(!safe.contains("<b>"))
        let unsafe = MarkdownRenderer(allowRawHTML: true).render(markdown).html
        #expect(unsafe.contains("<div class=\"x\">"))
        #expect(unsafe.contains("<b>bold</b>"))
    }

    @Test func tagfilterDefusesScriptEvenWhenRawHTMLIsAllowed() {
        let html = MarkdownRenderer(allowRawHTML: true).render("<script>alert(1)</script>\n").html
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script>"))
    }

    @Test func headingsGetUniqueStableAnchors() {
        let rendered = renderer.render("## Sharing\n\ntext\n\n## Sharing\n\n## Who we are?\n\n### Données & *droits*\n")
        #expect(rendered.outline.map(\.anchor) == ["sharing", "sharing-1", "who-we-are", "données-droits"])
        #expect(rendered.outline.map(\.text) == ["Sharing", "Sharing", "Who we are?", "Données & droits"])
        #expect(rendered.html.contains("<h2 id=\"sharing\">"))
        #expect(rendered.html.contains("<h2 id=\"sharing-1\">"))
        #expect(rendered.html.contains("<h3 id=\"données-droits\">"))
    }

    @Test func anchorsAvoidIdsThePageAlreadyUses() {
        let rendered = renderer.render("## Main\n\n## Main\n", reservedAnchors: ["main"])
        #expect(rendered.outline.map(\.anchor) == ["main-1", "main-2"])
    }

    @Test func bodyLevelOneHeadingsAreShiftedBelowThePageTitle() {
        let rendered = renderer.render("# Policy\n\n## Scope\n")
        #expect(rendered.outline.map(\.level) == [2, 3])
        #expect(rendered.html.contains("<h2 id=\"policy\">"))
        #expect(!rendered.html.contains("<h1"))
    }

    @Test func linksPassThroughTheResolver() {
        let html = renderer.render("[a](errors.md) ![b](img.png) [c](https://x.test)", resolveLink: { "/base/" + $0 }).html
        #expect(html.contains("href=\"/base/errors.md\""))
        #expect(html.contains("src=\"/base/img.png\""))
        #expect(html.contains("href=\"/base/https://x.test\""))
    }

    @Test func plainTextKeepsWordsAndDropsMarkup() {
        let text = renderer.render("## Title\n\nSome **bold** and `code`.\n").plainText
        #expect(text.contains("Title"))
        #expect(text.contains("Some bold and code."))
        #expect(!text.contains("**"))
    }

    @Test func slugsFallBackWhenHeadingHasNoLetters() {
        #expect(AnchorSlugger.baseSlug("!!!") == "section")
        #expect(AnchorSlugger.baseSlug("  Retention -- Periods ") == "retention-periods")
    }
}

@Suite struct CalloutTests {
    let renderer = MarkdownRenderer()

    @Test(arguments: Callout.allCases)
    func everyAlertKindBecomesANamedAside(kind: Callout) {
        let rendered = renderer.render("> [!\(kind.rawValue.uppercased())]\n> Keys are shown **once**.\n> Keep them safe.\n")
        let title = kind.rawValue.prefix(1).uppercased() + kind.rawValue.dropFirst()
        #expect(rendered.html.hasPrefix("<aside class=\"callout callout-\(kind.rawValue)\" aria-label=\"\(title)\">\n<p class=\"callout-title\">\(title)</p>\n<p>Keys are shown <strong>once</strong>.\nKeep them safe.</p>\n</aside>"),
                "\(rendered.html)")
        #expect(!rendered.html.contains("[!") && !rendered.plainText.contains("[!"), "the marker is neither shown nor indexed")
        #expect(rendered.plainText.contains("Keys are shown once."))
        #expect(rendered.unknownCallouts.isEmpty)
    }

    @Test func markersAreCaseInsensitiveAndACalloutMayHoldSeveralBlocks() {
        let html = renderer.render("> [!Tip]\n>\n> First.\n>\n> - a list\n").html
        #expect(html.contains("<aside class=\"callout callout-tip\" aria-label=\"Tip\">"))
        #expect(html.contains("<p>First.</p>") && html.contains("<li>a list</li>") && html.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("</aside>"), "\(html)")
    }

    @Test func whatIsNotAnAlertStaysAQuoteAndAnUnknownKindIsReportedWithItsLine() {
        let rendered = renderer.render("Intro.\n\n> [!NOTE] with text on the line\n\n> plain quote\n\n> [!DANGER]\n> careful\n")
        #expect(rendered.html.components(separatedBy: "<blockquote>").count == 4, "\(rendered.html)")
        #expect(!rendered.html.contains("<aside"))
        #expect(rendered.unknownCallouts == [UnknownCallout(kind: "DANGER", line: 7)])
        #expect(renderer.html("> [!CAUTION]\n> x\n").hasPrefix("<aside class=\"callout callout-caution\""), "the HTML-only render too")
    }
}

@Suite struct CodeFenceTests {
    @Test(arguments: [
        ("python", "python", nil),
        ("python tab", "python", "Python"),
        ("js  tab=\"Node.js 20\" title=x", "js", "Node.js 20"),
        ("bash tab=curl", "bash", "curl"),
        ("cs tab=\"\"", "cs", "C#"),
        ("", "", nil),
    ] as [(String, String, String?)])
    func infoStringsNameTheLanguageAndTheTab(info: String, language: String, tab: String?) {
        let fence = CodeFence(info: info)
        #expect(fence.language == language)
        #expect(fence.tabLabel == tab)
    }
}
