/// An Atom feed (RFC 4287) as the site writes them: the policies' feeds, each language's and each
/// docs version's changes. Text is escaped here; ids and URLs come absolute from the callers.
struct AtomFeed {
    struct Entry {
        let id: String
        let title: String
        let link: String
        /// Written only when given (policy versions have a publication day).
        var published: String? = nil
        let updated: String
        let category: String
        let summary: String
    }

    let id: String
    let language: String
    let title: String
    let selfURL: String
    let alternateURL: String
    let updated: String
    let author: String
    let entries: [Entry]

    var xml: String {
        let x = SiteFiles.xmlEscaped
        var xml = """
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="\(x(language))">
          <id>\(id)</id>
          <title>\(x(title))</title>
          <link rel="self" type="application/atom+xml" href="\(x(selfURL))"/>
          <link rel="alternate" type="text/html" href="\(x(alternateURL))"/>
          <updated>\(updated)</updated>
          <author><name>\(x(author))</name></author>

        """
        for entry in entries {
            xml += "  <entry>\n"
            xml += "    <id>\(entry.id)</id>\n"
            xml += "    <title>\(x(entry.title))</title>\n"
            xml += "    <link rel=\"alternate\" type=\"text/html\" href=\"\(x(entry.link))\"/>\n"
            if let published = entry.published { xml += "    <published>\(published)</published>\n" }
            xml += "    <updated>\(entry.updated)</updated>\n"
            xml += "    <category term=\"\(entry.category)\"/>\n"
            xml += "    <summary>\(x(entry.summary))</summary>\n"
            xml += "  </entry>\n"
        }
        return xml + "</feed>\n"
    }
}
