import Foundation

/// A visitor in the browser: opens pages, clicks the banner's buttons, and after each step
/// reports the cookies and requests once the page has settled.
struct Visitor: Sendable {
    let session: WebDriverSession
    /// Where the site is served (`http://127.0.0.1:PORT`).
    let servedOrigin: String
    /// How long the network must be quiet before a page counts as settled: long enough for the
    /// banner to read its configuration and start what it lets run.
    var quiet: Duration = .milliseconds(100)
    /// A request still open after this much silence (a long poll, a beacon) does not hold the scan up.
    var stalled: Duration = .seconds(2)
    /// The longest a page may take to settle.
    var limit: Duration = .seconds(20)

    /// Opens `page` (a path of the site) and observes it.
    func open(_ page: String) async throws -> (cookies: [ObservedCookie], requests: [ObservedRequest]) {
        // The log is not emptied first: a request the last page made late is still caught, if on this page.
        try await session.navigate(to: servedOrigin + page)
        return try await observe()
    }

    /// Clicks the element `css` names once it is shown (the banner builds itself after the page
    /// has loaded), and observes what follows.
    func click(_ css: String, on page: String) async throws -> (cookies: [ObservedCookie], requests: [ObservedRequest]) {
        try await waitUntilShown(css, on: page)
        do {
            try await session.click(css)
        } catch {
            // Something drawn over it (a sticky header, say): the button's own click, as a keyboard would give it.
            _ = try await session.execute("document.querySelector(\(Self.quoted(css))).click(); return true;")
        }
        return try await observe()
    }

    /// Whether the element `css` names is on the page and not hidden.
    func isShown(_ css: String) async throws -> Bool {
        let script = "var e = document.querySelector(\(Self.quoted(css))); return !!e && !e.hidden && !e.closest('[hidden]');"
        return try await session.execute(script) as? Bool == true
    }

    private func waitUntilShown(_ css: String, on page: String) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(10)
        while clock.now < deadline {
            if try await isShown(css) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ScanError("the cookie banner's \(css) did not appear on \(page) within 10 s: is assets/consent.js on the page?")
    }

    /// Waits until no request is under way and the log has been quiet, then reads the cookies.
    private func observe() async throws -> (cookies: [ObservedCookie], requests: [ObservedRequest]) {
        var activity = NetworkActivity()
        let clock = ContinuousClock()
        let start = clock.now
        var lastEvent = start
        while clock.now - start < limit {
            if activity.read(try await session.performanceLog()) { lastEvent = clock.now }
            let silence = clock.now - lastEvent
            if (activity.inFlight.isEmpty && silence >= quiet) || silence >= stalled { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        let tree = try await session.devTools("Page.getFrameTree")
        let mainFrame = ((tree["frameTree"] as? [String: Any])?["frame"] as? [String: Any])?["id"] as? String
        return (try await cookies(), activity.requests(ofMainFrame: mainFrame))
    }

    /// Every cookie in the browser, the third parties' too (`document.cookie` would show only the page's own).
    private func cookies() async throws -> [ObservedCookie] {
        let answer = try await session.devTools("Network.getAllCookies")
        return (answer["cookies"] as? [[String: Any]] ?? []).compactMap { cookie in
            guard let name = cookie["name"] as? String, let domain = cookie["domain"] as? String else { return nil }
            return ObservedCookie(name: name, domain: domain)
        }
    }

    /// A JavaScript string literal.
    static func quoted(_ text: String) -> String {
        let data = try? JSONSerialization.data(withJSONObject: [text])
        return data.map { String(decoding: $0.dropFirst().dropLast(), as: UTF8.self) } ?? "\"\""
    }
}
