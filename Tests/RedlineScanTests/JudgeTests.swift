import Foundation
import Testing
@testable import RedlineScan

@Suite struct JudgeTests {
    let judge = Judge(site: DeclarationTests.site, servedOrigin: "http://127.0.0.1:4000")

    func visit(_ phase: ScanPhase, _ page: String, cookies: [String] = [], requests: [String] = []) -> PageVisit {
        PageVisit(phase: phase, page: page,
                  cookies: cookies.map { ObservedCookie(name: $0, domain: "127.0.0.1") },
                  requests: requests.map { ObservedRequest(url: $0, type: "script") })
    }

    @Test func aCleanSiteHasNoFindings() {
        let visits = [
            visit(.firstVisit, "/", requests: ["http://127.0.0.1:4000/assets/consent.js", "data:image/gif;base64,R0"]),
            visit(.rejectAll, "/", cookies: ["redline_consent"]),
            visit(.acceptAll, "/", cookies: ["redline_consent", "_pk_id.1"], requests: ["https://stats.parcelbird.example/matomo.js"]),
            visit(.withdraw, "/", cookies: ["redline_consent"]),
        ]
        #expect(judge.findings(visits).isEmpty)
    }

    @Test func optionalCookiesCountOnlyAfterAcceptAll() {
        let visits = [
            visit(.firstVisit, "/", cookies: ["_pk_id.1"]),
            visit(.firstVisit, "/privacy/", cookies: ["_pk_id.1"]),
            visit(.rejectAll, "/", cookies: ["_pk_id.1"]),
            visit(.acceptAll, "/", cookies: ["_pk_id.1"]),
            visit(.withdraw, "/terms/", cookies: ["_pk_id.1", "redline_consent"]),
        ]
        let findings = judge.findings(visits)
        #expect(findings.map(\.kind) == [.cookieBeforeConsent, .cookieAfterRefusal, .cookieAfterRefusal])
        #expect(findings.map(\.phase) == [.firstVisit, .rejectAll, .withdraw])
        #expect(findings[0].page == "/" && findings[0].pages == 2 && findings[0].category == "analytics")
        #expect(findings[2].page == "/terms/")
    }

    @Test func anUndeclaredCookieOrOriginIsOneFindingWhereverItShows() {
        let visits = [
            visit(.firstVisit, "/", cookies: ["pb_tracker"], requests: ["http://127.0.0.1:4711/widget.js"]),
            visit(.firstVisit, "/privacy/", cookies: ["pb_tracker"], requests: ["http://127.0.0.1:4711/widget.js?p=2"]),
            visit(.acceptAll, "/", cookies: ["pb_tracker"], requests: ["http://127.0.0.1:4711/widget.js"]),
        ]
        let findings = judge.findings(visits)
        #expect(findings.count == 2)
        #expect(findings[0].kind == .undeclaredCookie && findings[0].cookie == "pb_tracker" && findings[0].domain == "127.0.0.1")
        #expect(findings[0].phase == .firstVisit && findings[0].pages == 2)
        #expect(findings[1].kind == .undeclaredRequest && findings[1].origin == "http://127.0.0.1:4711")
        #expect(findings[1].url == "http://127.0.0.1:4711/widget.js" && findings[1].type == "script")
    }

    @Test func aDeclaredThirdPartyLoadsOnlyWithConsent() {
        let script = "https://stats.parcelbird.example/matomo.js"
        let visits = [
            visit(.firstVisit, "/", requests: [script]),
            visit(.rejectAll, "/", requests: [script]),
            visit(.acceptAll, "/", requests: [script]),
            visit(.withdraw, "/", requests: [script]),
        ]
        let findings = judge.findings(visits)
        #expect(findings.map(\.kind) == [.requestBeforeConsent, .requestAfterRefusal, .requestAfterRefusal])
        #expect(findings.map(\.phase) == [.firstVisit, .rejectAll, .withdraw])
    }

    @Test func thePublishedOriginIsTheSitesOwn() {
        let visits = [visit(.firstVisit, "/", requests: ["https://legal.parcelbird.example/logo.png"])]
        #expect(judge.findings(visits).isEmpty)
    }
}
