/// How long the stores wait for PostgreSQL (`--db-timeout`). The promise is the operation
/// deadline: a request that needs the database gets its answer, or a 503, within it, whatever
/// the database does (refuses connections, stops answering mid-query, or is frozen).
public struct DatabaseTimeouts: Sendable, Equatable {
    /// Opening one TCP connection (and its TLS handshake).
    public var connect: Duration
    /// One transaction, waiting for a pooled connection included.
    public var operation: Duration

    public init(connect: Duration = .seconds(5), operation: Duration = .seconds(10)) {
        self.connect = connect
        self.operation = operation
    }

    public static let standard = DatabaseTimeouts()
}
