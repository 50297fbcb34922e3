import Crypto
import Foundation
import RedlineParallel

/// Reads `content/` into a ``Corpus``, reporting every problem in every file at once.
public enum ContentLoader {
    /// Policy ids that would collide with the site's own folders.
    static let reservedPolicyIDs: Set<String> = ["docs", "assets", "api", "search", "changes", "feeds", "well-known", "consent"]

    /// - Parameter contentDirectory: the folder as the user named it; paths in diagnostics start with it.
    /// - Returns: the corpus (nil when an error makes it unusable) and all diagnostics, errors and warnings.
    /// A content folder's site.yaml alone, read as ``load(contentDirectory:memo:)`` reads it.
    public static func loadSite(contentDirectory: String) -> (SiteConfig?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let site = readSite(ContentRoot(contentDirectory), diagnostics: &diagnostics)
        return (site, diagnostics)
    }

    private static func readSite(_ root: ContentRoot, diagnostics: inout [Diagnostic]) -> SiteConfig? {
        let sitePath = root.display(SiteConfig.fileName)
        if let text = root.read(SiteConfig.fileName, diagnostics: &diagnostics) {
            let parsed = SiteConfig.parse(text, path: sitePath)
            diagnostics += parsed.1
            return parsed.0
        }
        if !root.exists(SiteConfig.fileName) {
            diagnostics.append(.error(sitePath, line: nil, "missing site.yaml: it must give at least 'title' and 'baseURL'"))
        }
        return nil
    }

    /// - Parameter memo: docs pages an earlier load parsed; filled with this load's for the next one.
    public static func load(contentDirectory: String, memo: ParseMemo? = nil) -> (Corpus?, [Diagnostic]) {
        let root = ContentRoot(contentDirectory)
        var diagnostics: [Diagnostic] = []
        guard root.isDirectory("") else {
            return (nil, [.error(root.display(""), line: nil, "content folder not found")])
        }

        let sitePath = root.display(SiteConfig.fileName)
        let site = readSite(root, diagnostics: &diagnostics)

        for entry in root.children("") where !["policies", "docs", SiteConfig.fileName].contains(entry) {
            diagnostics.append(.warning(root.display(entry), line: nil, "ignored: content holds only site.yaml, policies/ and docs/"))
        }

        let policies = loadPolicies(root, languages: site?.languages ?? [], sitePath: sitePath, diagnostics: &diagnostics)
        let docs = loadDocs(root, memo: memo, diagnostics: &diagnostics)

        if let site { diagnostics += Self.checkDocsVersions(site, docs: docs, sitePath: sitePath) }
        for policy in policies where site?.languages.contains(policy.id) == true {
            diagnostics.append(.error(root.display("policies/\(policy.id)"), line: nil,
                                      "policy id '\(policy.id)' is also a language in site.yaml, whose pages go under /\(policy.id)/: rename the folder"))
        }
        for id in site?.consent.documents ?? [] where !policies.contains(where: { $0.id == id }) {
            diagnostics.append(.error(sitePath, line: site?.consent.documentsLine,
                                      "consent.documents names '\(id)', but there is no content/policies/\(id)/"))
        }
        guard let site else { return (nil, diagnostics) }
        return (Corpus(site: site, policies: policies, docs: docs), diagnostics)
    }

    // MARK: Docs

    private static func loadDocs(_ root: ContentRoot, memo: ParseMemo?, diagnostics: inout [Diagnostic]) -> [DocsVersion] {
        var versions: [DocsVersion] = []
        for name in root.children("docs") {
            let folder = "docs/\(name)"
            guard root.isDirectory(folder) else {
                diagnostics.append(.warning(root.display(folder), line: nil, "ignored: docs/ holds one folder per API version, e.g. docs/v1/"))
                continue
            }
            guard isValidPathSegment(name) else {
                diagnostics.append(.error(root.display(folder), line: nil, "docs version '\(name)' must be letters, digits, '.', '_' and '-'"))
                continue
            }
            var pageFiles: [(path: String, source: SourceFile)] = []
            var assets: [String] = []
            for relative in root.descendants(folder) {
                let segments = relative.split(separator: "/").map(String.init)
                guard segments.allSatisfy(isValidPathSegment) else {
                    diagnostics.append(.error(root.display("\(folder)/\(relative)"), line: nil,
                                              "file and folder names in docs must be letters, digits, '.', '_' and '-' (they become URLs)"))
                    continue
                }
                if isMarkdown(relative) {
                    var path = markdownStem(relative)
                    if path == "index" { path = "" } else if path.hasSuffix("/index") { path.removeLast("/index".count) }
                    pageFiles.append((path, root.source("\(folder)/\(relative)")))
                } else {
                    assets.append(relative)
                }
            }
            let parsed = parallelMap(pageFiles) { parseDocsPage(version: name, path: $0.path, source: $0.source, memo: memo) }
            var pages: [DocsPage] = []
            var seen: [String: String] = [:]
            for (page, problems) in parsed {
                diagnostics += problems
                guard let page else { continue }
                if let other = seen[page.path] {
                    diagnostics.append(.error(page.source.displayPath, line: nil, "same URL as \(other): keep one of them"))
                    continue
                }
                seen[page.path] = page.source.displayPath
                pages.append(page)
            }
            if pageFiles.isEmpty {
                diagnostics.append(.warning(root.display(folder), line: nil, "this docs version has no pages"))
            }
            versions.append(DocsVersion(name: name, pages: pages, assets: assets, directory: root.absolute(folder)))
        }
        return versions
    }

