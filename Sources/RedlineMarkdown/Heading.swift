/// A heading of a rendered document, as it appears in the table of contents.
public struct Heading: Sendable, Equatable {
    /// 1...6, after any shift applied by the renderer.
    public let level: Int
    /// The heading's plain text, inline markup removed.
    public let text: String
    /// The `id` of the heading element; unique within the document.
    public let anchor: String

    public init(level: Int, text: String, anchor: String) {
        self.level = level
        self.text = text
        self.anchor = anchor
    }
}

/// The HTML of a Markdown body and its outline.
public struct RenderedMarkdown: Sendable {
    /// An HTML fragment: the document body, without any page chrome.
    public let html: String
    /// Every heading, in document order.
    public let outline: [Heading]
    /// The text content of the body, for search indexing and word counts.
    public let plainText: String
    /// The same text cut at every heading: the text before the first heading, then one
    /// entry per heading of `outline`, in order.
    public let sections: [TextSection]
    /// Every link and image, in document order, for checking that each leads somewhere.
    public var links: [LinkReference] = []
    /// `[!KIND]` markers of callouts that do not exist, for `check` to warn about.
    public var unknownCallouts: [UnknownCallout] = []
    /// Fences naming a language the highlighter does not know (empty without a highlighter).
    public var unknownCodeLanguages: [UnknownCodeLanguage] = []
    /// Whether some code blocks are tabs, which need the tabs script.
    public var hasCodeTabs = false
}

/// A link or image in a Markdown body.
public struct LinkReference: Sendable, Equatable {
    /// Where it points once the build's link rules were applied.
    public let destination: String
    /// As the editor wrote it.
    public let written: String
    /// The line of the body it is written on, from 1.
    public let line: Int
    public let isImage: Bool

    public init(destination: String, written: String, line: Int, isImage: Bool) {
        self.destination = destination
        self.written = written
        self.line = line
        self.isImage = isImage
    }
}

/// The plain text under one heading, up to the next heading of any level.
public struct TextSection: Sendable, Equatable {
    /// nil for the text before the first heading.
    public let heading: Heading?
    public let text: String

    public init(heading: Heading?, text: String) {
        self.heading = heading
        self.text = text
    }
}
