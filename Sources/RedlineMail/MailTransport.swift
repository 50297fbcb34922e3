/// What became of one message handed to a transport.
public enum DeliveryOutcome: Sendable, Equatable {
    case sent
    /// Worth trying again later: a 4xx reply, a refused or broken connection, a timeout.
    case temporary(String)
    /// Never worth trying again: a 5xx reply. Carries the server's own words.
    case permanent(String)
}

/// Where messages go. A transport opens sessions; each session is used by one sender at a
/// time and may keep its connection open between messages.
public protocol MailTransport: Sendable {
    func openSession() -> any MailSession
    /// For logs and status: where messages go, without credentials.
    var description: String { get }
}

public protocol MailSession: AnyObject, Sendable {
    func send(_ message: MailMessage) async -> DeliveryOutcome
    func close()
}
