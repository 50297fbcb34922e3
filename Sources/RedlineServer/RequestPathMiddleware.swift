import Foundation
import HTTPTypes
import Hummingbird

/// First in line: a path that is not valid percent-encoding, or that decodes to a NUL or
/// another control character (`/manifest.json%00.html`), is answered 400 before any route or
/// file lookup sees it, so no file is ever served under a name it does not have.
struct RequestPathMiddleware: RouterMiddleware {
    typealias Context = ServerContext

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        let raw = request.uri.path
        guard let decoded = raw.removingPercentEncoding else {
            throw APIError(.badRequest, code: "bad_path", message: "The path is not valid percent-encoding.")
        }
        if decoded.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) || raw.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            throw APIError(.badRequest, code: "bad_path", message: "The path holds a control character.")
        }
        // The build's own files (its marker, the pages of upcoming days) are not pages of the site.
        if decoded.hasPrefix("/.redline") { throw HTTPError(.notFound) }
        return try await next(request, context)
    }
}

/// HEAD on every route that answers GET: the GET answer's status and headers, no body.
/// Wraps the whole router, because the router picks a route by method before any of its
/// middleware runs; errors become their answers here so that they too lose their body.
struct HeadResponder<Inner: HTTPResponder>: HTTPResponder where Inner.Context == ServerContext {
    let inner: Inner

    func respond(to request: Request, context: ServerContext) async throws -> Response {
        guard request.method == .head else { return try await inner.respond(to: request, context: context) }
        var head = request.head
        head.method = .get
        let asGet = Request(head: head, body: request.body)
        var response: Response
        do {
            response = try await inner.respond(to: asGet, context: context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: asGet, context: context)
        }
        // The GET answer's length, announced but not sent.
        let length = response.headers[.contentLength].flatMap(Int.init) ?? response.body.contentLength ?? 0
        response.body = ResponseBody(contentLength: length) { writer in try await writer.finish(nil) }
        return response
    }
}
