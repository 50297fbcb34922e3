import Foundation
import Hummingbird
import Logging
import NIOCore
import RedlineNotices

/// The one-click unsubscribe of optional notices (RFC 8058). A mail provider POSTs
/// `List-Unsubscribe=One-Click` to the link in `List-Unsubscribe`; a person who follows the link
/// in the text gets a page whose button makes the same POST. A GET never unsubscribes: link
/// scanners and prefetchers open every link in a message. Required notices have no such link.
/// Pages, not JSON: they answer people and mail providers, not API clients.
struct UnsubscribeRoutes {
    let catalog: SiteCatalog
    let store: any NoticeStore
    let links: @Sendable (_ baseURL: String) -> UnsubscribeLinks
    let logger: Logger

    func add(to router: Router<ServerContext>) {
        router.get("/notices/unsubscribe/:token") { _, context -> Response in
            let token = try context.parameters.require("token")
            if token == UnsubscribeLinks.testToken { return page(.ok, Self.testCopy) }
            guard UnsubscribeLinks.Token(token) != nil else { return page(.notFound, Self.unknownLink) }
            return page(.ok, Self.confirm(site: catalog.manifest.site.title))
        }
        router.post("/notices/unsubscribe/:token") { _, context -> Response in
            try await unsubscribe(try context.parameters.require("token"))
        }
    }

    /// Whatever the body says: RFC 8058 asks the provider to send `List-Unsubscribe=One-Click`,
    /// and the POST alone is the reader's request.
    private func unsubscribe(_ text: String) async throws -> Response {
        let site = catalog.manifest.site
        if text == UnsubscribeLinks.testToken { return page(.ok, Self.testCopy) }
        guard let token = UnsubscribeLinks.Token(text) else { return page(.forbidden, Self.unknownLink) }
        let links = links(site.baseURL)
        switch try await store.unsubscribe(outboxId: token.outboxId, now: Date(), belongsTo: { links.isValid(token, userId: $0) }) {
        case let .unsubscribed(campaign):
            logger.info("unsubscribed from optional notices", metadata: ["campaign": "\(campaign)"])
            return page(.ok, Self.done(site: site.title))
        case .already:
            return page(.ok, Self.done(site: site.title))
        case .required:
            return page(.conflict, Self.required)
        case .unknown:
            return page(.forbidden, Self.unknownLink)
        }
    }

    private func page(_ status: HTTPResponse.Status, _ body: (title: String, html: String)) -> Response {
        let site = catalog.manifest.site
        let base = URLComponents(string: site.baseURL)?.path ?? "/"
        let html = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        <meta name="referrer" content="no-referrer">
        <title>\(body.title.escapedForHTML) · \(site.title.escapedForHTML)</title>
        <link rel="stylesheet" href="\((base.hasSuffix("/") ? base : base + "/").escapedForHTML)assets/style.css">
        </head>
        <body>
        <main id="main" class="container">
        <h1>\(body.title.escapedForHTML)</h1>
        \(body.html)
        </main>
        </body>
        </html>

        """
        // no-store: the page answers for one link, which no shared cache should keep.
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static func confirm(site: String) -> (title: String, html: String) {
        ("Stop optional notices", """
        <p>\(site.escapedForHTML) sends you optional notices of small, editorial changes to its policies. \
        You can stop them here. Notices of changes we are required to tell you about will still reach you.</p>
        <form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click">\
        <button type="submit">Stop optional notices</button></form>
        """)
    }

    static func done(site: String) -> (title: String, html: String) {
        ("You will get no more optional notices", """
        <p>\(site.escapedForHTML) will send you no more optional notices. \
        Notices of changes we are required to tell you about will still reach you.</p>
        """)
    }

    static let testCopy = ("This link is from a test copy", "<p>It came in a reviewer's test copy of a notice, so it unsubscribes nobody.</p>")
    static let unknownLink = ("This link is not valid",
                              "<p>It was not made by this site, or it was changed on the way. Nothing was changed.</p>")
    static let required = ("This notice cannot be turned off",
                           "<p>It tells of a change we are required to tell you about. Nothing was changed.</p>")
}
