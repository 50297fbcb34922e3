import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import RedlineServer

/// `Accept: text/markdown` on a page's URL gets its twin; every other client gets the page, and
/// a cache is told the answer varies.
@Suite struct MarkdownTwinServingTests {
    @Test(arguments: [
        ("text/markdown", true), ("text/markdown;q=0.9, text/html;q=0.8", true), ("text/x-markdown", true),
        ("text/html,text/markdown;q=0.9", false), ("text/html, text/markdown", false), ("*/*", false), (nil, false),
        ("text/markdown;q=0", false), ("text/html;q=0.1, text/markdown;q=0.2", true),
    ] as [(String?, Bool)])
    func markdownWinsOnlyWhenPreferred(accept: String?, markdown: Bool) {
        #expect(MarkdownTwinMiddleware.prefersMarkdown(accept) == markdown)
    }

    @Test func anOverlongAcceptHeaderGetsThePage() {
        #expect(!MarkdownTwinMiddleware.prefersMarkdown("text/markdown, " + String(repeating: "x/y;q=0.1, ", count: 800)))
    }

    @Test func aPageWithATwinAnswersEitherWayAndSaysItVaries() async throws {
        let fixture = try ServerFixture()
        fixture.directory.write("public/privacy/index.md", "---\ntitle: \"Privacy\"\n---\n\n# Privacy\n")
        let (app, _) = try await fixture.makeApp()
        try await app.test(.router) { client in
            let twin = try await client.execute(uri: "/privacy/", method: .get, headers: [.accept: "text/markdown"])
            #expect(twin.status == .ok)
            #expect(twin.headers[.contentType] == "text/markdown; charset=utf-8")
            #expect(twin.headers[.vary] == "Accept")
            #expect(String(buffer: twin.body).hasPrefix("---\ntitle: \"Privacy\""))
            let etag = try #require(twin.headers[.eTag])
            #expect(try await client.execute(uri: "/privacy/", method: .get, headers: [.accept: "text/markdown", .ifNoneMatch: etag]).status == .notModified)
            let page = try await client.execute(uri: "/privacy/", method: .get, headers: [.accept: "text/html"])
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(page.headers[.vary] == "Accept")
            // No twin: the page, as for a browser.
            let home = try await client.execute(uri: "/", method: .get, headers: [.accept: "text/markdown"])
            #expect(home.status == .ok && home.headers[.contentType]?.hasPrefix("text/html") == true)
            let file = try await client.execute(uri: "/privacy/index.md", method: .get)
            #expect(file.headers[.contentType] == "text/markdown; charset=utf-8")
        }
    }
}
