import Foundation
import RedlineContent
import RedlineTestSupport
import Testing
@testable import RedlineSite

@Suite struct AtomicBuildTests {
    @Test func aFailedBuildLeavesThePreviousSiteUntouched() throws {
        let site = SiteFixture()
        try site.build()
        let before = site.page("manifest.json")
        site.directory.write("content/policies/privacy/2026-12-01.md", "---\ntitle: Broken\neffective: 2026-12-02\nmaterial: true\n---\n")
        #expect(throws: BuildFailure.self) { try site.build() }
        #expect(site.page("manifest.json") == before)
        #expect(!site.directory.exists("public/privacy/2026-12-01"))
        #expect(site.leftovers().isEmpty, "staging folders must be cleaned up: \(site.leftovers())")
    }

    @Test func allContentProblemsComeBackTogether() throws {
        let site = SiteFixture()
        site.directory.write("content/policies/privacy/2026-12-01.md", "---\ntitle: Broken\neffective: 2026-12-02\nmaterial: true\n---\n")
        site.directory.write("content/docs/v2/untitled.md", "---\nweight: 2\n---\nText\n")
        do {
            try site.build()
            Issue.record("expected failure")
        } catch {
            #expect(error.step == "load")
            let descriptions = error.diagnostics.errors.map(\.description)
            #expect(descriptions.contains { $0.hasSuffix("policies/privacy/2026-12-01.md:3: error: 'effective' is 2026-12-02 but the file name says 2026-12-01: they must match") })
            #expect(descriptions.contains { $0.hasSuffix("policies/privacy/2026-12-01.md:4: error: a material version needs a 'summary' that tells readers what changed") })
            #expect(descriptions.contains { $0.hasSuffix("docs/v2/untitled.md:1: error: missing required field 'title'") })
        }
        #expect(!site.directory.exists("public"))
    }

    @Test func aBrokenTemplateIsReportedWithItsLine() throws {
        let site = SiteFixture()
        try site.build()
        let before = site.page("index.html")
        site.directory.write("templates/home.mustache", "{{<layout}}\n{{$main}}\n{{#policies}}\n<p>{{title}}</p>\n{{/main}}\n{{/layout}}\n")
        do {
            try site.build()
            Issue.record("expected failure")
        } catch {
            #expect(error.step == "templates")
            let diagnostic = try #require(error.diagnostics.errors.first)
            #expect(diagnostic.path.hasSuffix("templates/home.mustache"))
            #expect(diagnostic.line != nil)
            #expect(diagnostic.message.hasPrefix("template syntax"))
        }
        #expect(site.page("index.html") == before)
    }

    @Test func aMissingPartialIsReported() throws {
        let site = SiteFixture()
        site.directory.write("templates/home.mustache", "{{<layout}}\n{{$main}}\n{{> partials/nope}}\n{{/main}}\n{{/layout}}\n")
        do {
            try site.build()
            Issue.record("expected failure")
        } catch {
            #expect(error.diagnostics.errors.map(\.description).contains { $0.hasSuffix("templates/home.mustache:3: error: uses template 'partials/nope', but there is no \(site.directory.subpath("templates"))/partials/nope.mustache") })
        }
    }

    @Test func refusesToReplaceAFolderItDidNotMake() throws {
        let site = SiteFixture()
        site.directory.write("public/thesis.docx", "precious")
        #expect(throws: BuildFailure.self) { try site.build() }
        #expect(site.page("thesis.docx") == "precious")
    }

    @Test func keepsTheGitkeepOfTheOutputFolder() throws {
        let site = SiteFixture()
        site.directory.write("public/.gitkeep", "")
        try site.build()
        try site.build()
        #expect(site.directory.exists("public/.gitkeep"))
        #expect(site.directory.exists("public/manifest.json"))
    }

    @Test func checkWritesNothing() throws {
        let site = SiteFixture()
        let report = try SiteBuilder.check(site.options())
        #expect(report.pageCount > 10)
        #expect(!site.directory.exists("public"))
        #expect(site.leftovers().isEmpty)
    }
}

@Suite struct UpToDateTests {
    @Test func aBuildWithNothingChangedLeavesTheOutputAsItIs() throws {
        let site = SiteFixture()
        #expect(try site.build().upToDate == false)
        let manifestPath = site.directory.subpath("public/manifest.json")
        let before = try FileManager.default.attributesOfItem(atPath: manifestPath)[.systemFileNumber] as? Int
        #expect(try site.build().upToDate)
        #expect(try FileManager.default.attributesOfItem(atPath: manifestPath)[.systemFileNumber] as? Int == before, "the output was not touched")

        // Any input or option that changes means a build.
        #expect(try site.build(now: "2026-06-16").upToDate == false)
        #expect(try site.build(now: "2026-06-16").upToDate)
        Thread.sleep(forTimeInterval: 0.01)
        site.directory.write("content/docs/v2/errors.md", ContentFixture.docsPage(title: "Errors", weight: 3, body: "Problem details, edited.\n"))
        #expect(try site.build(now: "2026-06-16").upToDate == false)
        #expect(site.page("docs/v2/errors/index.html").contains("Problem details, edited."))
        var forced = site.options(now: "2026-06-16")
        forced.force = true
        #expect(try SiteBuilder.build(forced).upToDate == false)
        // A folder that is not a build's output is never taken as up to date.
        try FileManager.default.removeItem(atPath: site.directory.subpath("public/.redline-build"))
        #expect(throws: BuildFailure.self) { try site.build(now: "2026-06-16") }
    }
}
