import RedlineContent

/// The site's front page: every policy with the version in force and any change to come,
/// and every docs version.
struct HomePage {
    let environment: RenderEnvironment

    func render() -> PageOutcome {
        let urls = environment.urls
        let now = environment.now
        let corpus = environment.corpus
        let policies: [[String: Any]] = corpus.policies.map { document in
            var entry: [String: Any] = ["title": document.title(on: now), "url": urls.policy(document.id),
                                        "historyURL": urls.policyHistory(document.id)]
            if let current = document.current(on: now) {
                entry["effectiveDate"] = current.effective.description
                entry["effectiveText"] = environment.longDate(current.effective)
            }
            if let upcoming = document.nextUpcoming(after: now) {
                entry["upcoming"] = ["effectiveDate": upcoming.effective.description,
                                     "effectiveText": environment.longDate(upcoming.effective),
                                     "url": urls.policyVersion(document.id, upcoming.effective),
                                     "material": upcoming.material,
                                     "summary": upcoming.summary ?? ""]
            }
            return entry
        }
        let latest = corpus.latestDocs?.name
        let docs: [[String: Any]] = corpus.docs.reversed().map { version in
            ["name": version.name, "url": urls.docsVersion(version.name), "latest": version.name == latest,
             "pageCount": version.pages.count]
        }
        // No table of contents: the page is two short lists, and beside them it only took room.
        var context = PageChrome(environment: environment).context(title: environment.site.title, path: urls.home, section: .home)
        context["policies"] = policies
        context["docsVersions"] = docs
        context["hasDocs"] = !docs.isEmpty
        return environment.publish("home", context: context, path: urls.home, source: "content/site.yaml", indexable: true)
    }
}

/// `404.html`: served for unknown paths at any depth, so every link in it is root-relative.
struct NotFoundPage {
    let environment: RenderEnvironment

    func render() -> PageOutcome {
        let path = environment.urls.basePath + "404.html"
        var context = PageChrome(environment: environment).context(title: "Page not found", path: path, noindex: true, section: .other)
        context["policies"] = environment.corpus.policies.map {
            ["title": $0.title(on: environment.now), "url": environment.urls.policy($0.id)]
        }
        let outcome = environment.publish("not-found", context: context, path: path, source: "templates/not-found.mustache", indexable: false)
        return PageOutcome(diagnostics: outcome.diagnostics)
    }
}

extension HomePage: SitePage {
    static let templates = ["home": "the home page"]
    static func pages(of site: PageSource) -> [HomePage] { [HomePage(environment: site.environment)] }
}

extension NotFoundPage: SitePage {
    static let templates = ["not-found": "404.html"]
    static func pages(of site: PageSource) -> [NotFoundPage] { [NotFoundPage(environment: site.environment)] }
}
