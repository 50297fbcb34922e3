import Foundation
import RedlineManifest

/// `pdf`: the Word redline as LibreOffice prints it.
struct PDFRedline: RedlineRenderer {
    func render(_ input: RedlineInput) throws -> Data {
        try PDFPrinter.printed(try WordRedline().render(input))
    }
}

/// Why a redline could not be written; the message is for the person who asked for it.
public struct RedlineOutputError: Error, CustomStringConvertible {
    public let description: String
}

enum PDFPrinter {
    /// The document as LibreOffice prints it: tracked changes shown as they are in Word (underlined
    /// insertions, struck deletions, change bars), headers, footers and page numbers included.
    /// LibreOffice runs headless with a profile of its own in a temporary folder, so it neither
    /// reads nor locks the user's.
    static func printed(_ document: Data) throws -> Data {
        guard let soffice = ["soffice", "libreoffice"].lazy.compactMap(Executable.path(of:)).first else {
            throw RedlineOutputError(description: "--format pdf prints through LibreOffice, which is not installed "
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
            throw RedlineOutputError(description: "LibreOffice could not print the redline (exit \(process.terminationStatus)): \(reason)")
        }
        return bytes
    }
}
