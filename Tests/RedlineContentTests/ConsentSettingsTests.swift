import RedlineContent
import RedlineTestSupport
import Testing

@Suite struct ConsentSettingsTests {
    @Test func withoutASectionTheBannerAsksForTheThreeUsualCategories() {
        let (config, diagnostics) = SiteConfig.parse("title: X\nbaseURL: https://x.test/\n", path: "site.yaml")
        #expect(diagnostics.isEmpty)
        #expect(config?.consent.categories.map(\.id) == ["necessary", "analytics", "marketing"])
        #expect(config?.consent.categories.first?.required == true)
        #expect(config?.consent.categories.last?.gpc == true)
        #expect(config?.consent.documents == nil)
    }

    @Test func readsEverySetting() {
        let yaml = """
            title: X
            baseURL: https://x.test/
            consent:
              documents: [privacy]
              allowedOrigins: [https://App.Example.com]
              maxAgeDays: 180
              banner:
                title: Cookies
                message: We ask first.
              categories:
                - id: essential
                  label: Essential
                  required: true
                - id: ads
                  label: Advertising
                  description: Ads elsewhere.
                  gpc: true
            """
        let (config, diagnostics) = SiteConfig.parse(yaml, path: "site.yaml")
        #expect(diagnostics.isEmpty)
        let consent = try! #require(config?.consent)
        #expect(consent.documents == ["privacy"])
        #expect(consent.allowedOrigins == ["https://app.example.com"])
        #expect(consent.maxAgeDays == 180)
        #expect(consent.bannerTitle == "Cookies" && consent.bannerMessage == "We ask first.")
        #expect(consent.categories.map(\.id) == ["essential", "ads"])
        #expect(consent.categories[1].gpc && !consent.categories[1].required)
    }

    @Test func reportsEveryProblemAtItsLine() {
        let yaml = """
            title: X
            baseURL: https://x.test/
            consent:
              allowedOrigins: [https://app.example.com/path]
              maxAgeDays: 0
              categories:
                - id: Necessary Cookies
                  label: Necessary
                  required: true
                  gpc: true
                - id: ads
                  label: Ads
                - id: ads
                  label: Ads again
                - label: No id
              colour: blue
            """
        let (_, diagnostics) = SiteConfig.parse(yaml, path: "site.yaml")
        let lines = diagnostics.map { "\($0.line ?? 0): \($0.message)" }
        #expect(lines.contains { $0.hasPrefix("4: ") && $0.contains("is not an origin") })
        #expect(lines.contains { $0.hasPrefix("5: ") && $0.contains("maxAgeDays") })
        #expect(lines.contains { $0.hasPrefix("7: ") && $0.contains("lower-case") })
        #expect(lines.contains { $0.hasPrefix("10: ") && $0.contains("required category cannot be denied") })
        #expect(lines.contains { $0.hasPrefix("13: ") && $0.contains("listed twice") })
        #expect(lines.contains { $0.hasPrefix("15: ") && $0.contains("missing required field 'id'") })
        #expect(lines.contains { $0.hasPrefix("16: ") && $0.contains("unknown field 'colour'") })
    }

    @Test func aConsentDocumentThatDoesNotExistIsAnErrorAtItsLine() {
        let directory = TemporaryDirectory()
        ContentFixture.standard(in: directory)
        directory.write("content/site.yaml", ContentFixture.siteYAML + "\nconsent:\n  documents: [privacy, refunds]\n")
        let (_, diagnostics) = ContentLoader.load(contentDirectory: directory.subpath("content"))
        let problem = diagnostics.first { $0.message.contains("consent.documents names 'refunds'") }
        #expect(problem?.severity == .error)
        #expect(problem?.line == 5)
    }

    @Test func cookiesTextLanguagesAndThePolicyOriginsAreRead() throws {
        let yaml = """
            title: Shop
            baseURL: https://x.test/
            language: en
            languages: [de]
            contentSecurityPolicy:
              script-src: [https://stats.x.test, "https://*.cdn.test"]
            consent:
              categories:
                - id: necessary
                  label: Necessary
                  required: true
                - id: analytics
                  label: Analytics
                  cookies:
                    - { name: "_pk_id.*", duration: 13 months, purpose: Counts visits., until: 2027-01-01 }
                    - { name: _pk_ses, duration: 30 minutes, purpose: Groups a visit., provider: Matomo, since: 2027-01-01 }
              text:
                de:
                  acceptAll: Alle akzeptieren
                  categories:
                    analytics: { label: Statistik }
            """
        let (parsed, diagnostics) = SiteConfig.parse(yaml, path: "site.yaml")
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        let config = try #require(parsed)
        #expect(config.languages == ["de"] && config.bindingLanguage == "en")
        #expect(config.contentSecurityPolicy == ["script-src": ["https://stats.x.test", "https://*.cdn.test"]])
        let cookies = config.consent.categories[1].cookies
        #expect(cookies.map(\.provider) == ["Shop", "Matomo"], "the site provides its own cookies unless told otherwise")
        let december = try #require(Day("2026-12-01")), january = try #require(Day("2027-01-01"))
        #expect(cookies.map { $0.listed(on: december) } == [true, false])
        #expect(cookies.map { $0.listed(on: january) } == [false, true], "until is the first day without it, since the first with it")
        #expect(config.consent.text.strings["de"]?["acceptAll"] == "Alle akzeptieren")
        #expect(config.consent.text.categories["de"]?["analytics"]?.label == "Statistik")
    }
}
