import Hummingbird
import NIOCore

/// Per-request state: Hummingbird's core context plus the peer address, which is used in
/// memory (rate limiting, optional truncation or hashing) and never logged or stored raw.
public struct ServerContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        clientAddress = remoteAddress?.ipAddress
    }

    /// Bodies larger than this are refused before they are read in full.
    public var maxUploadSize: Int { ConsentRoutes.maxBodyBytes }

    /// The name of the admin key that authenticated the request, for the record of who approved what.
    var adminKeyName: String?

    /// The client's IP address as text, or nil (tests without a socket): the peer's, or behind a
    /// trusted proxy the one it forwarded (``ForwardedMiddleware``).
    var clientAddress: String?
    /// `http` or `https` as a trusted proxy says the client spoke; nil when the peer is the client.
    var clientScheme: String?
    /// Whether the peer is a trusted proxy, whose headers about the visitor (address, region) are believed.
    var peerIsTrustedProxy = false
}
