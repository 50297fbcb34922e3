import Foundation
import Testing
@testable import RedlineScan

@Suite struct DeclarationTests {
    static let site = SiteDeclarations(
        baseURL: "https://legal.parcelbird.example/",
        categories: [
            .init(id: "necessary", required: true, cookies: [.init(name: "redline_consent"), .init(name: "pb_session")]),
            .init(id: "analytics", required: false, cookies: [.init(name: "_pk_id.*"), .init(name: "_pk_ses.*")]),
            .init(id: "marketing", required: false, cookies: [.init(name: "YSC", domain: ".youtube.com"), .init(name: "pb_ref", domain: ".parcelbird.example")]),
        ],
        origins: ["https://stats.parcelbird.example", "https://*.youtube-nocookie.com"])
    static let hosts: Set<String> = ["127.0.0.1", "legal.parcelbird.example"]

    func category(_ name: String, _ domain: String) -> String? {
        Self.site.category(of: ObservedCookie(name: name, domain: domain), siteHosts: Self.hosts)?.id
    }

    @Test func namePatternsMatchAsSiteYamlWritesThem() {
        #expect(Glob.matches("_pk_id.*", "_pk_id.7f3a"))
        #expect(Glob.matches("_pk_id.*", "_pk_id."))
        #expect(!Glob.matches("_pk_id.*", "_pk_ses.7f3a"))
        #expect(Glob.matches("a*b*c", "a-b-c") && Glob.matches("a*b*c", "abc"))
        #expect(!Glob.matches("a*b*c", "ac") && !Glob.matches("a*a", "a"))
        #expect(Glob.matches("pb_session", "pb_session") && !Glob.matches("pb_session", "pb_session2"))
        #expect(Glob.matches("*", "anything"))
    }

    @Test func aCookieBelongsToTheCategoryThatDeclaresItOnItsDomain() {
        #expect(category("redline_consent", "127.0.0.1") == "necessary")
        #expect(category("_pk_id.7f3a", "127.0.0.1") == "analytics")
        #expect(category("_pk_id.7f3a", "legal.parcelbird.example") == "analytics", "the published host is the site's own")
        // A declaration without a domain names only the site's own cookies.
        #expect(category("_pk_id.7f3a", ".tracker.example") == nil)
        // A third party's cookie: on its domain and below, nowhere else.
        #expect(category("YSC", ".youtube.com") == "marketing")
        #expect(category("YSC", "www.youtube.com") == "marketing")
        #expect(category("YSC", "127.0.0.1") == nil)
        #expect(category("YSC", "notyoutube.com") == nil)
        // A domain that covers the published host is first-party wherever the site is served.
        #expect(category("pb_ref", "127.0.0.1") == "marketing")
        #expect(category("pb_tracker", "127.0.0.1") == nil)
    }

    @Test func declaredOriginsIncludeWildcardSubdomains() {
        #expect(Self.site.declares(origin: "https://stats.parcelbird.example"))
        #expect(Self.site.declares(origin: "HTTPS://STATS.parcelbird.example"))
        #expect(!Self.site.declares(origin: "http://stats.parcelbird.example"), "the scheme is part of the origin")
        #expect(!Self.site.declares(origin: "https://stats.parcelbird.example:8443"))
        #expect(Self.site.declares(origin: "https://www.youtube-nocookie.com"))
        #expect(!Self.site.declares(origin: "https://youtube-nocookie.com"), "*. names subdomains only, as in CSP")
        #expect(!Self.site.declares(origin: "https://evilyoutube-nocookie.com"))
        #expect(!Self.site.loadsBeforeConsent(origin: "https://stats.parcelbird.example"), "declared is not loaded before consent")
    }

    @Test func consentModesAdvancedTagMayLoadBeforeAnyChoice() throws {
        let manifest = """
            {"format":1,"generatedAt":"2026-11-21T00:00:00Z","buildDate":"2026-11-21","documents":[],"docs":[],
             "site":{"title":"T","baseURL":"https://legal.example/","language":"en",
                     "contentSecurityPolicy":{"script-src":["https://*.googletagmanager.com"]}},
             "consent":{"notice":{"version":"v","locale":"en"},"categories":[],"documents":[],"allowedOrigins":[],"maxAgeDays":1,
                        "configUrl":"https://legal.example/consent/config.json","loadsBeforeConsent":["https://*.googletagmanager.com"]}}
            """
        let site = try SiteDeclarations(manifest: Data(manifest.utf8), bannerConfig: Data(#"{"categories":[]}"#.utf8))
        #expect(site.loadsBeforeConsent(origin: "https://www.googletagmanager.com"))
        #expect(!site.loadsBeforeConsent(origin: "https://stats.example"))
    }

    @Test func originsAreComparedAsBrowsersDo() {
        #expect(Origin.of("https://Stats.Example:443/matomo.js?x=1") == "https://stats.example")
        #expect(Origin.of("http://127.0.0.1:4711/tracker.js") == "http://127.0.0.1:4711")
        #expect(Origin.of("http://stats.example:80/") == "http://stats.example")
        #expect(Origin.of("data:image/gif;base64,R0lGOD") == nil)
        #expect(Origin.of("chrome://new-tab-page/") == nil)
        #expect(Origin.of("blob:http://127.0.0.1/1234") == nil)
    }

    @Test func readsTheDeclarationsTheBuildPublished() throws {
        let manifest = """
            {"format":1,"generatedAt":"2026-11-21T00:00:00Z","buildDate":"2026-11-21","documents":[],"docs":[],
             "site":{"title":"T","baseURL":"https://legal.example/","language":"en",
                     "contentSecurityPolicy":{"script-src":["https://stats.example"],"frame-src":["https://www.youtube-nocookie.com"]}}}
            """
        let config = """
            {"api":"/api/v1/consent","categories":[
              {"id":"necessary","label":"N","description":"","required":true,"gpc":false,"cookies":[{"name":"redline_consent","duration":"13 months","purpose":"p","provider":"T"}]},
              {"id":"video","label":"V","description":"","required":false,"gpc":false,"cookies":[{"name":"YSC","domain":".youtube.com","duration":"session","purpose":"p","provider":"Google"}]}]}
            """
        let site = try SiteDeclarations(manifest: Data(manifest.utf8), bannerConfig: Data(config.utf8))
        #expect(site.baseURL == "https://legal.example/")
        #expect(site.origins == ["https://stats.example", "https://www.youtube-nocookie.com"])
        #expect(site.categories == [
            .init(id: "necessary", required: true, cookies: [.init(name: "redline_consent")]),
            .init(id: "video", required: false, cookies: [.init(name: "YSC", domain: ".youtube.com")]),
        ])
    }
}
