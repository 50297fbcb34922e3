import Foundation
import Hummingbird
import RedlineConsent

/// Guards `/api/`: cross-origin rules, rate limiting, and JSON errors for everything that
/// goes wrong there, including unknown paths.
struct APIMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let catalog: SiteCatalog
    let limiter: RateLimiter
    let metrics: ServerMetrics

    static let allowedMethods = "GET, POST, PUT, DELETE, OPTIONS"
    static let allowedHeaders = "Content-Type, Sec-GPC"

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        guard request.uri.path.hasPrefix("/api/") else { return try await next(request, context) }
        let origin = request.headers[.origin]
        do {
            if let origin, !isAllowed(origin: origin, request: request, scheme: context.clientScheme) {
                throw APIError(.forbidden, code: "origin_not_allowed",
                               message: "Requests from \(origin) are not allowed; add it to consent.allowedOrigins in site.yaml.")
            }
            if request.method == .options {
                var headers = corsHeaders(origin: origin)
                headers[.accessControlAllowMethods] = Self.allowedMethods
                headers[.accessControlAllowHeaders] = Self.allowedHeaders
                headers[.accessControlMaxAge] = "600"
                return Response(status: .noContent, headers: headers)
            }
            // The admin API is the operator's own authenticated service, which may well
            // register users faster than any visitor should post consents.
            if !request.uri.path.hasPrefix("/api/v1/admin/"), let wait = limiter.retryAfter(client: context.clientAddress ?? "unknown") {
                metrics.rateLimited()
                throw APIError(.tooManyRequests, code: "rate_limited",
                               message: "Too many requests from this client; try again in \(wait) seconds.",
                               headers: [.retryAfter: String(wait)])
            }
            var response = try await next(request, context)
            for field in corsHeaders(origin: origin) { response.headers.append(field) }
            return response
        } catch {
            var response = try Self.apiError(for: error, context: context).response(from: request, context: context)
            for field in corsHeaders(origin: origin) where isAllowed(origin: origin ?? "", request: request, scheme: context.clientScheme) {
                response.headers.append(field)
            }
            return response
        }
    }

    /// The site's own origin (manifest `baseURL`), one listed in site.yaml, or, for a server
    /// reached on a loopback address (`make run`, tests), that address itself. The request's Host
    /// is never enough on its own: a DNS-rebinding page at `http://evil.example:8080` makes the
    /// browser send a Host and an Origin that match each other, but a browser only sends a
    /// loopback Host when the page itself was loaded from loopback.
    func isAllowed(origin: String, request: Request, scheme: String? = nil) -> Bool {
        let origin = origin.lowercased()
        let manifest = catalog.manifest
        if origin == Self.origin(of: manifest.site.baseURL) { return true }
        if manifest.consent?.allowedOrigins.contains(origin) ?? false { return true }
        guard let host = request.head.authority?.lowercased(), Self.isLoopback(authority: host) else { return false }
        if let scheme { return origin == "\(scheme)://\(host)" }
        return origin == "http://\(host)" || origin == "https://\(host)"
    }

    /// `127.0.0.1:8080`, `localhost:8080`, `[::1]:8080` (with or without a port).
    static func isLoopback(authority: String) -> Bool {
        var host = Substring(authority)
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") {
            host = host[host.index(after: host.startIndex)..<close]
        } else if let colon = host.lastIndex(of: ":") {
            host = host[..<colon]
        }
        return host == "localhost" || host == "::1" || (host.hasPrefix("127.") && host.split(separator: ".").count == 4
            && host.split(separator: ".").allSatisfy { UInt8($0) != nil })
    }

    /// Whether a Content-Type names exactly `application/json`, parameters such as
    /// `; charset=utf-8` aside (`application/jsonx` or `application/json-patch` are not it).
    static func isJSON(contentType: String?) -> Bool {
        guard let contentType else { return false }
        let mediaType = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return mediaType.trimmingCharacters(in: .whitespaces).lowercased() == "application/json"
    }

    private func corsHeaders(origin: String?) -> HTTPFields {
        guard let origin else { return [:] }
        return [.accessControlAllowOrigin: origin, .vary: "Origin"]
    }

    static func origin(of url: String) -> String {
        let lower = url.lowercased()
        guard let schemeEnd = lower.range(of: "://") else { return lower }
        let host = lower[schemeEnd.upperBound...].prefix { $0 != "/" }
        return String(lower[..<schemeEnd.upperBound]) + host
    }

    /// Our own errors pass through; the framework's become the same JSON shape; anything
    /// else is an internal error whose details stay in the log.
    static func apiError(for error: any Error, context: ServerContext) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as HTTPError:
            switch error.status {
            case .notFound: return .notFound("No API endpoint at this path; see /openapi.json.")
            case .methodNotAllowed: return APIError(.methodNotAllowed, code: "method_not_allowed", message: "This endpoint does not take that method.")
            case .contentTooLarge: return .bodyTooLarge
            default: return APIError(error.status, code: "http_\(error.status.code)", message: error.status.reasonPhrase)
            }
        case let error as any HTTPResponseError where error.status == .contentTooLarge:
            return .bodyTooLarge
        case let error as StoreUnavailable:
            context.logger.warning("API request met an unavailable database", metadata: ["reason": "\(error.reason)"])
            return .databaseUnavailable
        default:
            context.logger.error("API request failed", metadata: ["error": "\(error)"])
            return .internalError
        }
    }
}
