import Foundation
import RedlineContent
import RedlineTestSupport
import Testing
@testable import RedlineSite

/// A build into its own last output renders and writes only what changed; whatever changed, the
/// result must be byte for byte what a build from scratch gives.
@Suite struct IncrementalBuildTests {
    struct Edit: CustomTestStringConvertible, Sendable {
        let testDescription: String
        let apply: @Sendable (TemporaryDirectory) -> Void
    }

    static let edits: [Edit] = [
        Edit(testDescription: "a docs page's text") {
            $0.write("content/docs/v2/errors.md", ContentFixture.docsPage(title: "Errors", weight: 3, body: "Problem details, edited.\n"))
        },
        Edit(testDescription: "a docs page's title, which every page of its version lists") {
            $0.write("content/docs/v2/errors.md", ContentFixture.docsPage(title: "Error responses", weight: 3, body: "Problem details.\n"))
        },
        Edit(testDescription: "a docs page's weight, which orders the navigation") {
            $0.write("content/docs/v2/errors.md", ContentFixture.docsPage(title: "Errors", weight: 0, body: "Problem details.\n"))
        },
        Edit(testDescription: "a new docs page, which changes the version switcher of the other version") {
            $0.write("content/docs/v2/legacy.md", ContentFixture.docsPage(title: "Legacy", body: "Now in v2 too.\n"))
        },
        Edit(testDescription: "a docs page deleted") {
            try? FileManager.default.removeItem(atPath: $0.subpath("content/docs/v2/guides/webhooks.md"))
        },
        Edit(testDescription: "a docs page made a draft") {
            $0.write("content/docs/v2/guides/webhooks.md", "---\ntitle: Webhooks\ndraft: true\n---\nSee [errors](../errors.md).\n")
        },
        Edit(testDescription: "a whole docs version deleted") {
            try? FileManager.default.removeItem(atPath: $0.subpath("content/docs/v1"))
        },
        Edit(testDescription: "a policy version's text") {
            $0.write("content/policies/privacy/2026-03-01.md", ContentFixture.policy(
                effective: "2026-03-01", material: false, summary: nil,
                body: "Intro.\n\n## Information we collect\n\nEmail address and name.\n\n## Sharing\n\nNobody.\n"))
        },
        Edit(testDescription: "a policy version's summary") {
            $0.write("content/policies/privacy/2026-09-01.md", ContentFixture.policy(
                effective: "2026-09-01", material: true, summary: "We now share with carriers.", published: "2026-06-01",
                body: "Intro.\n\n## Information we collect\n\nEmail address.\n\n## Sharing\n\nCarriers.\n"))
        },
        Edit(testDescription: "a policy version's title, which every page's navigation shows") {
            $0.write("content/policies/privacy/2026-03-01.md", ContentFixture.policy(
                title: "Privacy Notice", effective: "2026-03-01", material: false, summary: nil,
                body: "Intro.\n\n## Information we collect\n\nEmail address.\n\n## Sharing\n\nNobody.\n"))
        },
        Edit(testDescription: "a new upcoming policy version") {
            $0.write("content/policies/privacy/2026-12-01.md", ContentFixture.policy(
                effective: "2026-12-01", material: true, summary: "Longer retention.", published: "2026-06-10",
                body: "Intro.\n\n## Information we collect\n\nEmail address.\n\n## Sharing\n\nCarriers and banks.\n"))
        },
        Edit(testDescription: "a policy version deleted") {
            try? FileManager.default.removeItem(atPath: $0.subpath("content/policies/privacy/2026-09-01.md"))
        },
        Edit(testDescription: "a new policy") {
            $0.write("content/policies/cookies/2026-01-01.md", ContentFixture.policy(
                title: "Cookie Policy", effective: "2026-01-01", material: true, body: "We use one cookie.\n"))
        },
        Edit(testDescription: "the layout template") {
            let layout = $0.read("templates/layout.mustache") ?? ""
            $0.write("templates/layout.mustache", layout.replacingOccurrences(of: "</body>", with: "<!-- edited --></body>"))
        },
        Edit(testDescription: "a partial used by docs pages only") {
            let nav = $0.read("templates/partials/docs-nav.mustache") ?? ""
            $0.write("templates/partials/docs-nav.mustache", "<!-- edited -->" + nav)
        },
        Edit(testDescription: "the stylesheet") {
            $0.write("templates/assets/style.css", ($0.read("templates/assets/style.css") ?? "") + "\n/* edited */\n")
        },
        Edit(testDescription: "site.yaml") {
            $0.write("content/site.yaml", ContentFixture.siteYAML.replacingOccurrences(of: "Example Legal", with: "Example Legal & Co"))
        },
        Edit(testDescription: "an image beside a policy's versions") {
            $0.write("content/policies/privacy/images/flow.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>")
        },
    ]

