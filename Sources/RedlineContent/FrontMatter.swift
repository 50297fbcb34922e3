import Yams

/// A Markdown file split into its YAML front matter and its body.
///
/// Line numbers are kept for every top-level key so that a problem can be reported at
/// the line an editor has to fix.
public struct FrontMatter {
    public struct Field {
        public let node: Node
        /// 1-based line of the key in the whole file.
        public let line: Int
    }

    public let fields: [String: Field]
    /// The Markdown after the closing `---`.
    public let body: String
    /// 1-based line of the first body line in the whole file.
    public let bodyStartLine: Int

    /// Splits `text` without parsing the YAML: enough to render a body whose front
    /// matter was already validated.
    public static func body(of text: String) -> String? {
        split(normalized(text))?.body
    }

    /// The body and the line of the file it starts on, so that a line of the body can be named in the file.
    public static func bodyAndLine(of text: String) -> (body: String, firstLine: Int)? {
        split(normalized(text)).map { ($0.body, $0.bodyStartLine) }
    }

    /// Parses the front matter of `text`; `path` is only used in diagnostics.
    /// - Throws: ``DiagnosticsError`` when the block is missing, unclosed or not valid YAML.
    public static func parse(_ text: String, path: String) throws(DiagnosticsError) -> FrontMatter {
        let text = normalized(text)
        guard let parts = split(text) else {
            let message = text.hasPrefix("---")
                ? "front matter is not closed: add a line with only '---' after the last field"
                : "missing front matter: the file must start with a '---' line, the fields, and another '---' line"
            throw DiagnosticsError([.error(path, line: 1, message)])
        }
        // The YAML starts on line 2 of the file; libyaml counts from 1 within it.
        let lineOffset = 1
        let node: Node?
        do {
            // The encoding is given, not left to `.default`, which reads the whole process
            // environment on every call: an eighth of a rebuild's time on a large site.
            node = try Yams.compose(yaml: parts.yaml, .default, .default, .utf8)
        } catch let error as YamlError {
            throw DiagnosticsError(Self.diagnostics(for: error, yaml: parts.yaml, path: path, lineOffset: lineOffset))
        } catch {
            throw DiagnosticsError([.error(path, line: 1, "front matter is not valid YAML: \(error)")])
        }
        guard let node else {
            return FrontMatter(fields: [:], body: parts.body, bodyStartLine: parts.bodyStartLine)
        }
        if let bomb = YAMLAliases.problem(in: node) {
            throw DiagnosticsError([.error(path, line: bomb.line + lineOffset, bomb.message)])
        }
        guard let mapping = node.mapping else {
            throw DiagnosticsError([.error(path, line: 2, "front matter must be a list of 'key: value' fields")])
        }
        var fields: [String: Field] = [:]
        var problems: [Diagnostic] = []
        for (key, value) in mapping {
            let line = (key.mark?.line ?? 1) + lineOffset
            guard let name = key.scalar?.string else {
                problems.append(.error(path, line: line, "front matter keys must be plain words"))
                continue
            }
            if let earlier = fields[name] {
                problems.append(.error(path, line: line, "'\(name)' is given twice (first on line \(earlier.line))"))
                continue
            }
            fields[name] = Field(node: value, line: line)
        }
        if !problems.isEmpty { throw DiagnosticsError(problems) }
        return FrontMatter(fields: fields, body: parts.body, bodyStartLine: parts.bodyStartLine)
    }

    /// Yams reports duplicate keys without a useful position; find every repeat of each key ourselves.
    static func diagnostics(for error: YamlError, yaml: String, path: String, lineOffset: Int) -> [Diagnostic] {
        guard case let .duplicatedKeysInMapping(duplicates, _) = error else {
            return [diagnostic(for: error, path: path, lineOffset: lineOffset)]
        }
        var problems: [Diagnostic] = []
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        for key in duplicates.sorted() {
            let found = lines.indices.filter { lines[$0].hasPrefix("\(key):") || lines[$0].hasPrefix("\"\(key)\":") }
            guard let first = found.first else {
                problems.append(.error(path, line: 1 + lineOffset, "'\(key)' is given twice"))
                continue
            }
            for repeated in found.dropFirst() {
                problems.append(.error(path, line: repeated + 1 + lineOffset, "'\(key)' is given twice (first on line \(first + 1 + lineOffset))"))
            }
        }
        return problems
    }

    static func diagnostic(for error: YamlError, path: String, lineOffset: Int) -> Diagnostic {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let detail = context.map { "\(problem) \($0.text)" } ?? problem
            return .error(path, line: mark.line + lineOffset, "front matter is not valid YAML: \(detail)")
        default:
            return .error(path, line: 1, "front matter is not valid YAML: \(error)")
        }
    }

    /// Drops a byte-order mark and Windows line endings, which editors on some systems add.
    static func normalized(_ text: String) -> String {
        var text = text
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        if text.utf8.contains(UInt8(ascii: "\r")) {
            text = text.replacingOccurrencesOfCarriageReturns()
        }
        return text
    }

    /// Finds the block between the opening and closing `---` lines by scanning bytes up to the
    /// closing line only: the body, most of the file, is sliced off without being looked at.
    private static func split(_ text: String) -> (yaml: String, body: String, bodyStartLine: Int)? {
        let utf8 = text.utf8
        var lineStart = utf8.startIndex
        var lineNumber = 1
        var yamlStart: String.Index?
        while lineStart < utf8.endIndex {
            let lineEnd = utf8[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? utf8.endIndex
            let line = Substring(text[lineStart..<lineEnd]).trimmingTrailingSpaces()
            let next = lineEnd < utf8.endIndex ? utf8.index(after: lineEnd) : lineEnd
            if let start = yamlStart {
                if line == "---" || line == "..." {
                    return (String(text[start..<lineStart]), String(text[next...]), lineNumber + 1)
                }
            } else {
                guard line == "---" else { return nil }
                yamlStart = next
            }
            lineStart = next
            lineNumber += 1
        }
        return nil
    }
}

extension Substring {
    func trimmingTrailingSpaces() -> Substring {
        var result = self
        while let last = result.last, last == " " || last == "\t" { result.removeLast() }
        return result
    }
}

extension String {
    func replacingOccurrencesOfCarriageReturns() -> String {
        var out = ""
        out.reserveCapacity(utf8.count)
        var previousWasCR = false
        for scalar in unicodeScalars {
            if scalar == "\r" {
                out.unicodeScalars.append("\n")
                previousWasCR = true
                continue
            }
            if scalar == "\n" && previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = false
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}
