import ArgumentParser
import Foundation
import RedlineContent
import RedlineDiff
import RedlineSite
import RedlineWord

extension WordRedline.Paper: ExpressibleByArgument {}

/// `redline diff --format docx|pdf`: the Word redline, written to a file or a pipe, or printed to
/// PDF by LibreOffice.
enum RedlineDocumentOutput {
    static func write(_ redline: Redline, options: WordRedline.Options, pdf: Bool, to path: String?) throws {
        let document = try WordRedline.document(redline, options: options)
        let bytes = pdf ? try printed(document) : document
        guard let path else {
            FileHandle.standardOutput.write(bytes)
            return
        }
        do {
            // Whole or not at all: a reader never opens half a document.
            try bytes.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ValidationError("\(path): \(error.localizedDescription)")
        }
    }

    /// The document as LibreOffice prints it: tracked changes shown as they are in Word (underlined
    /// insertions, struck deletions, change bars), headers, footers and page numbers included.
    /// LibreOffice runs headless with a profile of its own in a temporary folder, so it neither
    /// reads nor locks the user's.
    static func printed(_ document: Data) throws -> Data {
        guard let soffice = ["soffice", "libreoffice"].lazy.compactMap(Executable.path(of:)).first else {
            throw ValidationError("--format pdf prints through LibreOffice, which is not installed "
                                  + "(Debian: apt install libreoffice-writer); --format docx needs nothing")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("redline-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false)
        defer { try? FileManager.default.removeItem(at: folder) }
        let input = folder.appendingPathComponent("redline.docx")
        try document.write(to: input)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: soffice)
        process.arguments = ["-env:UserInstallation=file://\(folder.path)/profile", "--headless", "--norestore",
                             "--convert-to", "pdf:writer_pdf_Export", "--outdir", folder.path, input.path]
        let messages = Pipe()
        process.standardOutput = messages
        process.standardError = messages
        try process.run()
        let said = messages.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let pdf = folder.appendingPathComponent("redline.pdf")
        guard process.terminationStatus == 0, let bytes = try? Data(contentsOf: pdf), bytes.starts(with: Array("%PDF".utf8)) else {
            let reason = String(decoding: said, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? "no output"
            throw ValidationError("LibreOffice could not print the redline (exit \(process.terminationStatus)): \(reason)")
        }
        return bytes
    }

    /// `2026-11-22` (midnight UTC) or an ISO 8601 time.
    static func parseDate(_ text: String) -> Date? {
        if text.count == 10, let day = Day(text) { return ISO8601DateFormatter().date(from: "\(day)T00:00:00Z") }
        return ISO8601DateFormatter().date(from: text)
    }

    /// The content folder's site.yaml, when it reads; a redline is still written without it.
    static func siteConfig(in content: String) -> SiteConfig? {
        ContentLoader.loadSite(contentDirectory: content).0
    }
}
