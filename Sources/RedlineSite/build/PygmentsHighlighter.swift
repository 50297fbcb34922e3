import Foundation
import RedlineMarkdown
import Synchronization

/// Highlights code at build time with Pygments, the highlighter Sphinx and MkDocs use (and
/// Hugo's Chroma ports): one `python3` process for the whole build, asked one block at a time.
///
/// Its HTML is Pygments' short token classes (`k` keyword, `s2` string, `c1` comment, `nt` tag or
/// key, …), which `style.css` colours for light and dark; nothing inline, so the site's CSP holds.
/// Without python3 or Pygments the build goes on with plain code blocks.
public final class PygmentsHighlighter: CodeHighlighting {
    /// What the render cache must see change: Pygments' version, as its output may change with it.
    public let identity: String
    private let state: Mutex<State>

    fileprivate struct State: ~Copyable {
        let process: Process
        let input: FileHandle
        let output: LineReader
        var answers: [String: String?] = [:]
        var broken = false
    }

    /// Reads requests `{"language", "code"}` a line each and answers `{"html"}` (null for an
    /// unknown language). `-I` keeps the content folder off Python's path, so no file in it can
    /// stand in for Pygments.
    private static let script = #"""
import json, sys
try:
    import pygments
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound
except ImportError:
    print(json.dumps({"error": "no pygments"}), flush=True)
    sys.exit(0)
formatter = HtmlFormatter(nowrap=True)
print(json.dumps({"pygments": pygments.__version__}), flush=True)
for line in sys.stdin.buffer:
    request = json.loads(line)
    try:
        lexer = get_lexer_by_name(request["language"].lower(), stripnl=False, ensurenl=False)
    except ClassNotFound:
        html = None
    else:
        html = highlight(request["code"], lexer, formatter)
    sys.stdout.write(json.dumps({"html": html}) + "\n")
    sys.stdout.flush()
"""#

    /// Python takes about a tenth of a second to load Pygments: ``launch()`` starts it, and
    /// ``Launch/ready()`` waits for it after the build has read its content meanwhile.
    public struct Launch: ~Copyable {
        fileprivate let process: Process?
        fileprivate let input: FileHandle?
        fileprivate let output: LineReader?
        fileprivate let problem: String?

        /// The highlighter, or nil and why not, when python3 or Pygments is missing.
        public consuming func ready() -> (highlighter: PygmentsHighlighter?, problem: String?) {
            guard let process, let input, let output else { return (nil, problem) }
            guard let hello = output.readLine().flatMap(PygmentsHighlighter.decode), let version = hello["pygments"] as? String else {
                try? input.close()
                process.waitUntilExit()
                return (nil, "python3 with Pygments is not installed (apt install python3-pygments)")
            }
            let state = State(process: process, input: input, output: output)
            return (PygmentsHighlighter(identity: "pygments \(version)", state: state), nil)
        }
    }

    public static func launch() -> Launch {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-I", "-c", script]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch {
            return Launch(process: nil, input: nil, output: nil, problem: "cannot start python3: \(error.localizedDescription)")
        }
        return Launch(process: process, input: input.fileHandleForWriting, output: LineReader(output.fileHandleForReading), problem: nil)
    }

    fileprivate init(identity: String, state: consuming State) {
        self.identity = identity
        self.state = Mutex(state)
    }

    deinit {
        state.withLock { state in
            try? state.input.close()
            state.process.waitUntilExit()
        }
    }

    public func highlight(_ code: String, language: String) -> String? {
        let key = language + "\u{0}" + code
        return state.withLock { state -> String? in
            if let known = state.answers[key] { return known }
            guard !state.broken else { return nil }
            let request = try? JSONSerialization.data(withJSONObject: ["language": language, "code": code])
            guard let request, (try? state.input.write(contentsOf: request + Data("\n".utf8))) != nil,
                  let answer = state.output.readLine().flatMap(Self.decode) else {
                // Python died mid-build: the rest of the build gets plain blocks rather than a hang.
                state.broken = true
                return nil
            }
            let html = answer["html"] as? String
            state.answers[key] = html
            return html
        }
    }

    fileprivate static func decode(_ line: Data) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: line)) as? [String: Any]
    }
}

/// Lines from a pipe, read in large pieces.
final class LineReader: @unchecked Sendable {
    // Used only under the highlighter's lock.
    private let handle: FileHandle
    private var buffer = Data()

    init(_ handle: FileHandle) { self.handle = handle }

    /// The next line without its newline, or nil at the end of the stream.
    func readLine() -> Data? {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer[buffer.startIndex..<newline]
                buffer = Data(buffer[(newline + 1)...])
                return Data(line)
            }
            // read(2), not FileHandle.read(upToCount:), which on Linux waits for the whole count.
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return nil }
            buffer.append(contentsOf: chunk[..<count])
        }
    }
}