    @Test(arguments: edits) func anUpdateGivesWhatABuildFromScratchGives(_ edit: Edit) throws {
        let site = SiteFixture()
        try site.build()
        Thread.sleep(forTimeInterval: 0.01)
        edit.apply(site.directory)
        let report = try site.build()
        #expect(!report.upToDate)
        try expectSameAsFromScratch(site, now: "2026-06-15")
    }

    /// The day an upcoming version takes effect: the pages the last build wrote for that day
    /// under .redline/as-of/ must not be taken for the site's own.
    @Test func anUpdateOnTheDayAVersionTakesEffect() throws {
        let site = SiteFixture()
        try site.build(now: "2026-06-15")
        try site.build(now: "2026-09-01")
        #expect(site.page("privacy/index.html").contains("Carriers."))
        try expectSameAsFromScratch(site, now: "2026-09-01")
    }

    func expectSameAsFromScratch(_ site: SiteFixture, now: String) throws {
        var fresh = site.options(now: now)
        fresh.outputDirectory = site.directory.subpath("fresh")
        try SiteBuilder.build(fresh)
        let updated = try Self.tree(site.output), expected = try Self.tree(fresh.outputDirectory)
        #expect(updated.keys.sorted() == expected.keys.sorted(), "the same files")
        for (path, bytes) in expected where updated[path] != bytes {
            Issue.record("\(path) differs from a build from scratch")
        }
        #expect(site.leftovers().isEmpty, "no pending folder is left: \(site.leftovers())")
    }

    @Test func onlyTheChangedPagesAreRenderedAndWritten() throws {
        let site = SiteFixture()
        let first = try site.build()
        #expect(first.reusedPages == 0)
        let untouched = site.directory.subpath("public/docs/v1/legacy/index.html")
        let edited = site.directory.subpath("public/docs/v2/errors/index.html")
        let before = (try Self.inode(untouched), try Self.inode(edited))

        Thread.sleep(forTimeInterval: 0.01)
        site.directory.write("content/docs/v2/errors.md", ContentFixture.docsPage(title: "Errors", weight: 3, body: "Problem details, edited.\n"))
        let second = try site.build()
        // The home and search pages show the whole site and are always rendered (and rewritten only if changed);
        // v2's changes page (and its feed) compares the edited page with v1's; the edited page has its Markdown twin.
        #expect(second.reusedPages == second.pageCount - 6, "only the edited page, its twin and what compares it are rendered")
        #expect(try Self.inode(untouched) == before.0, "an unchanged page stays the same file")
        #expect(try Self.inode(edited) != before.1, "the edited page is a new file, renamed in whole")
        #expect(site.page("docs/v2/errors/index.html").contains("Problem details, edited."))
    }

    @Test func aFailedUpdateLeavesTheOutputAndNothingBeside() throws {
        let site = SiteFixture()
        try site.build()
        let before = try Self.tree(site.output)
        site.directory.write("content/docs/v2/errors.md", ContentFixture.docsPage(title: "Errors", body: "See [nowhere](../nowhere/).\n"))
        #expect(throws: BuildFailure.self) { try site.build() }
        #expect(try Self.tree(site.output) == before)
        #expect(site.leftovers().isEmpty)
    }

