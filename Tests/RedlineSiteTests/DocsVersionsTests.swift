import Foundation
import RedlineContent
import RedlineTestSupport
import Testing
@testable import RedlineSite

/// Which docs version is the latest: the newest released one unless site.yaml says otherwise, and
/// `check` says when a pinned one has fallen behind.
@Suite struct DocsVersionsTests {
    func site(appending yaml: String) -> SiteFixture {
        let site = SiteFixture()
        let path = site.directory.subpath("content/site.yaml")
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        try? (text + "\n" + yaml).write(toFile: path, atomically: true, encoding: .utf8)
        return site
    }

    @Test func aPinnedLatestOlderThanAReleasedVersionIsAWarningAtItsLine() throws {
        let site = site(appending: "docs:\n  latest: v1\n")
        let report = try site.build()
        let warning = try #require(report.diagnostics.first { $0.message.contains("docs.latest pins 'v1'") })
        #expect(warning.severity == .warning && warning.message.contains("v2 is newer"))
        let lines = try String(contentsOfFile: site.directory.subpath("content/site.yaml"), encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(warning.line.map { lines[$0 - 1] } == "  latest: v1")
        #expect(site.page("docs/v2/index.html").contains("The latest version is v1"))
    }

    @Test func aPrereleaseIsNeverTheDefaultLatestAndSaysWhatItIs() throws {
        let site = site(appending: "docs:\n  prerelease: [v2]\n")
        let report = try site.build()
        #expect(!report.diagnostics.contains { $0.message.contains("docs.latest") })
        let manifest = try site.manifest()
        #expect(manifest.docs.map(\.version) == ["v1", "v2"])
        #expect(manifest.docs.map(\.latest) == [true, false] && manifest.docs.map(\.prerelease) == [nil, true])
        let preview = site.page("docs/v2/authentication/index.html")
        #expect(preview.contains("documentation, a pre-release:</strong>"))
        #expect(preview.contains("<a href=\"/docs/v1/authentication/\">read this page for v1</a>"))
        #expect(!site.page("docs/v1/authentication/index.html").contains("notice-old"))
    }

    @Test func aPrereleaseThatIsNoVersionIsAnError() throws {
        let site = site(appending: "docs:\n  prerelease: [v9]\n")
        #expect(throws: BuildFailure.self) { try site.build() }
    }

    @Test func withoutDocsSettingsTheNewestVersionIsTheLatest() throws {
        let site = SiteFixture()
        let report = try site.build()
        #expect(!report.diagnostics.contains { $0.message.contains("docs.") })
        #expect(try site.manifest().docs.map(\.latest) == [false, true])
    }
}
