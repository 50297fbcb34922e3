/// What every docs page shows besides the chrome: the version, its navigation and switcher.
struct DocsValues {
    struct ChangesLink {
        let url, previous: String
        let current: Bool
    }

    /// An entry of the version switcher; `missing` when that version has no such page.
    struct VersionSwitch {
        let name, url: String
        let current, latest, missing: Bool
    }

    /// On an older version's pages: where the latest version's page (or home) is.
    struct LatestLink {
        let name, url: String
        let samePage: Bool
    }

    let docsTitle, docsVersion: String
    let isLatest, prerelease: Bool
    let docsNav: String
    let changesLink: ChangesLink?
    let versions: [VersionSwitch]
    let latest: LatestLink?
}

/// A docs page's own values, over ``DocsValues`` and the chrome.
typealias DocsContext<Page> = TemplateContext<Page, PageContext<DocsValues>>

/// What `docs-page.mustache` adds for a page written in the docs folder.
struct DocsPageValues {
    struct LastUpdated {
        let date, text: String
    }

    let body: String
    let codeTabsScript: String?
    let draft, deprecated: Bool?
    let deprecatedNote, editURL: String?
    let lastUpdated: LastUpdated?
    let previousPage, nextPage: Link?
    /// An API reference page's "Try it" console: its script and the page's `try-it.json`.
    var tryItScript: String? = nil
    var tryItData: String? = nil
    /// "Was this page helpful?": the page's URL path the answer is counted under, and the script.
    var feedbackPage: String? = nil
    var feedbackScript: String? = nil
}

/// What `docs-index.mustache` adds: every page, by section.
struct DocsIndexValues {
    struct Section {
        let title: String
        let pages: [Link]
    }

    let sections: [Section]
}

/// The sidebar partial's values: top-level pages, every section, and the pages of the reader's section.
struct DocsSidebar {
    struct Page {
        let title, url: String
        let deprecated: Bool
    }

    struct Section {
        let title, url: String
        let expanded, current: Bool
        let pages: [Page]
    }

    let sidebar: [Section]
    let docsVersion: String
}
