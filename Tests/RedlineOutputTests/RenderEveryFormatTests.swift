import Foundation
import RedlineDiff
import RedlineManifest
import Testing
import ZIPFoundation
@testable import RedlineOutput

/// A format's output as text, for the tests that read it.
func rendered(_ redline: Redline, frontMatter: [FieldChange] = [], as format: RedlineFormat) throws -> String {
    String(decoding: try RedlineOutput.render(RedlineInput(redline, frontMatter: frontMatter), as: format), as: UTF8.self)
}

/// Every format from one input, through the one render function.
@Suite struct RenderEveryFormatTests {
    static let input = RedlineInput(
        RedlineDiffer.diff(old: "Intro.\n\n## Retention\n\nWe keep data for 13 months.\n",
                           new: "Intro.\n\n## Retention\n\nWe keep data for 25 months.\n\n## Contact\n\nWrite to us.\n"),
        frontMatter: [FieldChange(field: "effective", old: "2026-01-01", new: "2026-06-01")],
        title: "Privacy Policy", oldLabel: "2026-01-01", newLabel: "2026-06-01",
        oldSource: "privacy/2026-01-01.md", newSource: "privacy/2026-06-01.md",
        date: Date(timeIntervalSince1970: 1_795_000_000), paper: .letter, language: "de")

    func text(_ format: RedlineFormat) throws -> String {
        String(decoding: try RedlineOutput.render(Self.input, as: format), as: UTF8.self)
    }

    @Test func everyFormatRendersTheSameRedline() throws {
        #expect(try text(.text(colour: false)).contains("We keep data for [-13-]{+25+} months."))
        #expect(try text(.text(colour: true)).contains("\u{1B}[4;32m25\u{1B}[0m"))

        let json = try #require(try JSONSerialization.jsonObject(with: RedlineOutput.render(Self.input, as: .json)) as? [String: Any])
        #expect(json["format"] as? String == "redline-diff/1")
        let sections = try #require(json["sections"] as? [[String: Any]])
        #expect(sections.map { $0["status"] as? String } == ["unchanged", "modified", "added"])
        #expect(sections[1]["level"] as? Int == 2 && sections[1]["url"] == nil)

        #expect(try text(.markdown).contains("| Retention | modified | 1 | 1 |"))
        #expect(try text(.markdown).contains("**Front matter `effective`:** 2026-01-01 → 2026-06-01"))
        #expect(try text(.htmlFragment).hasPrefix("<section class=\"redline-section status-unchanged\""))
        let page = try text(.htmlPage)
        #expect(page.hasPrefix("<!doctype html>"))
        #expect(page.contains("<title>Redline: privacy/2026-01-01.md → privacy/2026-06-01.md</title>"))
        #expect(page.contains("<del>13</del><ins>25</ins>"))

        let docx = try RedlineOutput.render(Self.input, as: .docx)
        let archive = try Archive(data: docx, accessMode: .read)
        let entry = try #require(archive["word/document.xml"])
        var document = Data()
        _ = try archive.extract(entry) { document.append($0) }
        #expect(String(decoding: document, as: UTF8.self).contains("Privacy Policy"))
        #expect(String(decoding: document, as: UTF8.self).contains("<w:pgSz w:w=\"12240\""), "letter paper")

        // LibreOffice prints the PDF where it is installed; elsewhere the error says so.
        if Executable.path(of: "soffice") != nil || Executable.path(of: "libreoffice") != nil {
            #expect(try RedlineOutput.render(Self.input, as: .pdf).starts(with: Array("%PDF".utf8)))
        } else {
            #expect(throws: RedlineOutputError.self) { try RedlineOutput.render(Self.input, as: .pdf) }
        }
    }

    @Test func theJSONSectionIsTheManifestsSummaryWithItsLevel() throws {
        let change = Self.input.redline.sections[1]
        let summary = try JSONEncoder().encode(Manifest.ChangedSection(change, url: "https://example.com/#retention"))
        let object = try #require(try JSONSerialization.jsonObject(with: summary) as? [String: Any])
        #expect(Set(object.keys) == ["heading", "status", "inserted", "deleted", "url"])
        let section = try JSONEncoder().encode(RedlineJSONFormat.Section(change))
        let sectionObject = try #require(try JSONSerialization.jsonObject(with: section) as? [String: Any])
        #expect(Set(sectionObject.keys) == ["heading", "status", "inserted", "deleted", "level"])
    }
}
