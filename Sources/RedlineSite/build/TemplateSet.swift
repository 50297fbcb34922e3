import Foundation
import Mustache
import RedlineContent

/// The Mustache templates of a site, loaded and checked up front so that a broken
/// template is reported with its file and line before any page is written.
public struct TemplateSet: Sendable {
    /// Templates the build renders directly; a template folder must have all of them.
    public static var required: [String: String] { SitePages.templates }

    private let library: MustacheLibrary

    /// Loads every `*.mustache` below `directory` (named by relative path without extension)
    /// and reports syntax errors and references to missing partials, all at once.
    public static func load(directory: String) -> (TemplateSet?, [Diagnostic]) {
        var display = directory
        while display.count > 1 && display.hasSuffix("/") { display.removeLast() }
        let fileManager = FileManager.default
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            return (nil, [.error(display, line: nil, "templates folder not found")])
        }
        var diagnostics: [Diagnostic] = []
        var templates: [String: MustacheTemplate] = [:]
        var sources: [String: (path: String, text: String)] = [:]
        let files = (fileManager.enumerator(atPath: directory)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".mustache") }.sorted()
        for file in files {
            let path = "\(display)/\(file)"
            let name = String(file.dropLast(".mustache".count))
            guard let data = fileManager.contents(atPath: "\(directory)/\(file)"), let text = String(data: data, encoding: .utf8) else {
                diagnostics.append(.error(path, line: nil, "cannot read template (is it UTF-8?)"))
                continue
            }
            do {
                templates[name] = try MustacheTemplate(string: text)
                sources[name] = (path, text)
            } catch let error as MustacheTemplate.ParserError {
                diagnostics.append(.error(path, line: error.context.lineNumber, "template syntax: \(describe(error.error)) in '\(error.context.line.trimmingCharacters(in: .whitespaces))'"))
            } catch {
                diagnostics.append(.error(path, line: nil, "template syntax: \(error)"))
            }
        }
        for (name, purpose) in required.sorted(by: { $0.key < $1.key }) where templates[name] == nil && sources[name] == nil {
            if !files.contains("\(name).mustache") {
                diagnostics.append(.error("\(display)/\(name).mustache", line: nil, "missing template, needed for \(purpose)"))
            }
        }
        for (_, source) in sources.sorted(by: { $0.key < $1.key }) {
            for reference in partialReferences(in: source.text) where templates[reference.name] == nil && !files.contains("\(reference.name).mustache") {
                diagnostics.append(.error(source.path, line: reference.line, "uses template '\(reference.name)', but there is no \(display)/\(reference.name).mustache"))
            }
        }
        if diagnostics.hasErrors { return (nil, diagnostics) }
        return (TemplateSet(library: MustacheLibrary(templates: templates)), diagnostics)
    }

    /// Renders `name` with `context`; nil only if the template does not exist, which `load` rules out for required ones.
    func render<Context>(_ name: String, _ context: Context) -> String? {
        library.render(TemplateValue.plain(context) ?? [String: Any](), withTemplate: name)
    }

    /// `{{> name}}` (partial) and `{{< name}}` (parent) tags, with their lines.
    static func partialReferences(in text: String) -> [(name: String, line: Int)] {
        var references: [(String, Int)] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var rest = line[...]
            while let open = rest.range(of: "{{") {
                rest = rest[open.upperBound...]
                guard let close = rest.range(of: "}}") else { break }
                let tag = rest[..<close.lowerBound].trimmingCharacters(in: .whitespaces)
                if let sigil = tag.first, sigil == ">" || sigil == "<" {
                    let name = tag.dropFirst().trimmingCharacters(in: .whitespaces)
                    if !name.isEmpty { references.append((name, index + 1)) }
                }
                rest = rest[close.upperBound...]
            }
        }
        return references
    }

    private static func describe(_ error: any Error) -> String {
        guard let error = error as? MustacheTemplate.Error else { return "\(error)" }
        switch error {
        case .sectionCloseNameIncorrect: return "a closing tag does not match the open section"
        case .unfinishedName: return "a tag is not closed with '}}'"
        case .expectedSectionEnd: return "a section is never closed"
        case .invalidSetDelimiter: return "invalid delimiter change"
        default: return "\(error)"
        }
    }
}
