import Foundation

/// Docs pages as an earlier load parsed them, by the file's bytes: a file whose bytes and path
/// are the same parses the same, so a rebuild reads each file and hashes it but parses YAML only
/// for files that changed. On a 10,000-page site parsing was most of the time a rebuild spent loading.
public final class ParseMemo: @unchecked Sendable {
    /// What parsing one docs page gave, apart from where the file is.
    public struct DocsPageFields: Sendable {
        public let title: String
        public let weight: Int?
        public let deprecated: String?
        public let draft: Bool
        /// Warnings only: a page with errors is never remembered.
        public let warnings: [Diagnostic]

        public init(title: String, weight: Int?, deprecated: String?, draft: Bool, warnings: [Diagnostic]) {
            self.title = title
            self.weight = weight
            self.deprecated = deprecated
            self.draft = draft
            self.warnings = warnings
        }
    }

    private let previous: [String: DocsPageFields]
    private var used: [String: DocsPageFields] = [:]
    private let lock = NSLock()

    public init(previous: [String: DocsPageFields] = [:]) {
        self.previous = previous
    }

    /// What this load parsed or took from the earlier one: the memo for the next load.
    public var entries: [String: DocsPageFields] { lock.withLock { used } }

    static func key(_ source: SourceFile) -> String { "\(source.digest) \(source.displayPath)" }

    func docsPage(_ source: SourceFile) -> DocsPageFields? {
        let key = Self.key(source)
        guard let fields = previous[key] else { return nil }
        lock.withLock { used[key] = fields }
        return fields
    }

    func remember(_ source: SourceFile, _ fields: DocsPageFields) {
        lock.withLock { used[Self.key(source)] = fields }
    }
}
