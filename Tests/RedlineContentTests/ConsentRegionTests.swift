import RedlineContent
import RedlineManifest
import Testing

@Suite struct ConsentRegionTests {
    private func consent(_ section: String) -> (ConsentSettings?, [Diagnostic]) {
        let (config, diagnostics) = SiteConfig.parse("title: X\nbaseURL: https://x.test/\nconsent:\n" + section, path: "site.yaml")
        return (config?.consent, diagnostics)
    }

    @Test func groupsExpandAndACodeOfItsOwnWinsOverItsGroup() throws {
        let (settings, diagnostics) = consent("""
              regions:
                EEA: opt-in
                NO: notice
                US-CA: opt-out
                default: notice
            """)
        #expect(diagnostics.isEmpty)
        let rules = try #require(settings?.regions)
        #expect(rules.modes["DE"] == .optIn && rules.modes["LI"] == .optIn && rules.modes["NO"] == .notice)
        #expect(rules.mode(for: "US-CA") == .optOut && rules.mode(for: "us-ca") == .optOut)
        #expect(rules.mode(for: "FR-75") == .optIn, "a subdivision takes its country's mode")
        #expect(rules.mode(for: "US-NY") == .notice && rules.mode(for: "JP") == .notice)
        #expect(rules.mode(for: nil) == .optIn && rules.mode(for: "ZZ") == .optIn, "an unknown place gets the strictest")
        #expect(rules.header == "X-Visitor-Region")
    }

    @Test func withoutRegionsEveryoneIsAskedAndTheStrictestIsWhatIsConfigured() throws {
        #expect(consent("  maxAgeDays: 30\n").0?.regions == nil)
        let rules = try #require(consent("  regionHeader: CF-IPCountry\n  regions:\n    US: opt-out\n    default: notice\n").0?.regions)
        #expect(rules.strictest == .optOut && rules.mode(for: nil) == .optOut && rules.header == "CF-IPCountry")
        #expect(RegionRules(modes: [:]).mode(for: "DE") == .optIn, "elsewhere is opt-in unless site.yaml says otherwise")
    }

    @Test func everyMistakeIsReportedAtItsLineAtOnce() {
        let (_, diagnostics) = consent("""
              regionHeader: "X Region"
              regions:
                EEA: opt-inn
                XX: opt-in
                de: opt-in
                US-ZZ: opt-out
              googleConsentMode:
                mode: advancd
                signals:
                  ads_storage: [marketing]
                  analytics_storage: [stats]
                  security_storage: [necessary]
            """)
        let errors = diagnostics.filter { $0.severity == .error }.map { "\($0.line ?? 0): \($0.message)" }
        let expected = [
            "4: 'X Region' is not a header name",
            "6: 'opt-inn' is not a mode (did you mean 'opt-in'?)",
            "7: 'XX' is not a region",
            "8: 'de' is not a region code: write it in capitals, 'DE'",
            "9: 'US-ZZ' is not a region",
            "11: 'advancd' is not a Consent Mode",
            "13: 'ads_storage' is not a signal Google defines (did you mean 'ad_storage'?)",
            "14: 'analytics_storage' names category 'stats', which is not declared",
            "15: 'security_storage' is always granted",
        ]
        for message in expected {
            #expect(errors.contains { $0.hasPrefix(message) }, "\(message) not in \(errors)")
        }
        #expect(errors.count == expected.count, "\(errors)")
    }

    @Test func consentModeDefaultsToTodaysMappingForTheCategoriesTheSiteHas() throws {
        let mode = try #require(consent("  googleConsentMode:\n    mode: basic\n    tag: G-ABC123\n    signals:\n      analytics_storage: [marketing]\n").0?.googleConsentMode)
        #expect(mode.loading == .basic && mode.tag == "G-ABC123" && mode.waitForUpdate == 500)
        #expect(mode.tagURL == GoogleConsentMode.defaultTagURL && !mode.adsDataRedaction && !mode.urlPassthrough)
        #expect(mode.signals["analytics_storage"] == ["marketing"], "the site's mapping wins")
        #expect(mode.signals["ad_storage"] == ["marketing"] && mode.signals["functionality_storage"] == ["necessary"])
        #expect(mode.signals["security_storage"] == nil, "always granted, never mapped")
        #expect(mode.contentSecurityPolicy["script-src"] == ["https://*.googletagmanager.com"], "the tag Redline loads is allowed")
        #expect(mode.contentSecurityPolicy["connect-src"]?.contains("https://*.google-analytics.com") == true)
        var own = mode
        own.tagURL = "/assets/gtag.js"
        #expect(own.contentSecurityPolicy.isEmpty, "a tag on the site's own origin needs nothing more")
        own.tag = nil
        own.tagURL = GoogleConsentMode.defaultTagURL
        #expect(own.contentSecurityPolicy.isEmpty, "without a tag Redline loads nothing")
    }
}
