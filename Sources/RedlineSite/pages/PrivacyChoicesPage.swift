import RedlineContent

/// "Your Privacy Choices": the page the footer links to, where a visitor under an opt-out law
/// (California and the other US states) opts out, and anyone can review their choices. The
/// banner script fills in the form from the site's categories; the page says what it is for
/// without it.
struct PrivacyChoicesPage {
    let environment: RenderEnvironment

    func render() -> PageOutcome {
        let path = environment.urls.privacyChoices
        let words = PageWords(site: environment.site)
        let chrome = PageChrome(environment: environment).context(title: words["privacyChoices"], path: path, section: .other)
        return environment.publish("privacy-choices", context: PageContext(top: Values(), below: chrome), path: path,
                                   source: "content/site.yaml", indexable: true)
    }

    /// The page has nothing of its own beyond the chrome's words.
    struct Values {}
}

extension PrivacyChoicesPage: SitePage {
    static let templates = ["privacy-choices": "the “Your Privacy Choices” page"]
    /// Its only day-dependent part is the footer's date, which every page has.
    static func pages(of site: PageSource) -> [PrivacyChoicesPage] { [PrivacyChoicesPage(environment: site.environment)] }
    func renderKey(_ keys: RenderKeys) -> String? { keys.chromeOnly("privacy-choices") }
}
