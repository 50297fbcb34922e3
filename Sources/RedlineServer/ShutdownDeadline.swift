import Foundation
import Logging
import ServiceLifecycle

/// Makes SIGTERM and SIGINT end the process within `deadline` whatever is still running:
/// a mail server that stopped answering mid-message, a client that never finishes its
/// request. Listed last, it hears of the shutdown first and arms a timer; if the graceful
/// stop is not over when it fires, the process exits. Nothing is lost by that: every
/// acknowledged consent is already synced, and a message cut off mid-send is queued again
/// at the next start.
public struct ShutdownDeadline: Service {
    let deadline: Duration
    let logger: Logger

    public init(deadline: Duration, logger: Logger) {
        self.deadline = deadline
        self.logger = logger
    }

    public func run() async throws {
        try? await gracefulShutdown()
        let logger = logger
        let seconds = Double(deadline.components.seconds) + Double(deadline.components.attoseconds) / 1e18
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: seconds)
            logger.warning("still stopping after the grace period; exiting now (work in flight resumes at the next start)")
            exit(0)
        }
    }
}
