import Testing
@testable import RedlineMarkdown

/// The tree other writers than HTML read: the same parse as the site's pages.
@Suite struct MarkdownTreeTests {
    @Test func blocksAndInlinesAsCmarkParsesThem() {
        let blocks = MarkdownTree.parse("""
        ## Who *we* are

        Text with a [link](https://example.com) and a note[^n].

        1. first
        2. second

        | A | B |
        |---|---|
        | 1 | 2 |

        [^n]: The note.
        """)
        #expect(blocks.count == 5, "\(blocks)")
        #expect(blocks[0] == .heading(level: 2, [.text("Who "), .emphasis([.text("we")]), .text(" are")]))
        #expect(blocks[1] == .paragraph([.text("Text with a "), .link(destination: "https://example.com", [.text("link")]),
                                         .text(" and a note"), .footnoteReference("1"), .text(".")]))
        #expect(blocks[2] == .list(ordered: true, start: 1, items: [[.paragraph([.text("first")])], [.paragraph([.text("second")])]]))
        #expect(blocks[3] == .table(header: [[.text("A")], [.text("B")]], rows: [[[.text("1")], [.text("2")]]]))
        #expect(blocks[4] == .footnote(label: "1", [.paragraph([.text("The note.")])]))
    }
}
