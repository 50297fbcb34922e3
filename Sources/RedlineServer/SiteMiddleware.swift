import Foundation
import HTTPTypes
import Hummingbird

/// Headers every answer carries: no MIME sniffing, no full referrers to other sites, and a
/// Content-Security-Policy without inline scripts that the site's own pages work under, widened
/// only by the origins site.yaml names for the scripts and iframes the banner gates.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    /// The site whose manifest names the extra origins; nil: the policy as it is.
    var catalog: SiteCatalog? = nil

    static let baseDirectives: [(String, String)] = [
        ("default-src", "'self'"), ("script-src", "'self'"), ("style-src", "'self'"), ("img-src", "'self' data:"),
        ("connect-src", "'self'"), ("font-src", "'self'"), ("frame-src", "'self'"), ("media-src", "'self'"), ("object-src", "'none'"),
        ("base-uri", "'self'"), ("form-action", "'self'"), ("frame-ancestors", "'none'"),
    ]

    static let contentSecurityPolicy = policy(adding: [:])

    /// The base policy with `extra` origins added to their directives.
    static func policy(adding extra: [String: [String]]) -> String {
        baseDirectives.map { directive, sources in
            guard let origins = extra[directive], !origins.isEmpty else { return "\(directive) \(sources)" }
            return "\(directive) \(sources) " + origins.joined(separator: " ")
        }.joined(separator: "; ")
    }

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "strict-origin-when-cross-origin"
        let extra = catalog?.manifest.site.contentSecurityPolicy
        response.headers[.contentSecurityPolicy] = extra.map { Self.policy(adding: $0) } ?? Self.contentSecurityPolicy
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
