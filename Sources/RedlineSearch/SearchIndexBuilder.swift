import RedlineManifest
import Crypto
import Foundation

/// Writes the search index as small static files, so a search fetches only what it needs
/// (the model is Pagefind's: a tiny entry file, term shards, result fragments):
///
/// - `meta.json`: the first term of every term shard and the number of section chunks;
/// - `terms/<n>.json`: `[term, body postings, heading postings]` rows, sorted by term, so
///   a prefix typed by a reader maps to one or two shards;
/// - `sections/<n>.json`: the URL, title, heading and snippet of `chunkSize` consecutive
///   sections, fetched only for the results shown.
public struct SearchIndexBuilder: Sendable {
    public struct File: Sendable {
        /// Relative to the index folder.
        public let path: String
        public let data: Data
    }

    public struct Summary: Sendable {
        public let pages: Int
        public let sections: Int
        public let terms: Int
        public let files: [File]

        public var totalBytes: Int { files.reduce(0) { $0 + $1.data.count } }
    }

    public static let formatVersion = 1
    /// Sections per result chunk: results from one page are neighbours, so a page of results
    /// usually costs one or two chunks.
    public var chunkSize = 32
    /// A term shard is closed once it passes this many bytes.
    public var shardBytes = 16_384

    public init() {}

    /// `documents` in the order results should prefer when scores tie.
    /// - Parameter scopes: for each document, the part of the site a reader can limit a search
    ///   to (a docs version's name), or nil; `meta.json` lists each scope's section ids.
    public func build(_ documents: [PreparedDocument], scopes: [String?] = []) throws -> Summary {
        let sections = sectionsAndChunks(documents)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        let shards = try termShards(heading: sections.headingPostings, body: sections.bodyPostings, encoder: encoder)
        var files = shards.files
        for (number, chunk) in sections.chunks.enumerated() {
            files.append(File(path: "sections/\(number).json", data: try encoder.encode(chunk)))
        }
        // The id changes whenever any file does; the script adds it to every fetch so a
        // browser never mixes files of two builds.
        var hash = SHA256()
        for file in files {
            hash.update(data: Data(file.path.utf8))
            hash.update(data: file.data)
        }
        let id = Hex.encode(hash.finalize().prefix(8))
        let scopeRanges = Self.scopeRanges(documents, scopes: scopes)
        let meta = Meta(version: Self.formatVersion, id: id, pages: documents.count, sections: sections.count, chunkSize: chunkSize,
                        chunks: sections.chunks.count, shards: shards.starts,
                        scopes: scopeRanges.isEmpty ? nil : scopeRanges.map { Meta.Scope(name: $0.name, ranges: $0.ranges) })
        files.insert(File(path: "meta.json", data: try encoder.encode(meta)), at: 0)
        return Summary(pages: documents.count, sections: sections.count, terms: shards.terms, files: files)
    }

    /// Each scope's section ids, as [start, end) ranges: consecutive documents of one scope make one range.
    static func scopeRanges(_ documents: [PreparedDocument], scopes: [String?]) -> [(name: String, ranges: [[Int]])] {
        var scopeRanges: [(name: String, ranges: [[Int]])] = []
        var sectionCount = 0
        for (pageNumber, document) in documents.enumerated() {
            defer { sectionCount += document.sections.count }
            guard pageNumber < scopes.count, let scope = scopes[pageNumber], !document.sections.isEmpty else { continue }
            let start = sectionCount, end = sectionCount + document.sections.count
            if let index = scopeRanges.firstIndex(where: { $0.name == scope }) {
                if scopeRanges[index].ranges.last?.last == start {
                    scopeRanges[index].ranges[scopeRanges[index].ranges.count - 1][1] = end
                } else {
                    scopeRanges[index].ranges.append([start, end])
                }
            } else {
                scopeRanges.append((scope, [[start, end]]))
            }
        }
        return scopeRanges
    }

