/// One page as the search index sees it: where it is, what to call it in a result, and its
/// text cut into sections, each reachable by an anchor.
public struct SearchDocument: Sendable {
    public struct Section: Sendable {
        /// The element id to jump to; nil for the top of the page.
        public let anchor: String?
        /// nil for the text before the first heading (the page title stands in).
        public let heading: String?
        public let text: String

        public init(anchor: String?, heading: String?, text: String) {
            self.anchor = anchor
            self.heading = heading
            self.text = text
        }
    }

    public let url: String
    public let title: String
    /// Says which document or version a result comes from: "Policy", "API v2", "Archived: 15 September 2025".
    public let label: String
    public let sections: [Section]

    public init(url: String, title: String, label: String, sections: [Section]) {
        self.url = url
        self.title = title
        self.label = label
        self.sections = sections
    }
}

/// A document reduced to what the index keeps: each section's distinct terms and the start
/// of its text. Made on the thread that rendered the page, so the full text is not held.
public struct PreparedDocument: Sendable {
    public struct Section: Sendable {
        public let anchor: String
        public let heading: String
        public let snippet: String
        public let headingTerms: Set<String>
        public let bodyTerms: Set<String>

        public init(anchor: String, heading: String, snippet: String, headingTerms: Set<String>, bodyTerms: Set<String>) {
            self.anchor = anchor
            self.heading = heading
            self.snippet = snippet
            self.headingTerms = headingTerms
            self.bodyTerms = bodyTerms
        }
    }

    public let url: String
    public let title: String
    public let label: String
    public let sections: [Section]

    /// A document prepared before, e.g. by an earlier build.
    public init(url: String, title: String, label: String, sections: [Section]) {
        self.url = url
        self.title = title
        self.label = label
        self.sections = sections
    }

    public init(_ document: SearchDocument) {
        url = document.url
        title = document.title
        label = document.label
        let firstText = document.sections.first { !$0.text.allSatisfy(\.isWhitespace) }?.text ?? ""
        var sections: [Section] = []
        for (index, section) in document.sections.enumerated() {
            // The page title counts as the heading of its opening text, so a title match finds the page.
            let heading = section.heading ?? (index == 0 ? document.title : "")
            let isEmpty = section.text.allSatisfy(\.isWhitespace)
            if index > 0 && section.heading == nil && isEmpty { continue }
            sections.append(Section(anchor: section.anchor ?? "", heading: section.heading ?? "",
                                    snippet: SearchText.snippet(index == 0 && isEmpty ? firstText : section.text),
                                    headingTerms: Set(SearchText.words(heading)),
                                    bodyTerms: Set(SearchText.words(section.text))))
        }
        if sections.isEmpty {
            sections.append(Section(anchor: "", heading: "", snippet: "", headingTerms: Set(SearchText.words(document.title)), bodyTerms: []))
        }
        self.sections = sections
    }
}
