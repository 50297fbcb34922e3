import Crypto
import Foundation
import RedlineContent
import RedlineMarkdown
import RedlineOpenAPI

/// A docs version's OpenAPI file (`docs/<version>/openapi.yaml`, `.yml` or `.json`), read and
/// turned into reference pages: `reference/`, then `reference/<tag>/` per tag. The pages join
/// the version as ordinary docs pages made from generated Markdown, so the navigation, the
/// version switcher, search and the sitemap treat them like any other.
struct APIReference: Sendable {
    static let fileNames = ["openapi.yaml", "openapi.yml", "openapi.json"]
    static let folder = "reference"

    let version: String
    let spec: APISpec
    let source: SourceFile
    /// By page path (`reference`, `reference/shipments`), the page's Markdown.
    let markdown: [String: String]
    /// By operation key (`POST /shipments`), its page path and anchor.
    let operationLinks: [String: (path: String, anchor: String)]

    /// Every version's reference, the corpus with their pages, and what is wrong with the files.
    static func load(_ corpus: Corpus) -> (corpus: Corpus, references: [String: APIReference], diagnostics: [Diagnostic]) {
        var references: [String: APIReference] = [:]
        var diagnostics: [Diagnostic] = []
        var versions: [DocsVersion] = []
        for version in corpus.docs {
            guard let fileName = fileNames.first(where: version.assets.contains) else {
                versions.append(version)
                continue
            }
            let displayFolder = corpus.docsDisplayFolder(version)
            var source = SourceFile(displayPath: "\(displayFolder)/\(fileName)", absolutePath: "\(version.directory)/\(fileName)")
            let text: String
            do {
                let data = try Data(contentsOf: URL(fileURLWithPath: source.absolutePath))
                source.digest = Hex.encode(SHA256.hash(data: data))
                text = String(decoding: data, as: UTF8.self)
            } catch {
                diagnostics.append(.error(source.displayPath, line: nil, "cannot read: \(error.localizedDescription)"))
                versions.append(version)
                continue
            }
            let spec: APISpec
            do {
                spec = try APISpecReader.read(text, json: fileName.hasSuffix(".json"))
            } catch {
                diagnostics += error.problems.map { .error(source.displayPath, line: $0.line, "invalid OpenAPI document: \($0.message)") }
                versions.append(version)
                continue
            }
            let reference = APIReference(version: version.name, spec: spec, source: source, fileName: fileName)
            if let clash = version.pages.first(where: { $0.path == folder || $0.path.hasPrefix(folder + "/") }) {
                diagnostics.append(.error(clash.source.displayPath, line: nil,
                                          "'\(folder)/' is where the API reference from \(fileName) goes: move this page elsewhere"))
                versions.append(version)
                continue
            }
            references[version.name] = reference
            versions.append(DocsVersion(name: version.name, pages: version.pages + version.drafts + reference.pages,
                                        assets: version.assets, directory: version.directory))
        }
        return (Corpus(site: corpus.site, policies: corpus.policies, docs: versions), references, diagnostics)
    }

    private init(version: String, spec: APISpec, source: SourceFile, fileName: String) {
        self.version = version
        self.spec = spec
        self.source = source
        var markdown = [Self.folder: APIReferenceMarkdown.index(spec, fileName: fileName)]
        var links: [String: (String, String)] = [:]
        let outliner = MarkdownRenderer()
        for tag in spec.tags {
            let path = "\(Self.folder)/\(tag.slug)"
            let page = APIReferenceMarkdown.tagPage(spec, tag: tag)
            markdown[path] = page
            // Each operation is one `##` heading, in order: their anchors are the page's level-2 outline.
            let anchors = outliner.outline(page, reservedAnchors: PageChrome.reservedAnchors).filter { $0.level == 2 }.map(\.anchor)
            for (operation, anchor) in zip(spec.operations(of: tag), anchors) { links[operation.key] = (path, anchor) }
        }
        self.markdown = markdown
        self.operationLinks = links
    }

    /// The reference's pages, after the version's own, in the tags' order.
    var pages: [DocsPage] {
        [DocsPage(version: version, path: Self.folder, title: "API reference", weight: 1000, deprecated: nil, source: source)]
            + spec.tags.enumerated().map { index, tag in
                DocsPage(version: version, path: "\(Self.folder)/\(tag.slug)", title: tag.name, weight: index, deprecated: nil, source: source)
            }
    }
}

extension Corpus {
    /// `content/docs/v2` as messages name it, from one of the version's pages.
    func docsDisplayFolder(_ version: DocsVersion) -> String {
        if let page = version.pages.first ?? version.drafts.first {
            let relative = page.source.absolutePath.dropFirst(version.directory.count)
            if page.source.displayPath.hasSuffix(relative) { return String(page.source.displayPath.dropLast(relative.count)) }
        }
        return version.directory
    }
}
