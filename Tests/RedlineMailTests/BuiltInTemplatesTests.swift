import Foundation
import RedlineTestSupport
import Testing
@testable import RedlineMail

/// The binary carries templates/email/ so that an installed lone binary can send notices.
@Suite struct BuiltInTemplatesTests {
    @Test func theBuiltInTemplatesAreTheRepositorysByteForByte() throws {
        let folder = Repository.templates + "/email"
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".mustache") }
        var onDisk: [String: String] = [:]
        for name in names { onDisk[name] = try String(contentsOfFile: "\(folder)/\(name)", encoding: .utf8) }
        #expect(BuiltInNoticeTemplates.files == onDisk, "templates/email/ changed: run python3 scripts/embed_email_templates.py")
    }

    @Test func theBuiltInTemplatesRenderLikeTheFolder() throws {
        let content = NoticeContent(siteTitle: "Example", documentTitle: "Privacy Policy", effective: "2027-03-01", summary: "We keep less.",
                                    changesUrl: "https://legal.example.com/privacy/changes/2027-03-01/",
                                    versionUrl: "https://legal.example.com/privacy/2027-03-01/")
        let folder = try NoticeTemplates(directory: Repository.templates + "/email")
        let builtIn = try NoticeTemplates.builtIn()
        for locale in ["en", "de-AT", "fr"] {
            #expect(builtIn.render(content, locale: locale) == folder.render(content, locale: locale))
        }
    }
}
