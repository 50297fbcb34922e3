import Foundation
import RedlineContent

/// What the last build rendered, by render key: the pages each piece of content produced and
/// everything the later steps need from it (links, anchors, search text, hashes, warnings), so
/// that a page whose key is unchanged is neither rendered nor written again.
///
/// Kept in the output at `.redline/cache` (format: ``ByteWriter``), written only by a build that succeeded, together
/// with the list of every file that build made (the only files a later build may delete).
final class PageCache: @unchecked Sendable {
    static let file = ".redline/cache"
    /// Changed whenever what a cached entry means changes; a cache of another format is ignored.
    static let format = "redline-page-cache 2\n"

    struct Entry: Sendable {
        let pages: [PublishedPage]
        let warnings: [Diagnostic]
        let policyHash: PolicyHash?
        let docsHash: DocsHash?
        let search: [SearchEntry]
        let links: [LinkUse]
        let anchors: [String: [String]]

        init(_ outcome: PageOutcome) {
            pages = outcome.pages
            warnings = outcome.diagnostics
            policyHash = outcome.policyHash
            docsHash = outcome.docsHash
            search = outcome.search
            links = outcome.links
            anchors = outcome.anchors.mapValues { $0.sorted() }
        }

        var outcome: PageOutcome {
            var outcome = PageOutcome(pages: pages, diagnostics: warnings, search: search)
            outcome.policyHash = policyHash
            outcome.docsHash = docsHash
            outcome.links = links
            outcome.anchors = anchors.mapValues { Set($0) }
            return outcome
        }
    }

    /// An entry as the last build wrote it, decoded only when a page uses it (on the rendering
    /// threads) and copied as it is into the next cache; or one this build made.
    enum Stored: Sendable {
        case encoded(ArraySlice<UInt8>)
        case made(Entry)

        func entry() throws -> Entry {
            switch self {
            case let .encoded(bytes):
                var input = ByteReader(bytes)
                let entry = try Entry(from: &input)
                guard input.isAtEnd else { throw ByteReader.Malformed() }
                return entry
            case let .made(entry):
                return entry
            }
        }
    }

    /// The cache file: the previous build's entries and files.
    struct Contents {
        var files: [String]
        var entries: [String: Stored]
        /// Docs pages as this build parsed them (``ParseMemo``).
        var parsed: [String: ParseMemo.DocsPageFields] = [:]

        var bytes: [UInt8] {
            var out = ByteWriter(magic: PageCache.format)
            out.strings(files)
            out.int(parsed.count)
            for (key, fields) in parsed {
                out.string(key)
                fields.write(to: &out)
            }
            out.int(entries.count)
            for (key, stored) in entries {
                out.string(key)
                switch stored {
                case let .encoded(bytes):
                    out.blob(bytes)
                case let .made(entry):
                    var one = ByteWriter(magic: "")
                    entry.write(to: &one)
                    out.blob(one.bytes[...])
                }
            }
            return out.bytes
        }

        init(files: [String], entries: [String: Stored], parsed: [String: ParseMemo.DocsPageFields]) {
            self.files = files
            self.entries = entries
            self.parsed = parsed
        }

        init(_ bytes: [UInt8]) throws {
            var input = try ByteReader(bytes, magic: PageCache.format)
            files = try input.strings()
            let parsedCount = try input.int()
            parsed = Dictionary(minimumCapacity: max(0, parsedCount))
            for _ in 0..<max(0, parsedCount) { parsed[try input.string()] = try ParseMemo.DocsPageFields(from: &input) }
            let count = try input.int()
            entries = Dictionary(minimumCapacity: max(0, count))
            for _ in 0..<max(0, count) { entries[try input.string()] = .encoded(try input.blob()) }
            guard input.isAtEnd else { throw ByteReader.Malformed() }
        }
    }

    /// What the previous build left; empty for a build from scratch.
    let previous: [String: Stored]
    let previousFiles: Set<String>
    private var used: [String: Stored] = [:]
    private let lock = NSLock()
    /// Pages taken from the cache, not rendered.
    private(set) var reusedPages = 0

    init(previous: Contents? = nil) {
        self.previous = previous?.entries ?? [:]
        previousFiles = Set(previous?.files ?? [])
    }

    /// The cache a build into `output` left, if it is of this format and readable.
    static func load(from output: String) -> Contents? {
        guard let data = FileManager.default.contents(atPath: "\(output)/\(file)") else { return nil }
        return try? Contents([UInt8](data))
    }

    /// The previous build's outcome for `key`, when every page it wrote is still in the output:
    /// those pages are kept as they are.
    func reuse(_ key: String, in staging: StagingDirectory, urls: SiteURLs) -> PageOutcome? {
        guard let stored = previous[key], let entry = try? stored.entry() else { return nil }
        let files = entry.pages.map { urls.outputFile(forPath: $0.path) }
        guard files.allSatisfy(staging.keep) else { return nil }
        lock.withLock {
            used[key] = stored
            reusedPages += entry.pages.count
        }
        return entry.outcome
    }

    /// Remembers what rendering `key` produced, for the next build; outcomes with errors never are.
    func store(_ key: String, _ outcome: PageOutcome) {
        guard !outcome.diagnostics.hasErrors else { return }
        let entry = Entry(outcome)
        lock.withLock { used[key] = .made(entry) }
    }

    /// The entries this build used or made, and every file it made.
    func contents(files: [String], parsed: [String: ParseMemo.DocsPageFields]) -> Data {
        let entries = lock.withLock { used }
        return Data(Contents(files: files, entries: entries, parsed: parsed).bytes)
    }
}
