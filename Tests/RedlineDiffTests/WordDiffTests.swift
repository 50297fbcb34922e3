import Testing
@testable import RedlineDiff

@Suite struct WordDiffTests {
    @Test func tokensCoverTheTextExactly() {
        let text = "Don't share e-mail: ünïcode words, 42 numbers!\n\tTabs  too."
        let bytes = Array(text.utf8)
        let tokens = Tokenizer.tokenize(bytes, 0..<bytes.count, table: TokenTable())
        #expect(tokens.map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) }.joined() == text)
        #expect(tokens.filter { $0.kind == .word }.count == 11)
        #expect(Tokenizer.wordCount(bytes, 0..<bytes.count) == 11)
    }

    @Test func equalTokensShareAnID() {
        let table = TokenTable()
        let a = Array("data and data".utf8)
        let tokens = Tokenizer.tokenize(a, 0..<a.count, table: table)
        #expect(tokens[0].id == tokens[4].id)
        #expect(tokens[0].id != tokens[2].id)
    }

    @Test func myersFindsTheShortestScript() throws {
        let runs = try #require(SequenceDiff.diff([1, 2, 3, 4, 5], [1, 9, 3, 4, 6, 5]))
        let deleted = runs.filter { $0.kind == .delete }.map(\.range.count).reduce(0, +)
        let inserted = runs.filter { $0.kind == .insert }.map(\.range.count).reduce(0, +)
        #expect(deleted == 1 && inserted == 2)
    }

    @Test func myersGivesUpPastTheCap() {
        let a = (0..<500).map(Int32.init), b = (500..<1000).map(Int32.init)
        #expect(SequenceDiff.diff(a, b, maxCost: 100) == nil)
        #expect(SequenceDiff.diff(a, b, maxCost: 1000) != nil)
    }

    @Test func cleanupTurnsConfettiIntoPhrases() {
        // Without clean-up, the shared " the " and " of " would split the change into pieces.
        let ops = [TextOp(.equal, "We keep "), TextOp(.delete, "logs"), TextOp(.insert, "records"), TextOp(.equal, " "),
                   TextOp(.delete, "for"), TextOp(.insert, "until"), TextOp(.equal, " the "), TextOp(.delete, "end"),
                   TextOp(.insert, "close"), TextOp(.equal, " of the year.")]
        let cleaned = Cleanup.semantic(ops)
        #expect(cleaned == [TextOp(.equal, "We keep "), TextOp(.delete, "logs for the end"),
                            TextOp(.insert, "records until the close"), TextOp(.equal, " of the year.")])
    }

    @Test func cleanupKeepsLongEqualities() {
        let ops = [TextOp(.delete, "a"), TextOp(.insert, "b"), TextOp(.equal, " long shared middle "), TextOp(.delete, "c"), TextOp(.insert, "d")]
        #expect(Cleanup.semantic(ops) == ops)
    }

    @Test func wordDiffInsideAParagraph() {
        let old = "We keep shipment data for 13 months after the label is created.\n"
        let new = "We keep shipment data for 25 months after the label is created.\n"
        let ops = RedlineDiffer.diff(old: old, new: new).ops
        #expect(ops == [TextOp(.equal, "We keep shipment data for "), TextOp(.delete, "13"), TextOp(.insert, "25"),
                        TextOp(.equal, " months after the label is created.\n")])
    }

    @Test func unrelatedLargeDocumentsFallBackToBlocks() {
        var a = "", b = ""
        for i in 0..<2_000 {
            a += "Paragraph \(i) alpha beta gamma delta epsilon zeta eta theta.\n\n"
            b += "Absatz \(i * 7) eins zwei drei vier fünf sechs sieben acht.\n\n"
        }
        let redline = RedlineDiffer.diff(old: a, new: b)
        #expect(redline.oldText == a)
        #expect(redline.newText == b)
        #expect(redline.isCoarse)
    }
}
