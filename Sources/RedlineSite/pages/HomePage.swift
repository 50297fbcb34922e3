import RedlineContent

/// The site's front page: every policy with the version in force and any change to come,
/// and every docs version.
struct HomePage {
    let environment: RenderEnvironment

    func render() -> PageOutcome {
        let urls = environment.urls
        let now = environment.now
        let corpus = environment.corpus
        let policies = corpus.policies.map { document in
            let current = document.current(on: now)
            return Values.Policy(
                title: document.title(on: now), url: urls.policy(document.id), historyURL: urls.policyHistory(document.id),
                effectiveDate: current?.effective.description, effectiveText: current.map { environment.longDate($0.effective) },
                upcoming: document.nextUpcoming(after: now).map { upcoming in
                    Values.Upcoming(effectiveDate: upcoming.effective.description, effectiveText: environment.longDate(upcoming.effective),
                                    url: urls.policyVersion(document.id, upcoming.effective), material: upcoming.material,
                                    summary: upcoming.summary ?? "")
                })
        }
        let latest = corpus.latestDocs?.name
        let docs = corpus.docs.reversed().map { version in
            Values.DocsVersion(name: version.name, url: urls.docsVersion(version.name), latest: version.name == latest, pageCount: version.pages.count)
        }
        // No table of contents: the page is two short lists, and beside them it only took room.
        let chrome = PageChrome(environment: environment).context(title: environment.site.title, path: urls.home, section: .home)
        let values = Values(policies: policies, docsVersions: docs, hasDocs: !docs.isEmpty)
        return environment.publish("home", context: PageContext(top: values, below: chrome), path: urls.home, source: "content/site.yaml", indexable: true)
    }

    /// What `home.mustache` shows besides the chrome.
    struct Values {
        struct Policy {
            let title, url, historyURL: String
            let effectiveDate, effectiveText: String?
            let upcoming: Upcoming?
        }

        struct Upcoming {
            let effectiveDate, effectiveText, url: String
            let material: Bool
            let summary: String
        }

        struct DocsVersion {
            let name, url: String
            let latest: Bool
            let pageCount: Int
        }

        let policies: [Policy]
        let docsVersions: [DocsVersion]
        let hasDocs: Bool
    }
}

/// `404.html`: served for unknown paths at any depth, so every link in it is root-relative.
struct NotFoundPage {
    let environment: RenderEnvironment

    func render() -> PageOutcome {
        let path = environment.urls.basePath + "404.html"
        let chrome = PageChrome(environment: environment).context(title: "Page not found", path: path, noindex: true, section: .other)
        let policies = environment.corpus.policies.map { Link(title: $0.title(on: environment.now), url: environment.urls.policy($0.id)) }
        let outcome = environment.publish("not-found", context: PageContext(top: Values(policies: policies), below: chrome), path: path,
                                          source: "templates/not-found.mustache", indexable: false)
        return PageOutcome(diagnostics: outcome.diagnostics)
    }

    struct Values {
        let policies: [Link]
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
