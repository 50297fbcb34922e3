import ArgumentParser
import Foundation
import RedlineContent
import RedlineDiff
import RedlineManifest
import RedlineOutput
import RedlineParallel
import RedlineSite

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what changed between two policy versions.",
        discussion: """
        redline diff OLD.md NEW.md            compares any two Markdown files
        redline diff <policy-id> <from> <to>  compares two versions in the content folder,
                                              e.g. redline diff privacy 2026-06-01 2027-03-01
        redline diff docs <v1> <v2>           compares two versions of the API docs: pages added,
                                              removed and changed, with a redline of each changed page,
                                              and the API's changes when both have an OpenAPI file
                                              (text, json, markdown or html); --fail-on breaking
                                              exits 1 when one of them breaks clients
        Front matter is left out of the comparison and reported separately when it changed.

        --format docx writes a Word document with every change as a tracked change (accept or
        reject each in Word or LibreOffice); --format pdf prints that document through
        LibreOffice (`soffice`), with the title, the versions, page numbers and the paper size of
        site.yaml's `paper` (a4 or letter). Both need --output FILE, or a pipe.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, html, json, markdown, docx, pdf

        /// What the flag asks for: `html` is the page that opens on its own, and text is coloured
        /// when it goes to a terminal that takes colour.
        var output: RedlineFormat {
            switch self {
            case .text: .text(colour: isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil)
            case .html: .htmlPage
            case .json: .json
            case .markdown: .markdown
            case .docx: .docx
            case .pdf: .pdf
            }
        }

        /// A binary file, written to --output or a pipe; the others are text for a terminal.
        var isDocument: Bool { self == .docx || self == .pdf }
    }

    @Argument(help: "Two files, or a policy id and two effective dates.")
    var arguments: [String]

    @Option(help: "Output format: text, html, json, markdown, docx or pdf.")
    var format: Format = .text

    @Option(help: "The content folder, when comparing versions by date.")
    var content = "content"

    @Option(name: [.short, .long], help: "Write to this file instead of standard output (docx and pdf).")
    var output: String?

    @Option(help: "docx/pdf: who the tracked changes are attributed to.")
    var author = "Redline"

    @Option(help: "docx/pdf: the date of the tracked changes, YYYY-MM-DD or an ISO 8601 time (default: now).")
    var date: String?

    @Option(help: "docx/pdf: a4 or letter (default: site.yaml's paper when comparing versions by date, else a4).")
    var paper: RedlineInput.Paper?

    @Option(help: "docx/pdf: the document title (default: the new version's title, else the file name).")
    var title: String?

    enum FailOn: String, ExpressibleByArgument, CaseIterable {
        case breaking
    }

    @Option(name: .customLong("fail-on"), help: "docs: exit 1 when the API has a change of this kind (breaking), after printing.")
    var failOn: FailOn?

    func validate() throws {
        guard arguments.count == 2 || arguments.count == 3 else {
            throw ValidationError("give two files, or a policy id and two dates (YYYY-MM-DD)")
        }
        if isDocs {
            guard [.text, .json, .markdown, .html].contains(format) else {
                throw ValidationError("redline diff docs prints text, json, markdown or html")
            }
        } else if failOn != nil {
            throw ValidationError("--fail-on is for redline diff docs")
        } else if arguments.count == 3 {
            for date in arguments.dropFirst() where Day(date) == nil {
                throw ValidationError("'\(date)' is not a date as YYYY-MM-DD")
            }
        }
        if let date, Self.parseDate(date) == nil {
            throw ValidationError("--date '\(date)' is not YYYY-MM-DD or an ISO 8601 time such as 2026-11-22T09:30:00Z")
        }
        if format.isDocument, output == nil, isatty(STDOUT_FILENO) == 1 {
            throw ValidationError("--format \(format.rawValue) writes a binary file: give --output FILE, or pipe it")
        }
        if output != nil && !format.isDocument {
            throw ValidationError("--output is for --format docx and pdf; redirect the other formats")
        }
    }

    /// `redline diff docs v1 v2`: two docs versions rather than a policy's.
    private var isDocs: Bool { arguments.count == 3 && arguments[0] == "docs" }

    func run() throws {
        if isDocs { return try runDocs() }
        let (oldPath, newPath) = try paths()
        // Both files at once: big ones take milliseconds each to read and check as UTF-8.
        let (oldResult, newResult) = concurrently({ Result { try DiffInput(path: oldPath) } }, { Result { try DiffInput(path: newPath) } })
        var old = try oldResult.get(), new = try newResult.get()
        // Two versions by date compare as the site shows them: with the cookie table they ask for.
        if arguments.count == 3, old.body.contains(CookieTable.placeholder) || new.body.contains(CookieTable.placeholder),
           let text = try? ContentLoader.readText("\(content)/\(SiteConfig.fileName)"),
           let site = SiteConfig.parse(text, path: "\(content)/\(SiteConfig.fileName)").0,
           let oldDay = Day(arguments[1]), let newDay = Day(arguments[2]) {
            old.body = CookieTable.expand(old.body, site: site, on: oldDay)
            new.body = CookieTable.expand(new.body, site: site, on: newDay)
        }
        if let output {
            try OutputPaths.refuse(output, option: "--output", overwriting: [(oldPath, "the old text"), (newPath, "the new text"),
                                                                            ("\(content)/\(SiteConfig.fileName)", "the site's settings")])
        }
        let redline = RedlineDiffer.diff(old: old.body, new: new.body)
        let input = redlineInput(redline, old: old, new: new, oldPath: oldPath, newPath: newPath)
        let bytes: Data
        do {
            bytes = try RedlineOutput.render(input, as: format.output)
        } catch let error as RedlineOutputError {
            throw ValidationError(error.description)
        }
        defer {
            if old.body.utf8.count + new.body.utf8.count > 1 << 20 {
                // The command ends here: a big diff's texts and ops are left to the process's
                // exit rather than freed one by one.
                _ = Unmanaged.passRetained(Leftovers((redline, old, new, bytes)))
            }
        }
        if let output { return try Self.writeFile(bytes, to: output) }
        Self.writeToStandardOutput(bytes)
    }

    /// `redline diff docs v1 v2`: the pages and the API compared, and --fail-on's verdict.
    private func runDocs() throws {
        let diff = try DocsDiff.compare(content: content, from: arguments[1], to: arguments[2])
        print(try diff.render(as: format.output), terminator: "")
        if failOn == .breaking, !diff.changes.breaking.isEmpty {
            Console.printError("\(Console.count(diff.changes.breaking.count, "breaking change")) between docs \(arguments[1]) and \(arguments[2])")
            throw ExitCode(1)
        }
    }

    /// The redline with what the outputs call it: versions compared by date take the site's
    /// paper and language, and are called by their dates; files by their names.
    private func redlineInput(_ redline: Redline, old: DiffInput, new: DiffInput, oldPath: String, newPath: String) -> RedlineInput {
        let byDate = arguments.count == 3
        // Paper and language are a document's alone: text formats do not read site.yaml for them.
        let site = byDate && format.isDocument ? ContentLoader.loadSite(contentDirectory: content).0 : nil
        let fileName = { (path: String) in URL(fileURLWithPath: path).lastPathComponent }
        return RedlineInput(
            redline, frontMatter: DiffInput.changes(from: old, to: new),
            title: title ?? new.fields["title"] ?? (byDate ? arguments[0] : fileName(newPath)),
            oldLabel: byDate ? arguments[1] : fileName(oldPath), newLabel: byDate ? arguments[2] : fileName(newPath),
            oldSource: oldPath, newSource: newPath,
            author: author, date: date.flatMap(Self.parseDate) ?? Date(),
            paper: paper ?? site.flatMap { RedlineInput.Paper(rawValue: $0.paper) } ?? .a4,
            language: site?.language ?? "en")
    }

    /// `2026-11-22` (midnight UTC) or an ISO 8601 time.
    static func parseDate(_ text: String) -> Date? {
        if text.count == 10, let day = Day(text) { return ISO8601DateFormatter().date(from: "\(day)T00:00:00Z") }
        return ISO8601DateFormatter().date(from: text)
    }

    /// Whole or not at all: a reader never opens half a document.
    private static func writeFile(_ bytes: Data, to path: String) throws {
        do {
            try bytes.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ValidationError("\(path): \(error.localizedDescription)")
        }
    }

    /// Straight from the bytes, without FileHandle's copy (4 MB for a big JSON diff).
    private static func writeToStandardOutput(_ bytes: Data) {
        bytes.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            guard let base = buffer.baseAddress, buffer.count > 0 else { return }
            var written = 0
            while written < buffer.count {
                let result = write(STDOUT_FILENO, base + written, buffer.count - written)
                if result > 0 { written += result } else if errno != EINTR { break }
            }
        }
    }

    private func paths() throws -> (String, String) {
        if arguments.count == 2 { return (arguments[0], arguments[1]) }
        // A policy id is one folder name: `../../etc` would read outside content/.
        guard !arguments[0].isEmpty, !arguments[0].contains("/"), arguments[0] != "..", arguments[0] != "." else {
            throw ValidationError("'\(arguments[0])' is not a policy id: give the name of a folder in \(content)/policies")
        }
        let folder = "\(content)/policies/\(arguments[0])"
        let paths = arguments.dropFirst().map { date -> String in
            ["md", "markdown"].map { "\(folder)/\(date).\($0)" }.first(where: FileManager.default.fileExists) ?? "\(folder)/\(date).md"
        }
        for path in paths where !FileManager.default.fileExists(atPath: path) {
            // Versions only: `2026-06-01.de.md` is a translation of one.
            let known = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
                .filter { $0.hasSuffix(".md") && Day(String($0.dropLast(3))) != nil }.sorted()
            let hint = known.isEmpty ? "no policy '\(arguments[0])' in \(content)/policies" : "versions: " + known.map { String($0.dropLast(3)) }.joined(separator: ", ")
            throw ValidationError("\(path) does not exist (\(hint))")
        }
        // Versions by date are read from content/ and nowhere else, site.yaml (the cookie table) included.
        let outside = (paths + ["\(content)/\(SiteConfig.fileName)"]).compactMap { SymlinkAudit.outside($0, of: content) }
        if !outside.isEmpty { throw ValidationError(outside.map(\.description).joined(separator: "\n")) }
        return (paths[0], paths[1])
    }
}

/// What a finished big diff leaves to the process's exit.
private final class Leftovers {
    let value: Any
    init(_ value: Any) { self.value = value }
}

/// One side of a diff: the body to compare and the front matter to report.
struct DiffInput {
    var body: String
    let fields: [String: String]

    init(path: String) throws {
        let text: String
        do {
            text = try ContentLoader.readText(path)
        } catch {
            throw ValidationError("\(path): \(error.localizedDescription)")
        }
        if text.hasPrefix("---"), let frontMatter = try? FrontMatter.parse(text, path: path) {
            body = frontMatter.body
            fields = frontMatter.fields.compactMapValues { $0.node.scalar?.string }
        } else {
            body = text
            fields = [:]
        }
    }

    static func changes(from old: DiffInput, to new: DiffInput) -> [FieldChange] {
        Set(old.fields.keys).union(new.fields.keys).sorted().compactMap { key in
            old.fields[key] == new.fields[key] ? nil : FieldChange(field: key, old: old.fields[key], new: new.fields[key])
        }
    }
}

extension RedlineInput.Paper: ExpressibleByArgument {}
