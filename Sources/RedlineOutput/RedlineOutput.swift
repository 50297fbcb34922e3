import Foundation

/// The forms a redline can be written in. Adding one is a case here, its renderer in
/// ``renderer`` (the switch will not compile without it) and a test.
public enum RedlineFormat: Sendable, Equatable {
    /// Changed sections as a word diff: coloured for a terminal, else with git's
    /// `[-deleted-]{+inserted+}` markers.
    case text(colour: Bool)
    /// `redline-diff/1`: a stable, documented format (see README, "redline diff").
    case json
    /// A summary table and the changed sections with `<ins>` and `<del>`, for pull requests.
    case markdown
    /// Every section as HTML, for a page around it (the site, the docs diff's page).
    case htmlFragment
    /// A whole HTML page that opens in any browser.
    case htmlPage
    /// A Word document with every change as a tracked change.
    case docx
    /// The Word document printed by LibreOffice.
    case pdf

    var renderer: any RedlineRenderer {
        switch self {
        case .text(let colour): RedlineTextFormat(colour: colour)
        case .json: RedlineJSONFormat()
        case .markdown: RedlineMarkdownFormat()
        case .htmlFragment: RedlineHTMLFragment()
        case .htmlPage: StandaloneRedlinePage()
        case .docx: WordRedline()
        case .pdf: PDFRedline()
        }
    }
}

/// One format's writer.
protocol RedlineRenderer {
    func render(_ input: RedlineInput) throws -> Data
}

/// The one way to write a redline out: every command and page that shows one comes here.
public enum RedlineOutput {
    public static func render(_ input: RedlineInput, as format: RedlineFormat) throws -> Data {
        try format.renderer.render(input)
    }
}
