import Foundation
import RedlineMarkdown
@testable import RedlineSite
import Testing

/// Build-time highlighting with the real Pygments (installed by `make test`), and code tabs.
@Suite(.serialized) struct CodeHighlightingTests {
    static let highlighter: PygmentsHighlighter = {
        let (highlighter, problem) = PygmentsHighlighter.launch().ready()
        guard let highlighter else { fatalError("Pygments is needed for these tests: \(problem ?? "?")") }
        return highlighter
    }()

    var renderer: MarkdownRenderer { MarkdownRenderer(highlighter: Self.highlighter) }

    /// A snippet of one language and tokens the highlighter must mark with their kind's class.
    struct Sample: Sendable, CustomTestStringConvertible {
        let language: String
        let code: String
        let tokens: [Token]
        var testDescription: String { language }
    }

    struct Token: Sendable {
        let kind: String
        let text: String
        init(_ kind: String, _ text: String) { self.kind = kind; self.text = text }
    }

    static let samples: [Sample] = [
        Sample(language: "python", code: "def label(order):\n    return \"ok\"  # done\n",
               tokens: [Token("k", "def"), Token("nf", "label"), Token("s2", "&quot;ok&quot;"), Token("c1", "# done")]),
        Sample(language: "json", code: "{\"id\": \"shp_1\", \"weight\": 850, \"insured\": false}\n",
               tokens: [Token("nt", "&quot;id&quot;"), Token("s2", "&quot;shp_1&quot;"), Token("mi", "850"), Token("kc", "false")]),
        Sample(language: "yaml", code: "carrier: royalmail\nretries: 3\n",
               tokens: [Token("nt", "carrier"), Token("l l-Scalar l-Scalar-Plain", "royalmail")]),
        Sample(language: "bash", code: "export KEY=\"$PB_KEY\" # secret\n",
               tokens: [Token("nb", "export"), Token("nv", "KEY"), Token("c1", "# secret")]),
        Sample(language: "http", code: "POST /v2/shipments HTTP/1.1\nHost: api.example\n",
               tokens: [Token("nf", "POST"), Token("nn", "/v2/shipments"), Token("na", "Host")]),
        Sample(language: "javascript", code: "const r = await fetch(url); // go\n",
               tokens: [Token("kd", "const"), Token("k", "await"), Token("c1", "// go")]),
        Sample(language: "typescript", code: "interface Parcel { weight: number }\n",
               tokens: [Token("kd", "interface"), Token("kt", "number")]),
        Sample(language: "go", code: "func main() { fmt.Println(\"hi\") }\n",
               tokens: [Token("kd", "func"), Token("s", "&quot;hi&quot;")]),
        Sample(language: "java", code: "public class Label { int weight = 850; }\n",
               tokens: [Token("kd", "public"), Token("kt", "int"), Token("mi", "850")]),
        Sample(language: "ruby", code: "def label\n  :ok\nend\n",
               tokens: [Token("k", "def"), Token("ss", ":ok")]),
        Sample(language: "php", code: "<?php $weight = 850; ?>\n",
               tokens: [Token("nv", "$weight"), Token("mi", "850")]),
        Sample(language: "swift", code: "let weight: Int = 850\n",
               tokens: [Token("kd", "let"), Token("nb", "Int"), Token("mi", "850")]),
        Sample(language: "csharp", code: "var label = new Label();\n",
               tokens: [Token("kt", "var"), Token("k", "new")]),
        Sample(language: "kotlin", code: "val weight: Int = 850\n",
               tokens: [Token("kd", "val"), Token("kt", "Int"), Token("m", "850")]),
    ]

    @Test(arguments: samples)
    func tokensGetTheirKindsClass(sample: Sample) {
        let html = renderer.render("```\(sample.language)\n\(sample.code)```\n").html
        #expect(html.hasPrefix("<pre><code class=\"language-\(sample.language)\">"), "\(html)")
        for token in sample.tokens {
            #expect(html.contains("<span class=\"\(token.kind)\">\(token.text)</span>"), "\(sample.language): expected \(token.kind) around \(token.text) in \(html)")
        }
    }

    @Test func codeStaysEscapedAndUnknownLanguagesAreReportedWithTheirLine() {
        let rendered = renderer.render("Intro.\n\n```pyhton\nprint(1)\n```\n\n```html\n</code><script>alert(1)</script>\n```\n\n```text\nplain\n```\n")
        #expect(rendered.unknownCodeLanguages == [UnknownCodeLanguage(language: "pyhton", line: 3)])
        #expect(rendered.html.contains("<pre><code class=\"language-pyhton\">print(1)\n</code></pre>"), "\(rendered.html)")
        #expect(!rendered.html.contains("<script") && rendered.html.components(separatedBy: "</code>").count == 4, "\(rendered.html)")
        #expect(rendered.html.contains("<pre><code class=\"language-text\">plain\n</code></pre>"))
        #expect(MarkdownRenderer().render("```pyhton\nx\n```\n").unknownCodeLanguages.isEmpty, "without a highlighter nothing is known or unknown")
    }

    @Test func consecutiveTabBlocksBecomeOneGroupUnderTheirLabels() {
        let markdown = """
        ```bash tab="curl"
        curl -X POST https://api.example/v2/shipments
        ```

        ```python tab
        requests.post(url)
        ```
        ```go tab=Go
        http.Post(url)
        ```

        Between.

        ```http
        POST /v2/shipments HTTP/1.1
        ```

        ```json
        {"id": 1}
        ```

        """
        let rendered = renderer.render(markdown)
        let html = rendered.html
        #expect(rendered.hasCodeTabs)
        #expect(html.components(separatedBy: "<div class=\"code-tabs\">").count == 2, "one group: \(html)")
        let group = String(html[html.range(of: "<div class=\"code-tabs\">")!.lowerBound..<html.range(of: "</div>")!.upperBound])
        for label in ["curl", "Python", "Go"] {
            #expect(group.contains("<figure class=\"code-tab\" data-tab=\"\(label)\">\n<figcaption class=\"code-tab-label\">\(label)</figcaption>"), "\(label) in \(group)")
        }
        #expect(group.contains("<span class=\"n\">requests</span>"), "tabs are highlighted too")
        #expect(!group.contains("language-http") && !group.contains("language-json"), "blocks without `tab` stay out of the group")
        #expect(!renderer.render("```http\nGET / HTTP/1.1\n```\n```json\n{}\n```\n").hasCodeTabs)
    }
}
