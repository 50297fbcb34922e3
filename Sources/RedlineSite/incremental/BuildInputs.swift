import Crypto
import Foundation
import RedlineContent
import RedlineManifest

/// Everything a build's output depends on, condensed to one digest: every file under the
/// content and templates folders (path, size, modification time to the nanosecond, mode), the
/// build's options, and the redline executable itself. The same digest as the last build's
/// means the output would be byte for byte the same, so there is nothing to do.
enum BuildInputs {
    /// Where a build keeps the digest of its inputs, inside its output.
    static let stateFile = ".redline/inputs"

    static func digest(_ options: BuildOptions) -> String {
        var hasher = SHA256()
        func add(_ text: String) { hasher.update(data: Data((text + "\n").utf8)) }
        add("options \(options.now) \(options.baseURL ?? "-") drafts=\(options.drafts) all=\(options.searchAllVersions) strict=\(options.strict) \(options.generatedAt ?? "-")")
        add("executable \(executableFingerprint)")
        // A commit changes docs pages' "Last updated" without changing a file.
        add("reproducible \(options.reproducible) \(options.reproducible ? "-" : Git.head(of: options.contentDirectory))")
        for folder in [options.contentDirectory, options.templatesDirectory] {
            add("folder \(folder)")
            walk(folder, relative: "") { add($0) }
        }
        return Hex.encode(hasher.finalize())
    }

    /// Size, time and mode of the running redline: a new build of it may render pages differently.
    static let executableFingerprint = fingerprint(of: CommandLine.arguments.first.flatMap(Executable.path(of:)) ?? "")

    /// What a build records: its inputs' digest and its warnings, shown again when nothing changed.
    struct State: Codable {
        struct Warning: Codable {
            let path: String
            let line: Int?
            let message: String
        }
        let inputs: String
        let warnings: [Warning]

        init(inputs: String, warnings: [Diagnostic]) {
            self.inputs = inputs
            self.warnings = warnings.map { Warning(path: $0.path, line: $0.line, message: $0.message) }
        }

        var diagnostics: [Diagnostic] { warnings.map { .warning($0.path, line: $0.line, $0.message) } }

        var json: Data { (try? JSONEncoder().encode(self)) ?? Data() }
    }

    /// What the last build into `output` recorded, if anything.
    static func recorded(in output: String) -> State? {
        FileManager.default.contents(atPath: "\(output)/\(stateFile)").flatMap { try? JSONDecoder().decode(State.self, from: $0) }
    }

    private static func walk(_ folder: String, relative: String, _ visit: (String) -> Void) {
        let path = relative.isEmpty ? folder : "\(folder)/\(relative)"
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() {
            let child = relative.isEmpty ? name : "\(relative)/\(name)"
            let line = fingerprint(of: "\(folder)/\(child)")
            visit("\(child) \(line)")
            var status = stat()
            if stat("\(folder)/\(child)", &status) == 0, status.st_mode & S_IFMT == S_IFDIR { walk(folder, relative: child, visit) }
        }
    }

    /// Size, time and mode of a file, following links (a link's target is what the build reads).
    private static func fingerprint(of path: String) -> String {
        var status = stat()
        guard stat(path, &status) == 0 else { return "missing" }
        return "\(status.st_size) \(status.st_mtim.tv_sec).\(status.st_mtim.tv_nsec) \(status.st_mode)"
    }
}
