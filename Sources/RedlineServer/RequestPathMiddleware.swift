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
        return try await next(request, context)
    }
}

/// HEAD on every route that answers GET: the GET answer's status and headers, no body.
struct HeadMiddleware: RouterMiddleware {
    typealias Context = ServerContext

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        guard request.method == .head else { return try await next(request, context) }
        var head = request.head
        head.method = .get
        var response = try await next(Request(head: head, body: request.body), context)
        if response.headers[.contentLength] == nil, let length = response.body.contentLength {
            response.headers[.contentLength] = String(length)
        }
        response.body = .init()
        return response
    }
}
