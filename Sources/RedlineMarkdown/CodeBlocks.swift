import CCmarkGFM
import RedlineManifest

/// Turns source code into HTML whose tokens are `<span class="…">`s, for the code blocks that name their language.
public protocol CodeHighlighting: Sendable {
    /// `code` as escaped HTML with token spans (no `<pre>` around it), or nil when `language` is not one it knows.
    func highlight(_ code: String, language: String) -> String?
}

/// A fence naming a language the highlighter does not know: usually a typo (`pyhton`), so `check` says so.
public struct UnknownCodeLanguage: Sendable, Equatable {
    public let language: String
    /// The line the fence opens on, from 1.
    public let line: Int

    public init(language: String, line: Int) {
        self.language = language
        self.line = line
    }
}

/// What a fenced code block's info string says: ```` ```python tab="Python 3" ````.
///
/// The first word is the language. `tab` (or `tab="Label"`) makes the block one tab of a group:
/// blocks marked so that follow one another with nothing between them become one set of tabs
/// (the same request in curl, Python and Go). Without JavaScript they read as consecutive
/// blocks, each under its label.
struct CodeFence: Equatable {
    let language: String
    /// The tab's label, or nil when the block is not a tab.
    let tabLabel: String?

    /// Languages that mean "no highlighting" rather than a language nobody knows.
    static let plainLanguages: Set<String> = ["", "text", "txt", "plain", "plaintext", "none", "output", "nohighlight"]

    init(info: String) {
        var rest = Substring(info).drop { $0 == " " || $0 == "\t" }
        let language = rest.prefix { $0 != " " && $0 != "\t" }
        rest = rest.dropFirst(language.count)
        self.language = String(language)
        var label: String? = nil
        while !rest.isEmpty {
            rest = rest.drop { $0 == " " || $0 == "\t" }
            let name = rest.prefix { $0 != " " && $0 != "\t" && $0 != "=" }
            rest = rest.dropFirst(name.count)
            var value: Substring? = nil
            if rest.first == "=" {
                rest = rest.dropFirst()
                if rest.first == "\"" {
                    rest = rest.dropFirst()
                    let quoted = rest.prefix { $0 != "\"" }
                    value = quoted
                    rest = rest.dropFirst(quoted.count)
                    if rest.first == "\"" { rest = rest.dropFirst() }
                } else {
                    let word = rest.prefix { $0 != " " && $0 != "\t" }
                    value = word
                    rest = rest.dropFirst(word.count)
                }
            }
            if name == "tab" {
                let written = value.map { String($0).trimmingSpaces() } ?? ""
                label = written.isEmpty ? Self.displayName(of: self.language) : written
            } else if name.isEmpty && value == nil {
                break
            }
        }
        self.tabLabel = label
    }

    /// The name a reader knows a language by, for a tab with no label of its own.
    static func displayName(of language: String) -> String {
        let names = [
            "sh": "Shell", "bash": "Shell", "shell": "Shell", "console": "Shell", "zsh": "Shell",
            "js": "JavaScript", "javascript": "JavaScript", "ts": "TypeScript", "typescript": "TypeScript",
            "py": "Python", "python": "Python", "go": "Go", "golang": "Go", "java": "Java", "rb": "Ruby", "ruby": "Ruby",
            "php": "PHP", "swift": "Swift", "cs": "C#", "csharp": "C#", "kt": "Kotlin", "kotlin": "Kotlin",
            "json": "JSON", "yaml": "YAML", "yml": "YAML", "http": "HTTP", "curl": "curl",
        ]
        if language.isEmpty { return "Code" }
        return names[language.lowercased()] ?? language
    }
}

/// What ``MarkdownRenderer/renderCodeBlocks(_:)`` found while rewriting the code blocks.
struct CodeBlockReport {
    var unknownLanguages: [UnknownCodeLanguage] = []
    var hasTabs = false
}

extension MarkdownRenderer {
    /// Rewrites every fenced code block: highlighted when its language is known, grouped into tabs when marked so.
    func renderCodeBlocks(_ root: OpaquePointer) -> CodeBlockReport {
        var report = CodeBlockReport()
        let blocks = collect(root, type: CMARK_NODE_CODE_BLOCK)
        var index = 0
        while index < blocks.count {
            // A group: this block and the tab blocks that are its next siblings, one after another.
            var group = [blocks[index]]
            if CodeFence(info: fenceInfo(blocks[index])).tabLabel != nil {
                while index + group.count < blocks.count,
                      cmark_node_next(group[group.count - 1]) == blocks[index + group.count],
                      CodeFence(info: fenceInfo(blocks[index + group.count])).tabLabel != nil {
                    group.append(blocks[index + group.count])
                }
            }
            index += group.count
            for (position, node) in group.enumerated() {
                let fence = CodeFence(info: fenceInfo(node))
                let code = cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
                var html = codeBlockHTML(code, fence: fence, line: Int(cmark_node_get_start_line(node)), report: &report)
                if let label = fence.tabLabel {
                    report.hasTabs = true
                    html = "<figure class=\"code-tab\" data-tab=\"\(label.htmlEscaped)\">\n"
                        + "<figcaption class=\"code-tab-label\">\(label.htmlEscaped)</figcaption>\n" + html + "</figure>\n"
                    if position == 0 { html = "<div class=\"code-tabs\">\n" + html }
                    if position == group.count - 1 { html += "</div>\n" }
                }
                replace(node, withHTML: html)
            }
        }
        return report
    }

    private func fenceInfo(_ node: OpaquePointer) -> String {
        cmark_node_get_fence_info(node).map { String(cString: $0) } ?? ""
    }

    /// `<pre><code>` as cmark writes it, with the highlighter's spans inside when it knows the language.
    private func codeBlockHTML(_ code: String, fence: CodeFence, line: Int, report: inout CodeBlockReport) -> String {
        let language = fence.language
        let classAttribute = language.isEmpty ? "" : " class=\"language-\(language.htmlEscaped)\""
        var body = code.htmlEscaped
        if let highlighter, !CodeFence.plainLanguages.contains(language.lowercased()) {
            if let highlighted = highlighter.highlight(code, language: language) {
                body = highlighted
            } else {
                report.unknownLanguages.append(UnknownCodeLanguage(language: language, line: line))
            }
        }
        return "<pre><code\(classAttribute)>\(body)</code></pre>\n"
    }

    /// Puts a custom block that prints `html` as it is where `node` was (cmark prints a custom
    /// block's text even when raw HTML is off, which is why the highlighter's HTML survives).
    private func replace(_ node: OpaquePointer, withHTML html: String) {
        guard let block = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK) else { return }
        cmark_node_set_on_enter(block, html)
        cmark_node_set_on_exit(block, "")
        cmark_node_insert_before(node, block)
        cmark_node_unlink(node)
        cmark_node_free(node)
    }
}