    public static func parseDocsPage(version: String, path: String, source: SourceFile, memo: ParseMemo? = nil) -> (DocsPage?, [Diagnostic]) {
        let displayPath = source.displayPath
        let frontMatter: FrontMatter
        var source = source
        do {
            let text: String
            (text, source.digest) = try readTextAndDigest(source.absolutePath)
            if let known = memo?.docsPage(source) {
                return (DocsPage(version: version, path: path, title: known.title, weight: known.weight, deprecated: known.deprecated,
                                 source: source, draft: known.draft), known.warnings)
            }
            frontMatter = try FrontMatter.parse(text, path: displayPath)
        } catch let error as DiagnosticsError {
            return (nil, error.diagnostics)
        } catch {
            return (nil, [.error(displayPath, line: nil, error.localizedDescription)])
        }
        var reader = FieldReader(path: displayPath, fields: frontMatter.fields)
        let title = reader.string("title", required: true)
        let weight = reader.int("weight")
        let draft = reader.bool("draft") ?? false
        var deprecated: String?
        if let field = frontMatter.fields["deprecated"], let value = field.node.scalar?.string {
            switch value.lowercased() {
            case "false", "": deprecated = nil
            case "true": deprecated = ""
            default: deprecated = value // the editor's note, e.g. "Use /v2/tokens instead."
            }
        } else if frontMatter.fields["deprecated"] != nil {
            reader.error("deprecated", "'deprecated' must be true, false or a short note")
        }
        reader.warnAboutUnknownKeys(allowed: DocsPage.frontMatterKeys)
        guard let title, !reader.diagnostics.hasErrors else { return (nil, reader.diagnostics) }
        memo?.remember(source, .init(title: title, weight: weight, deprecated: deprecated, draft: draft, warnings: reader.diagnostics))
        return (DocsPage(version: version, path: path, title: title, weight: weight, deprecated: deprecated, source: source, draft: draft),
                reader.diagnostics)
    }

    // MARK: Helpers

    static func isMarkdown(_ name: String) -> Bool {
        name.hasSuffix(".md") || name.hasSuffix(".markdown")
    }

    static func markdownStem(_ name: String) -> String {
        if name.hasSuffix(".markdown") { return String(name.dropLast(".markdown".count)) }
        if name.hasSuffix(".md") { return String(name.dropLast(".md".count)) }
        return name
    }

    static func isValidPolicyID(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, ("a"..."z").contains(first) || ("0"..."9").contains(first) else { return false }
        return id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    static func isValidPathSegment(_ segment: String) -> Bool {
        guard !segment.isEmpty, !segment.hasPrefix(".") else { return false }
        return segment.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)
        }
    }

    /// Reads UTF-8 text; a file in another encoding is an error, not mojibake on a legal page.
    public static func readText(_ path: String) throws -> String {
        try decodeUTF8(Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// The text and the SHA-256 of its bytes, from one read.
    static func readTextAndDigest(_ path: String) throws -> (String, String) {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return (try decodeUTF8(data), Hex.encode(SHA256.hash(data: data)))
    }

    private static func decodeUTF8(_ data: Data) throws -> String {
        guard let text = String(data: data, encoding: .utf8) else {
            throw ContentReadError(message: "not UTF-8 text: save the file as UTF-8")
        }
        return text
    }
}

struct ContentReadError: LocalizedError {
    let message: String
    var errorDescription: String? { message }
}

/// The content folder, as the user named it (for messages) and as it is on disk.
struct ContentRoot {
    let displayRoot: String
    let absoluteRoot: String

    init(_ directory: String) {
        var display = directory
        while display.count > 1 && display.hasSuffix("/") { display.removeLast() }
        displayRoot = display
        absoluteRoot = URL(fileURLWithPath: display).standardizedFileURL.path
    }

    func display(_ relative: String) -> String {
        relative.isEmpty ? displayRoot : "\(displayRoot)/\(relative)"
    }

    func absolute(_ relative: String) -> String {
        relative.isEmpty ? absoluteRoot : "\(absoluteRoot)/\(relative)"
    }

    func source(_ relative: String) -> SourceFile {
        SourceFile(displayPath: display(relative), absolutePath: absolute(relative))
    }

    func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: absolute(relative))
    }

    func isDirectory(_ relative: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: absolute(relative), isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Visible entries of a folder, sorted; none when it does not exist.
    func children(_ relative: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: absolute(relative))) ?? [])
            .filter { !$0.hasPrefix(".") }
            .sorted()
    }

    /// Visible files below a folder, as paths relative to it.
    func descendants(_ relative: String) -> [String] {
        var files: [String] = []
        for child in children(relative) {
            let path = relative.isEmpty ? child : "\(relative)/\(child)"
            if isDirectory(path) {
                files += descendants(path).map { "\(child)/\($0)" }
            } else {
                files.append(child)
            }
        }
        return files
    }

    func read(_ relative: String, diagnostics: inout [Diagnostic]) -> String? {
        guard exists(relative) else { return nil }
        do {
            return try ContentLoader.readText(absolute(relative))
        } catch {
            diagnostics.append(.error(display(relative), line: nil, error.localizedDescription))
            return nil
        }
    }
}
