import Foundation
import RedlineMarkdown

/// `htmlFragment`: every section, for a page around it.
struct RedlineHTMLFragment: RedlineRenderer {
    func render(_ input: RedlineInput) -> Data {
        Data(RedlineHTML(input.redline).html.utf8)
    }
}

/// `htmlPage`: a page that opens in any browser, with its own small stylesheet.
struct StandaloneRedlinePage: RedlineRenderer {
    func render(_ input: RedlineInput) -> Data {
        let redline = input.redline
        let title = "\(input.oldSource) → \(input.newSource)"
        let fieldRows = input.frontMatter.map {
            "<li><code>\($0.field.htmlEscaped)</code>: \(($0.old ?? "(none)").htmlEscaped) → \(($0.new ?? "(none)").htmlEscaped)</li>"
        }.joined()
        return Data(RedlineHTMLPage.document(title: title, body: """
        <h1>Redline</h1>
        <p>\(title.htmlEscaped): \(redline.inserted) words inserted, \(redline.deleted) deleted, \(redline.changedSections.count) sections changed.
        Insertions are <ins>underlined</ins>, deletions <del>struck through</del>.</p>
        \(fieldRows.isEmpty ? "" : "<ul>\(fieldRows)</ul>")
        \(RedlineHTML(redline).html)
        """).utf8)
    }
}

/// The standalone page's frame, for pages that put several redlines in one (the docs diff).
public enum RedlineHTMLPage {
    /// A whole HTML document around `body`, styled for reading on its own.
    public static func document(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Redline: \(title.htmlEscaped)</title>
        <style>
        body { font: 1rem/1.6 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
        ins { background: #dafbe1; color: #0a3d1a; text-decoration: underline; }
        del { background: #ffebe9; color: #6e0b0b; text-decoration: line-through; }
        .redline-status { font-size: .9rem; font-weight: 600; }
        .status-unchanged { opacity: .75; }
        </style></head>
        <body>
        \(body)
        </body>
        </html>

        """
    }
}
