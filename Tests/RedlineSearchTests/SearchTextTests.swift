import Testing
@testable import RedlineSearch

@Suite struct SearchTextTests {
    @Test func splitsAtEverythingButLettersAndDigitsAndLowerCases() {
        #expect(SearchText.words("Retention: 14 months (GDPR Art. 5(1)(e))") == ["retention", "14", "months", "gdpr", "art"])
    }

    @Test func foldsAccentsSoReadersNeedNotTypeThem() {
        #expect(SearchText.words("Données personnelles, Übermittlung") == ["donnees", "personnelles", "ubermittlung"])
        #expect(SearchText.words("ＡＰＩ ﬁle") == ["api", "file"], "compatibility forms: full-width letters, ligatures")
    }

    @Test func foldsFinalSigmaAsTheScriptDoes() {
        #expect(SearchText.words("ΟΡΟΣ όρος") == ["οροσ", "οροσ"])
    }

    @Test func dropsSingleCharactersAndCutsLongRuns() {
        #expect(SearchText.words("a b c 1 ok") == ["ok"])
        let long = String(repeating: "x", count: 40)
        #expect(SearchText.words(long) == [String(repeating: "x", count: SearchText.maximumLength)])
    }

    @Test func snippetsCollapseWhitespaceAndCutAtAWord() {
        #expect(SearchText.snippet("  We keep\n\nrecords   briefly. ") == "We keep records briefly.")
        let text = Array(repeating: "retention", count: 40).joined(separator: " ")
        let snippet = SearchText.snippet(text, limit: 50)
        #expect(snippet == Array(repeating: "retention", count: 5).joined(separator: " ") + "…")
    }
}

@Suite struct PostingListTests {
    @Test func rareTermsUseGapsAndCommonTermsABitmap() {
        #expect(PostingList.encode([3, 900]).first == "d")
        #expect(PostingList.encode(Array(0..<500)).first == "b")
        #expect(PostingList.encode([]) == "")
    }

    @Test func everyListRoundTrips() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let universe = Int.random(in: 1...5_000, using: &generator)
            let density = Double.random(in: 0.001...1, using: &generator)
            let ids = (0..<universe).filter { _ in Double.random(in: 0..<1, using: &generator) < density }
            #expect(PostingList.decode(PostingList.encode(ids)) == ids)
        }
    }

    @Test func aCommonTermCostsAtMostABitPerSectionPlusBase64() {
        let ids = Array(stride(from: 0, to: 100_000, by: 2))
        #expect(PostingList.encode(ids).utf8.count <= (100_000 / 8) * 4 / 3 + 5)
    }

    @Test func rejectsTextItCannotHaveWritten() {
        #expect(PostingList.decode("x AAAA") == nil)
        #expect(PostingList.decode("d!!") == nil)
        #expect(PostingList.decode("d" + "gA==") == nil, "a varint cut short")
    }
}