    /// Every section numbered in order, its terms' postings, and the sections in chunks of ``chunkSize``.
    private func sectionsAndChunks(_ documents: [PreparedDocument]) -> (count: Int, headingPostings: [String: [Int]], bodyPostings: [String: [Int]], chunks: [[Encoded]]) {
        var headingPostings: [String: [Int]] = [:]
        var bodyPostings: [String: [Int]] = [:]
        var chunks: [[Encoded]] = []
        var sectionCount = 0
        var chunkPages: [Int: Int] = [:]
        for (pageNumber, document) in documents.enumerated() {
            for section in document.sections {
                let id = sectionCount
                sectionCount += 1
                for term in section.headingTerms { headingPostings[term, default: []].append(id) }
                for term in section.bodyTerms { bodyPostings[term, default: []].append(id) }
                if id % chunkSize == 0 {
                    chunks.append([])
                    chunkPages = [:]
                }
                // Each chunk names its pages once; sections point at them by position.
                let pageSlot: Int
                if let slot = chunkPages[pageNumber] {
                    pageSlot = slot
                } else {
                    pageSlot = chunkPages.count
                    chunkPages[pageNumber] = pageSlot
                    chunks[chunks.count - 1].append(.page(url: document.url, title: document.title, label: document.label))
                }
                chunks[chunks.count - 1].append(.section(page: pageSlot, anchor: section.anchor, heading: section.heading, snippet: section.snippet))
            }
        }
        return (sectionCount, headingPostings, bodyPostings, chunks)
    }

    /// The terms in sorted shards of about ``shardBytes`` each, and the first term of each.
    private func termShards(heading: [String: [Int]], body: [String: [Int]], encoder: JSONEncoder) throws -> (files: [File], starts: [String], terms: Int) {
        var files: [File] = []
        var starts: [String] = []
        var rows: [[String]] = []
        var rowBytes = 0
        func closeShard() throws {
            guard !rows.isEmpty else { return }
            files.append(File(path: "terms/\(starts.count - 1).json", data: try encoder.encode(rows)))
            rows = []
            rowBytes = 0
        }
        // UTF-16 order, as JavaScript compares strings when it looks a prefix up in `shards`.
        let terms = Set(heading.keys).union(body.keys).sorted { $0.utf16.lexicographicallyPrecedes($1.utf16) }
        for term in terms {
            if rows.isEmpty { starts.append(term) }
            let row = [term, PostingList.encode(body[term] ?? []), PostingList.encode(heading[term] ?? [])]
            rows.append(row)
            rowBytes += row.reduce(8) { $0 + $1.utf8.count }
            if rowBytes >= shardBytes { try closeShard() }
        }
        try closeShard()
        return (files, starts, terms.count)
    }

    struct Meta: Encodable {
        let version: Int
        let id: String
        let pages: Int
        let sections: Int
        let chunkSize: Int
        let chunks: Int
        /// The first term of each shard; shard n holds the terms from shards[n] up to shards[n + 1].
        let shards: [String]
        /// Each scope's section ids, as half-open ranges `[from, to]`; absent when no document has one.
        let scopes: [Scope]?

        struct Scope: Encodable {
            let name: String
            let ranges: [[Int]]
        }
    }

    /// A chunk is a flat list: `{"u","t","l"}` entries name a page, and the `[page, anchor,
    /// heading, snippet]` arrays after them are its sections, in section order.
    enum Encoded: Encodable {
        case page(url: String, title: String, label: String)
        case section(page: Int, anchor: String, heading: String, snippet: String)

        func encode(to encoder: Encoder) throws {
            switch self {
            case let .page(url, title, label):
                var container = encoder.container(keyedBy: PageKey.self)
                try container.encode(url, forKey: .u)
                try container.encode(title, forKey: .t)
                try container.encode(label, forKey: .l)
            case let .section(page, anchor, heading, snippet):
                var container = encoder.unkeyedContainer()
                try container.encode(page)
                try container.encode(anchor)
                try container.encode(heading)
                try container.encode(snippet)
            }
        }

        enum PageKey: String, CodingKey { case u, t, l }
    }
}
