import Testing
import Yams
@testable import RedlineSite

/// A twin's front matter is YAML whatever a title holds, and its body has exactly one H1.
@Suite struct MarkdownTwinTests {
    @Test func frontMatterSurvivesAnyTitleAndReadsBackAsYAML() throws {
        let title = "Terms: \"quoted\", back\\slash,\nnew line, tab\t, # hash, - dash, \u{7}bell, <meta http-equiv=refresh> & co"
        let twin = MarkdownTwin(fields: [("title", .text(title)), ("material", .flag(true)), ("summary", nil), ("sha256", .text("ab"))],
                                title: title, body: "Text.\n")
        let parts = twin.text.components(separatedBy: "---\n")
        let fields = try #require(try Yams.load(yaml: parts[1]) as? [String: Any])
        #expect(fields["title"] as? String == title)
        #expect(fields["material"] as? Bool == true)
        #expect(fields["summary"] == nil)
        #expect(fields.count == 3)
        #expect(!twin.text.contains("<meta"), "no HTML a renderer could obey, in the front matter or the heading")
    }

    @Test func theTitleIsTheOneH1() {
        let without = MarkdownTwin(fields: [], title: "Privacy", body: "\n\nIntro.\n").text
        #expect(without == "---\n---\n\n# Privacy\n\nIntro.\n")
        let with = MarkdownTwin(fields: [], title: "Privacy", body: "# Privacy Policy\n\nIntro.").text
        #expect(with == "---\n---\n\n# Privacy Policy\n\nIntro.\n")
    }
}
