/// Compares what the browser saw with what the site declares: the rules of a scan, apart from
/// the browser so they can be tested on their own.
public struct Judge: Sendable {
    public let site: SiteDeclarations
    /// Where the scan served the site (`http://127.0.0.1:PORT`): its requests and cookies are the site's own.
    public let servedOrigin: String

    public init(site: SiteDeclarations, servedOrigin: String) {
        self.site = site
        self.servedOrigin = servedOrigin.lowercased()
    }

    /// Hosts whose cookies are the site's own: the one it is served from, and its published one.
    var siteHosts: Set<String> {
        Set([Origin.host(of: servedOrigin), Origin.host(of: site.baseURL)].compactMap { $0 })
    }

    /// Origins that are the site itself.
    var siteOrigins: Set<String> {
        Set([servedOrigin, Origin.of(site.baseURL)].compactMap { $0 })
    }

    /// Every finding of the visits, each once: an undeclared cookie or origin where it was first
    /// seen, the others once per phase, each with the first page and the number of pages.
    public func findings(_ visits: [PageVisit]) -> [Finding] {
        var found: [Finding.Key: Finding] = [:]
        var pages: [Finding.Key: Set<String>] = [:]
        func note(_ finding: Finding) {
            let key = finding.key
            if found[key] == nil { found[key] = finding }
            pages[key, default: []].insert(finding.page)
        }
        for visit in visits {
            for cookie in Set(visit.cookies) { judge(cookie, in: visit).map(note) }
            for request in visit.requests { judge(request, in: visit).map(note) }
        }
        return found.map { key, finding in
            var finding = finding
            finding.pages = pages[key]?.count ?? 1
            return finding
        }.sorted()
    }

    func judge(_ cookie: ObservedCookie, in visit: PageVisit) -> Finding? {
        let base = Finding(kind: .undeclaredCookie, phase: visit.phase, page: visit.page, cookie: cookie.name, domain: cookie.domain)
        guard let category = site.category(of: cookie, siteHosts: siteHosts) else { return base }
        guard !category.required, !visit.phase.consented else { return nil }
        var finding = base
        finding.kind = visit.phase == .firstVisit ? .cookieBeforeConsent : .cookieAfterRefusal
        finding.category = category.id
        return finding
    }

    func judge(_ request: ObservedRequest, in visit: PageVisit) -> Finding? {
        guard let origin = Origin.of(request.url), !siteOrigins.contains(origin) else { return nil }
        var finding = Finding(kind: .undeclaredRequest, phase: visit.phase, page: visit.page,
                              origin: origin, url: request.url, type: request.type)
        guard site.declares(origin: origin) else { return finding }
        guard !visit.phase.consented, !site.loadsBeforeConsent(origin: origin) else { return nil }
        finding.kind = visit.phase == .firstVisit ? .requestBeforeConsent : .requestAfterRefusal
        return finding
    }
}
