import Foundation
import Testing
@testable import RedlineScan

@Suite struct ReportTests {
    static let findings = [
        Finding(kind: .requestBeforeConsent, phase: .firstVisit, page: "/", origin: "https://stats.example",
                url: "https://stats.example/m.js", type: "script"),
        Finding(kind: .undeclaredCookie, phase: .acceptAll, page: "/privacy/", cookie: "pb_tracker", domain: "127.0.0.1"),
    ].sorted()

    @Test func aCleanReportSaysSoInOneLine() {
        let report = ScanReport(baseURL: "https://legal.example/", pages: 12, findings: [])
        #expect(report.clean)
        #expect(report.text() == "Scanned 12 pages of https://legal.example/ before any choice, after reject-all, after accept-all, after withdrawing: no findings.")
    }

    @Test func findingsAreGroupedByKind() {
        var findings = Self.findings
        findings[0].pages = 12
        let text = ScanReport(baseURL: "https://legal.example/", pages: 12, findings: findings).text()
        #expect(text.hasSuffix("""
            : 2 findings.

            Cookies not declared in site.yaml (1):
              cookie pb_tracker (127.0.0.1) is not declared in site.yaml: after accept-all, on /privacy/ and 11 other pages

            Third-party requests before any choice (1):
              script from https://stats.example (https://stats.example/m.js): before any choice, on /
            """))
    }

    @Test func theJSONHasStableFieldNames() throws {
        let json = try ScanReport(baseURL: "https://legal.example/", pages: 3, findings: Self.findings).json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["baseURL", "clean", "findings", "pages", "phases"])
        #expect(object["clean"] as? Bool == false && object["pages"] as? Int == 3)
        #expect(object["phases"] as? [String] == ["first-visit", "reject-all", "accept-all", "withdraw"])
        let findings = try #require(object["findings"] as? [[String: Any]])
        #expect(Set(findings[0].keys) == ["kind", "phase", "page", "pages", "cookie", "domain", "message"])
        #expect(findings[0]["kind"] as? String == "undeclared-cookie")
        #expect(Set(findings[1].keys) == ["kind", "phase", "page", "pages", "origin", "url", "type", "message"])
        #expect(findings[1]["kind"] as? String == "request-before-consent")
    }

    @Test func theBrowsersLogBecomesRequestsAndTheirProgress() {
        func event(_ method: String, _ id: String, url: String? = nil, type: String? = nil, frame: String = "main") -> String {
            let request = url.map { ",\"request\":{\"url\":\"\($0)\",\"method\":\"GET\"}" } ?? ""
            let kind = type.map { ",\"type\":\"\($0)\"" } ?? ""
            return "{\"message\":{\"method\":\"\(method)\",\"params\":{\"requestId\":\"\(id)\",\"frameId\":\"\(frame)\"\(request)\(kind)}},\"webview\":\"x\"}"
        }
        var activity = NetworkActivity()
        let started = activity.read([event("Network.requestWillBeSent", "1", url: "https://a.example/x.js", type: "Script"),
                                     event("Network.requestWillBeSent", "2", url: "https://b.example/", type: "Document", frame: "child"),
                                     event("Network.requestWillBeSent", "3", url: "https://b.example/inner.js", type: "Script", frame: "child")])
        #expect(started)
        #expect(activity.inFlight == ["1", "2", "3"])
        let ended = activity.read([event("Network.loadingFinished", "1"), event("Network.loadingFailed", "2"), "not json"])
        #expect(ended)
        #expect(activity.inFlight == ["3"])
        let page = activity.read(["{\"message\":{\"method\":\"Page.loadEventFired\",\"params\":{}}}"])
        #expect(!page, "not a network event")
        #expect(activity.requests(ofMainFrame: "main") == [ObservedRequest(url: "https://a.example/x.js", type: "script"),
                                                          ObservedRequest(url: "https://b.example/", type: "frame")])
    }

    @Test func chromiumIsFoundWhereTheVariablesSayOrNotAtAll() {
        #expect(throws: ScanError.self) { try Chromium.locate(environment: ["REDLINE_CHROMIUM": "/nonexistent/chromium", "PATH": "/usr/bin"]) }
        #expect(throws: ScanError.self) { try Chromium.locate(environment: ["PATH": "/nonexistent"]) }
        #expect(Chromium.missing.description.contains("apt-get install chromium chromium-driver"))
        let found = try? Chromium.locate(environment: ["REDLINE_CHROMIUM": "/bin/sh", "REDLINE_CHROMEDRIVER": "/bin/sh"])
        #expect(found?.browser == "/bin/sh" && found?.driver == "/bin/sh")
    }
}
