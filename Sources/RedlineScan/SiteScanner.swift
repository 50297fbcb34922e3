import Foundation

/// Drives a served site in headless Chromium through its real cookie banner, phase by phase
/// in one browser with a fresh profile: a first visit (no choice), reject-all, accept-all
/// (reopened from the footer), and withdrawing (reopened, reject-all); every page of the
/// sitemap in each. Then judges what it saw against the site's declarations.
public struct SiteScanner: Sendable {
    /// The site, served on loopback.
    public let site: LoopbackHTTP
    public let chromium: Chromium
    /// A private folder for the browser's profile and chromedriver's log; the caller removes it.
    public let folder: String
    /// Visit only the first N pages of the sitemap.
    public var pageLimit: Int?
    /// Told what the scan is doing, a line at a time.
    public var progress: @Sendable (String) -> Void = { _ in }

    public init(site: LoopbackHTTP, chromium: Chromium, folder: String, pageLimit: Int? = nil) {
        self.site = site
        self.chromium = chromium
        self.folder = folder
        self.pageLimit = pageLimit
    }

    var servedOrigin: String { "http://127.0.0.1:\(site.port)" }

    public func scan() async throws -> ScanReport {
        let declarations = try await readDeclarations()
        let pages = try await readPages(baseURL: declarations.baseURL)
        progress("scanning \(pages.count) page\(pages.count == 1 ? "" : "s") in \(ScanPhase.allCases.count) phases")
        let driver = try await ChromeDriver(chromium, folder: folder)
        let visits: [PageVisit]
        do {
            let session = try await WebDriverSession.start(driver.http, chromium: chromium, profile: folder + "/profile")
            do {
                visits = try await visitAll(pages, visitor: Visitor(session: session, servedOrigin: servedOrigin))
            } catch {
                await session.quit()
                throw error
            }
            await session.quit()
        } catch {
            driver.stop()
            throw error
        }
        driver.stop()
        let findings = Judge(site: declarations, servedOrigin: servedOrigin).findings(visits)
        return ScanReport(baseURL: declarations.baseURL, pages: pages.count, findings: findings)
    }

    /// The phases in order, each beginning with its choice on the first page.
    private func visitAll(_ pages: [String], visitor: Visitor) async throws -> [PageVisit] {
        var visits: [PageVisit] = []
        let first = pages[0]
        for phase in ScanPhase.allCases {
            progress("\(phase.rawValue): \(phase.title)")
            visits += try await choose(phase, on: first, visitor: visitor)
            for page in pages {
                let seen = try await visitor.open(page)
                visits.append(PageVisit(phase: phase, page: page, cookies: seen.cookies, requests: seen.requests))
            }
        }
        return visits
    }

    /// Makes the phase's choice in the banner, as a person would. Until the click the visitor is
    /// still in the phase before, so what the page does until then counts there.
    private func choose(_ phase: ScanPhase, on page: String, visitor: Visitor) async throws -> [PageVisit] {
        let dialog = ".consent[role=dialog]"
        let button: String, before: ScanPhase
        switch phase {
        case .firstVisit: return []
        case .rejectAll: (button, before) = ("\(dialog) [data-action=reject-all]", .firstVisit)
        case .acceptAll: (button, before) = ("\(dialog) [data-action=accept-all]", .rejectAll)
        case .withdraw: (button, before) = ("\(dialog) [data-action=reject-all]", .acceptAll)
        }
        let opened = try await visitor.open(page)
        var requests = opened.requests
        if try await !visitor.isShown(dialog) {
            // A choice is stored, or the strictest mode configured does not ask (opt-out, notice):
            // the footer's "Cookie settings" opens the banner.
            requests += try await visitor.click("[data-consent-open]", on: page).requests
        }
        let chosen = try await visitor.click(button, on: page)
        return [PageVisit(phase: before, page: page, cookies: opened.cookies, requests: requests),
                PageVisit(phase: phase, page: page, cookies: chosen.cookies, requests: chosen.requests)]
    }

    private func readDeclarations() async throws -> SiteDeclarations {
        let manifest = try await fetch("/manifest.json", what: "the site's manifest.json (is it a site redline build made?)")
        let config = try await fetch("/consent/config.json", what: "the banner's consent/config.json")
        let declarations: SiteDeclarations
        do {
            declarations = try SiteDeclarations(manifest: manifest, bannerConfig: config)
        } catch {
            throw ScanError("the site's manifest.json or consent/config.json cannot be read: \(error)")
        }
        // The server serves the folder at the root: a site built for a path (`/legal/`) links to pages it does not have there.
        guard let parts = URLComponents(string: declarations.baseURL), parts.path.isEmpty || parts.path == "/" else {
            throw ScanError("the site was built for \(declarations.baseURL); scan a build for the root of a host (redline build --base-url https://HOST/)")
        }
        return declarations
    }

    private func readPages(baseURL: String) async throws -> [String] {
        let xml = String(decoding: try await fetch("/sitemap.xml", what: "the site's sitemap.xml"), as: UTF8.self)
        var pages = Sitemap.paths(Sitemap.locations(in: xml), baseURL: baseURL)
        if let pageLimit { pages = Array(pages.prefix(pageLimit)) }
        guard !pages.isEmpty else { throw ScanError("the site's sitemap.xml lists no page under \(baseURL)") }
        return pages
    }

    private func fetch(_ path: String, what: String) async throws -> Data {
        let answer = try await site.get(path)
        guard answer.status == 200 else { throw ScanError("\(what) is missing (HTTP \(answer.status))") }
        return answer.body
    }
}
