import Foundation
import HTTPTypes
import Hummingbird

/// Headers every answer carries: no MIME sniffing, no full referrers to other sites, and a
/// Content-Security-Policy without inline scripts that the site's own pages work under.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = ServerContext

    static let contentSecurityPolicy = [
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
        "font-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
    ].joined(separator: "; ")

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "strict-origin-when-cross-origin"
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[.xFrameOptions] = "DENY"
        return response
    }
}

/// Answers paths that match no file with the site's own 404 page, status 404.
struct NotFoundPageMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let site: SiteFolder

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && (request.method == .get || request.method == .head) {
            var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"]
            guard let page = site.contents("/404.html")?.data else { throw error }
            headers[.contentLength] = String(page.readableBytes)
            let body: ResponseBody = request.method == .head ? .init() : .init(byteBuffer: page)
            return Response(status: .notFound, headers: headers, body: body)
        }
    }
}

extension HTTPField.Name {
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    /// Global Privacy Control: `Sec-GPC: 1`.
    static let secGPC = HTTPField.Name("Sec-GPC")!
}
