import Foundation
import Testing
@testable import RedlineSearch

@Suite struct SearchIndexBuilderTests {
    func document(_ url: String, _ title: String, _ sections: [(String?, String)]) -> PreparedDocument {
        PreparedDocument(SearchDocument(url: url, title: title, label: "Policy", sections: sections.map { heading, text in
            .init(anchor: heading.map { $0.lowercased().replacingOccurrences(of: " ", with: "-") }, heading: heading, text: text)
        }))
    }

    func json(_ summary: SearchIndexBuilder.Summary, _ path: String) throws -> Any {
        let file = try #require(summary.files.first { $0.path == path })
        return try JSONSerialization.jsonObject(with: file.data)
    }

    /// Every term row of every shard, decoded, as the script would see them.
    func rows(_ summary: SearchIndexBuilder.Summary) throws -> [String: (body: [Int], heading: [Int])] {
        var rows: [String: (body: [Int], heading: [Int])] = [:]
        for file in summary.files where file.path.hasPrefix("terms/") {
            for row in try #require(try JSONSerialization.jsonObject(with: file.data) as? [[String]]) {
                rows[row[0]] = (try #require(PostingList.decode(row[1])), try #require(PostingList.decode(row[2])))
            }
        }
        return rows
    }

    @Test func postsEachTermToTheSectionsThatHoldIt() throws {
        let summary = try SearchIndexBuilder().build([
            document("/privacy/", "Privacy Policy", [(nil, "Who we are."), ("Retention", "We keep invoices for ten years."), ("Sharing", "Carriers get addresses.")]),
            document("/cookies/", "Cookie Policy", [(nil, ""), ("Analytics", "Counted visits, kept for fourteen months.")]),
        ])
        #expect(summary.pages == 2)
        #expect(summary.sections == 5)
        let rows = try rows(summary)
        #expect(rows["retention"]?.heading == [1])
        #expect(rows["retention"]?.body == [])
        #expect(rows["invoices"]?.body == [1])
        #expect(rows["privacy"]?.heading == [0], "the page title is the heading of the opening text")
        #expect(rows["kept"]?.body == [4])
        #expect(rows["cookie"]?.heading == [3])
    }

    @Test func shardsAreSortedAndMetaNamesTheFirstTermOfEach() throws {
        var builder = SearchIndexBuilder()
        builder.shardBytes = 64
        let words = (0..<200).map { "word\($0)" }.joined(separator: " ")
        let summary = try builder.build([document("/terms/", "Terms", [(nil, words)])])
        let meta = try #require(try json(summary, "meta.json") as? [String: Any])
        let starts = try #require(meta["shards"] as? [String])
        #expect(starts.count > 10)
        #expect(starts == starts.sorted())
        for (number, start) in starts.enumerated() {
            let shard = try #require(try json(summary, "terms/\(number).json") as? [[String]])
            #expect(shard.first?[0] == start)
            if number + 1 < starts.count { #expect(shard.allSatisfy { $0[0] < starts[number + 1] }) }
        }
        #expect(try rows(summary).count == summary.terms)
    }

    @Test func chunksNameEachPageOnceAndHoldTheirSectionsInOrder() throws {
        var builder = SearchIndexBuilder()
        builder.chunkSize = 2
        let summary = try builder.build([
            document("/a/", "A", [(nil, "one"), ("Two", "two"), ("Three", "three")]),
            document("/b/", "B", [(nil, "four")]),
        ])
        let first = try #require(try json(summary, "sections/0.json") as? [Any])
        #expect(first.count == 3, "page A, then its first two sections")
        #expect((first[0] as? [String: String])?["u"] == "/a/")
        #expect((first[2] as? [Any])?[1] as? String == "two")
        let second = try #require(try json(summary, "sections/1.json") as? [Any])
        #expect(second.count == 4, "chunk 1 names page A again, then page B")
        #expect((second[2] as? [String: String])?["u"] == "/b/")
        #expect((second[3] as? [Any])?[0] as? Int == 1)
        let meta = try #require(try json(summary, "meta.json") as? [String: Any])
        #expect(meta["chunks"] as? Int == 2)
    }

    @Test func metaGivesEachScopesSectionRanges() throws {
        let documents = [
            document("/privacy/", "Privacy", [(nil, "Intro."), ("Retention", "Ten years.")]),
            document("/docs/v2/", "API v2", [(nil, "Start."), ("Keys", "Bearer.")]),
            document("/docs/v2/errors/", "Errors", [(nil, "Problems.")]),
            document("/docs/v1/", "API v1", [(nil, "Old.")]),
            document("/docs/v2/late/", "Late", [(nil, "Listed after v1.")]),
        ]
        let summary = try SearchIndexBuilder().build(documents, scopes: [nil, "v2", "v2", "v1", "v2"])
        let meta = try #require(try json(summary, "meta.json") as? [String: Any])
        let scopes = try #require(meta["scopes"] as? [[String: Any]])
        #expect(scopes.map { $0["name"] as? String } == ["v2", "v1"])
        #expect(scopes[0]["ranges"] as? [[Int]] == [[2, 5], [6, 7]], "consecutive pages make one range; a later one starts another")
        #expect(scopes[1]["ranges"] as? [[Int]] == [[5, 6]])
        let unscoped = try #require(try json(try SearchIndexBuilder().build(documents), "meta.json") as? [String: Any])
        #expect(unscoped["scopes"] == nil)
    }

    @Test func theIdChangesWithTheContentOnly() throws {
        let one = try SearchIndexBuilder().build([document("/a/", "A", [(nil, "alpha")])])
        let same = try SearchIndexBuilder().build([document("/a/", "A", [(nil, "alpha")])])
        let other = try SearchIndexBuilder().build([document("/a/", "A", [(nil, "beta")])])
        let id = { (summary: SearchIndexBuilder.Summary) in (try self.json(summary, "meta.json") as? [String: Any])?["id"] as? String }
        #expect(try id(one) == id(same))
        #expect(try id(one) != id(other))
    }
}
