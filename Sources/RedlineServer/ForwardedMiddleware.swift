import HTTPTypes
import Hummingbird

/// Sets the request's client address and scheme from the forwarding header the trusted proxies
/// set (`X-Forwarded-For` with `X-Forwarded-Proto`, or `Forwarded`; ``TrustedProxies/header``)
/// when, and only when, the peer is a trusted proxy; from anyone else every such header is ignored.
struct ForwardedMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let proxies: TrustedProxies

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        guard !proxies.isEmpty else { return try await next(request, context) }
        var context = context
        let peer = context.remoteAddress?.ipAddress
        context.peerIsTrustedProxy = peer.map(proxies.contains) ?? false
        let forwarded = request.headers[values: .forwarded].joined(separator: ",")
        let forwardedFor = request.headers[values: .xForwardedFor].joined(separator: ",")
        context.clientAddress = proxies.client(peer: peer, forwarded: forwarded.isEmpty ? nil : forwarded,
                                               forwardedFor: forwardedFor.isEmpty ? nil : forwardedFor)
        context.clientScheme = proxies.scheme(peer: peer, forwarded: forwarded.isEmpty ? nil : forwarded,
                                              forwardedProto: request.headers[.xForwardedProto])
        return try await next(request, context)
    }
}

extension HTTPField.Name {
    static let forwarded = Self("Forwarded")!
    static let xForwardedFor = Self("X-Forwarded-For")!
    static let xForwardedProto = Self("X-Forwarded-Proto")!
}
