import Testing
@testable import RedlineMarkdown

/// A page's Markdown twin: cmark writes the parsed text out again, links resolved, nothing lost.
@Suite struct CommonMarkTwinTests {
    let renderer = MarkdownRenderer()

    /// What the build does: the links of the page's own render, rewritten in its source.
    func twin(_ source: String, _ resolve: @escaping @Sendable (String) -> String) -> String {
        var resolved: [String: String] = [:]
        for link in renderer.render(source, resolveLink: resolve).links where link.destination != link.written {
            resolved[link.written] = link.destination
        }
        return MarkdownRenderer.rewritingLinks(in: source, resolved)
    }

    @Test func linksAreResolvedAndTheTextIsKept() {
        let source = """
            # Privacy Policy

            We keep your data for **30 days**. See [cookies](../cookies/) and ![a map](map.png "Where").

            > [!NOTE]
            > A note.

            | Data | Kept |
            |---|---|
            | Logs | 30 days |

            - [x] done
            - [ ] not done

            Text with a footnote.[^1]

            [^1]: The footnote.

            ```swift
            let x = 1
            ```
            """
        let resolve: @Sendable (String) -> String = { $0.hasPrefix("#") || $0.contains("://") ? $0 : "https://legal.example.com/privacy/" + $0 }
        let twin = twin(source, resolve)
        #expect(twin == source.replacingOccurrences(of: "(../cookies/)", with: "(https://legal.example.com/privacy/../cookies/)")
            .replacingOccurrences(of: "(map.png", with: "(https://legal.example.com/privacy/map.png"))
        // Read back, the twin renders to the same HTML as the source with the same links.
        #expect(renderer.html(twin) == renderer.html(source, resolveLink: resolve))
    }

    @Test func referenceDefinitionsAngleBracketsAndCodeAreHandledAsCmarkReadsThem() {
        let source = """
            See [the terms][t], [a page](<guides/a b.md> "T"), [same](../x/) and [again](../x/#part).

            [t]: ../terms/

            `[not](../x/)` in code stays, and so does a fence:

            ```md
            [no](../x/)
            ```
            """
        let resolve: @Sendable (String) -> String = { "https://h.example/" + $0 }
        let twin = twin(source, resolve)
        #expect(twin.contains("[t]: https://h.example/../terms/"))
        #expect(twin.contains("(<https://h.example/guides/a b.md> \"T\")"))
        #expect(twin.contains("[same](https://h.example/../x/) and [again](https://h.example/../x/#part)"))
        #expect(twin.contains("```md\n[no](../x/)\n```"))
        #expect(renderer.html(twin) == renderer.html(source, resolveLink: resolve))
    }
}
