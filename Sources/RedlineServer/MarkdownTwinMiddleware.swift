import Foundation
import HTTPTypes
import Hummingbird

/// Answers a page's URL with its Markdown twin (`<page>/index.md`) when the client prefers
/// `text/markdown` to HTML (`Accept: text/markdown`, as assistants and `curl -H` send it), and
/// says `Vary: Accept` on every page, so a cache never hands the one to a client that asked for
/// the other. Browsers, which ask for HTML first, get the page as before.
struct MarkdownTwinMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let site: SiteFolder

    static let mediaType = "text/markdown; charset=utf-8"
    /// Longer Accept headers are not parsed (a client sending 8 kB of them gets the page).
    static let longestAccept = 1024

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard request.method == .get || request.method == .head, path.hasSuffix("/"), !path.hasPrefix("/api/") else {
            return try await next(request, context)
        }
        guard Self.prefersMarkdown(request.headers[.accept]), let twin = site.contents(path + "index.md") else {
            var response = try await next(request, context)
            response.headers[.vary] = "Accept"
            return response
        }
        let etag = "\"md-\(twin.file.size)-\(Int(twin.file.modificationDate.timeIntervalSince1970 * 1000))\""
        var headers: HTTPFields = [.contentType: Self.mediaType, .vary: "Accept", .cacheControl: "no-cache", .eTag: etag,
                                   .contentLocation: path + "index.md"]
        if HTTPNegotiation.isFresh(request, etag: etag) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentLength] = String(twin.data.readableBytes)
        return Response(status: .ok, headers: headers, body: request.method == .head ? .init() : .init(byteBuffer: twin.data))
    }

    /// Whether `text/markdown` has a higher quality than `text/html` (and is acceptable at all).
    /// Wildcards count for both alike, so `*/*` alone keeps the page.
    static func prefersMarkdown(_ accept: String?) -> Bool {
        guard let accept, accept.utf8.count <= longestAccept else { return false }
        var markdown = 0.0, html = 0.0
        for (type, quality) in HTTPNegotiation.qualities(accept) {
            switch type {
            case "text/markdown", "text/x-markdown": markdown = max(markdown, quality)
            case "text/html", "application/xhtml+xml": html = max(html, quality)
            default: break
            }
        }
        return markdown > 0 && markdown > html
    }
}
