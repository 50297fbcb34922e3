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
    }

    /// Bodies larger than this are refused before they are read in full.
    public var maxUploadSize: Int { ConsentRoutes.maxBodyBytes }

    /// The name of the admin key that authenticated the request, for the record of who approved what.
    var adminKeyName: String?

    /// The peer's IP address as text, or nil (tests without a socket).
    var clientAddress: String? { remoteAddress?.ipAddress }
}
