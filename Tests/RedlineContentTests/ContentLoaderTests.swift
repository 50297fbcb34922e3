import RedlineTestSupport
import Testing
@testable import RedlineContent

@Suite struct ContentLoaderTests {
    @Test func loadsPoliciesAndDocs() throws {
        let directory = TemporaryDirectory()
        ContentFixture.standard(in: directory)
        let (corpus, diagnostics) = ContentLoader.load(contentDirectory: directory.subpath("content"))
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let loaded = try #require(corpus)
        #expect(loaded.site.title == "Example Legal")
        #expect(loaded.policies.map(\.id) == ["privacy"])
        #expect(loaded.policies[0].versions.map(\.effective.description) == ["2026-01-01", "2026-03-01", "2026-09-01"])
        #expect(loaded.docs.map(\.name) == ["v1", "v2"])
        #expect(loaded.latestDocs?.name == "v2")
        #expect(loaded.docs[1].pages.map(\.path) == ["authentication", "errors", "guides/webhooks"])
    }

    @Test func statusDependsOnTheDay() throws {
        let directory = TemporaryDirectory()
        ContentFixture.standard(in: directory)
        let policy = try #require(ContentLoader.load(contentDirectory: directory.subpath("content")).0?.policy("privacy"))
        let statuses = { (day: String) in policy.versions.map { policy.status(of: $0, on: Day(day)!).rawValue } }
        #expect(statuses("2025-12-31") == ["upcoming", "upcoming", "upcoming"])
        #expect(statuses("2026-01-01") == ["current", "upcoming", "upcoming"])
        #expect(statuses("2026-06-15") == ["archived", "current", "upcoming"])
        #expect(statuses("2026-09-01") == ["archived", "archived", "current"])
        #expect(policy.featured(on: Day("2025-12-31"))?.effective == Day("2026-01-01"))
        #expect(policy.nextUpcoming(after: Day("2026-06-15"))?.effective == Day("2026-09-01"))
    }

    @Test func reportsProblemsInEveryFileAtOnce() {
        let directory = TemporaryDirectory()
        directory.write("content/site.yaml", "title: X\nbaseURL: not a url\n")
        directory.write("content/policies/privacy/2026-01-01.md", "---\ntitle: P\neffective: 2026-01-02\nmaterial: false\n---\n")
        directory.write("content/policies/terms/2026-01-01.md", "no front matter\n")
        directory.write("content/docs/v1/intro.md", "---\nweight: 1\n---\nText\n")
        let (_, diagnostics) = ContentLoader.load(contentDirectory: directory.subpath("content"))
        let root = directory.subpath("content")
        let errors = diagnostics.errors.map(\.description)
        #expect(errors.contains("\(root)/site.yaml:2: error: 'baseURL' must be an absolute http:// or https:// URL, not 'not a url'"))
        #expect(errors.contains("\(root)/policies/privacy/2026-01-01.md:3: error: 'effective' is 2026-01-02 but the file name says 2026-01-01: they must match"))
        #expect(errors.contains { $0.hasPrefix("\(root)/policies/terms/2026-01-01.md:1: error: missing front matter") })
        #expect(errors.contains("\(root)/docs/v1/intro.md:1: error: missing required field 'title'"))
        #expect(errors.count == 4)
    }

    @Test func twoVersionsOnTheSameDateAreAnError() {
        let directory = TemporaryDirectory()
        directory.write("content/site.yaml", ContentFixture.siteYAML)
        let policy = ContentFixture.policy(effective: "2026-01-01", material: false, body: "Text\n")
        directory.write("content/policies/privacy/2026-01-01.md", policy)
        directory.write("content/policies/privacy/2026-01-01.markdown", policy)
        let (_, diagnostics) = ContentLoader.load(contentDirectory: directory.subpath("content"))
        #expect(diagnostics.errors.count == 1)
        #expect(diagnostics.errors.first?.message.contains("two versions take effect on 2026-01-01") == true)
    }

    @Test func missingSiteYAMLAndReservedIDsAreErrors() {
        let directory = TemporaryDirectory()
        directory.write("content/policies/docs/2026-01-01.md", ContentFixture.policy(effective: "2026-01-01", material: false, body: "x"))
        directory.write("content/policies/Bad_Name/2026-01-01.md", ContentFixture.policy(effective: "2026-01-01", material: false, body: "x"))
        let (corpus, diagnostics) = ContentLoader.load(contentDirectory: directory.subpath("content"))
        #expect(corpus == nil)
        let messages = diagnostics.errors.map(\.message)
        #expect(messages.contains { $0.hasPrefix("missing site.yaml") })
        #expect(messages.contains { $0.contains("'docs' is reserved") })
        #expect(messages.contains { $0.contains("'Bad_Name' must be lower-case") })
    }

    @Test func siteYAMLSyntaxErrorHasALine() {
        let (config, diagnostics) = SiteConfig.parse("title: X\nbaseURL: https://x.test/\nlanguage: [en\n", path: "site.yaml")
        #expect(config == nil)
        #expect(diagnostics.count == 1)
        #expect((3...4).contains(diagnostics[0].line ?? 0))
    }

    @Test func paperIsA4OrLetterAndAnythingElseIsAnErrorWithItsLine() {
        #expect(SiteConfig.parse("title: X\nbaseURL: https://x.test/\n", path: "site.yaml").0?.paper == "a4")
        #expect(SiteConfig.parse("title: X\nbaseURL: https://x.test/\npaper: Letter\n", path: "site.yaml").0?.paper == "letter")
        let (_, diagnostics) = SiteConfig.parse("title: X\nbaseURL: https://x.test/\npaper: a3\n", path: "site.yaml")
        #expect(diagnostics.errors.map(\.line) == [3])
        #expect(diagnostics.errors.first?.message.contains("'paper' must be a4 or letter") == true)
    }

    @Test func baseURLGetsATrailingSlashAndKeepsItsPath() {
        let (config, _) = SiteConfig.parse("title: X\nbaseURL: https://example.com/legal\n", path: "site.yaml")
        #expect(config?.baseURL == "https://example.com/legal/")
        #expect(config?.basePath == "/legal/")
    }
}