    @Test func aDamagedCacheMeansABuildFromScratch() throws {
        let site = SiteFixture()
        try site.build()
        site.directory.write("public/\(PageCache.file)", "not a cache")
        Thread.sleep(forTimeInterval: 0.01)
        site.directory.write("content/docs/v2/errors.md", ContentFixture.docsPage(title: "Errors", weight: 3, body: "Edited.\n"))
        let report = try site.build()
        #expect(report.reusedPages == 0)
        #expect(site.page("docs/v2/errors/index.html").contains("Edited."))
    }

    @Test func aPageDeletedFromTheOutputIsWrittenAgain() throws {
        let site = SiteFixture()
        try site.build()
        try FileManager.default.removeItem(atPath: site.directory.subpath("public/docs/v1/legacy/index.html"))
        Thread.sleep(forTimeInterval: 0.01)
        site.directory.write("content/docs/v2/errors.md", ContentFixture.docsPage(title: "Errors", weight: 3, body: "Edited.\n"))
        try site.build()
        #expect(site.page("docs/v1/legacy/index.html").contains("Only in v1."))
    }

    /// The cache lists the files the last build made; an update deletes only those, never a path
    /// that leads out of the output, whatever the cache says.
    @Test func anUpdateDeletesOnlyWhatABuildMade() throws {
        let site = SiteFixture()
        try site.build()
        let outside = site.directory.write("keep.txt", "not the build's")
        site.directory.write("public/notes.txt", "put here by hand")
        var contents = try #require(PageCache.load(from: site.output))
        contents.files += ["../keep.txt", "/\(outside)", "docs/../../keep.txt"]
        try Data(contents.bytes).write(to: URL(fileURLWithPath: site.directory.subpath("public/\(PageCache.file)")))
        Thread.sleep(forTimeInterval: 0.01)
        try FileManager.default.removeItem(atPath: site.directory.subpath("content/docs/v1/legacy.md"))
        try site.build()
        #expect(!site.directory.exists("public/docs/v1/legacy/index.html"), "a page the site no longer has is deleted")
        #expect(!site.directory.exists("public/docs/v1/legacy"), "and its folder, now empty")
        #expect(site.directory.exists("keep.txt"))
        #expect(site.directory.read("public/notes.txt") == "put here by hand")
    }

    @Test func aSecondBuildIntoTheSameFolderWaitsForTheFirst() throws {
        let site = SiteFixture()
        try site.build()
        var held: BuildLock? = BuildLock(output: site.output)
        #expect(held != nil)
        let finished = DispatchSemaphore(value: 0)
        Thread.sleep(forTimeInterval: 0.01)
        site.directory.write("content/docs/v2/errors.md", ContentFixture.docsPage(title: "Errors", weight: 3, body: "Edited while locked.\n"))
        let options = site.options()
        Thread.detachNewThread {
            _ = try? SiteBuilder.build(options)
            finished.signal()
        }
        #expect(finished.wait(timeout: .now() + 0.5) == .timedOut, "the build waits while another holds the folder")
        #expect(!site.page("docs/v2/errors/index.html").contains("Edited while locked."))
        held = nil
        #expect(finished.wait(timeout: .now() + 60) == .success)
        #expect(site.page("docs/v2/errors/index.html").contains("Edited while locked."))
        _ = held
    }

    /// Every file under `folder` but the build's own state, by relative path.
    static func tree(_ folder: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for path in OutputUpdate.files(in: folder) where ![PageCache.file, BuildInputs.stateFile].contains(path) {
            files[path] = try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(path)"))
        }
        return files
    }

    static func inode(_ path: String) throws -> Int? {
        try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int
    }
}
