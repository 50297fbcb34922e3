import Crypto
import Foundation
import Logging
import RedlineConsent
import RedlineNotices
import RedlineMail
import ServiceLifecycle
import Synchronization

/// How the outbox is sent: pace, parallel connections, and retries.
public struct DeliverySettings: Sendable {
    /// Messages per second across all connections; 0 sends as fast as the server takes them.
    public var ratePerSecond: Double = 20
    /// Connections used at once; each is reused from message to message.
    public var concurrency = 2
    /// Temporary failures are retried after `retryBase`, doubling up to `retryCap`, until `maxAttempts`.
    public var retryBase: Duration = .seconds(2)
    public var retryCap: Duration = .seconds(600)
    public var maxAttempts = 10
    /// How often the outbox is looked at when there is nothing to send.
    public var pollInterval: Duration = .milliseconds(250)
    /// How long a claimed batch is this worker's alone; after that, a worker of any server may take
    /// what is left of it (this one stopped or died). Longer than a batch takes to send.
    public var lease: Duration = OutboxLease.standard

    public init() {}
}

/// Sends the outbox. Leases a batch (marking it in flight until the lease runs out), sends it
/// over `concurrency` reused connections at the configured pace, and records each outcome as
/// soon as the mail server has answered. Workers of several servers share one outbox: each
/// leases different messages. After a crash, what the dead worker left in flight is taken
/// again when its lease runs out, by this server restarted or by another: only messages
/// whose SMTP transaction was under way (at most `concurrency`) may go out a second time,
/// with the same Message-ID and the same content.
struct DeliveryWorker: Service {
    let store: any NoticeStore
    let transport: any MailTransport
    let composer: NoticeComposer
    let settings: DeliverySettings
    let metrics: ServerMetrics
    let logger: Logger
    /// Records each final outcome in the consent log; nil in tests of delivery alone.
    let evidence: NoticeEvidenceRecorder?

    init(store: any NoticeStore, transport: any MailTransport, composer: NoticeComposer,
         settings: DeliverySettings, metrics: ServerMetrics, logger: Logger, evidence: NoticeEvidenceRecorder? = nil) {
        self.evidence = evidence
        self.store = store
        self.transport = transport
        self.composer = composer
        self.settings = settings
        self.metrics = metrics
        self.logger = logger
    }

    func run() async throws {
        let sessions = (0..<max(1, settings.concurrency)).map { _ in transport.openSession() }
        defer { sessions.forEach { $0.close() } }
        let pacer = Pacer(perSecond: settings.ratePerSecond)
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let batch = try await store.claim(limit: batchSize, lease: settings.lease, now: Date())
                    if batch.isEmpty {
                        try? await Task.sleep(for: settings.pollInterval)
                        continue
                    }
                    try await send(batch, sessions: sessions, pacer: pacer)
                } catch {
                    // Stopping: the batch stays in flight until its lease runs out, then is taken again.
                    if Task.isCancelled { break }
                    logger.error("outbox pass failed; trying again", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
    }

    /// Small enough that a crash repeats few messages, large enough to keep every connection busy.
    private var batchSize: Int { max(settings.concurrency * 4, min(200, Int(settings.ratePerSecond == 0 ? 200 : settings.ratePerSecond))) }

    /// Sends the batch and stores each outcome before the connection sends its next message,
    /// so that a crash repeats only the messages that were on the wire (at most one per
    /// connection), not the batch. Outcomes of different connections share a transaction.
    private func send(_ batch: [OutboxItem], sessions: [any MailSession], pacer: Pacer) async throws {
        let queue = BatchQueue(batch)
        let recorder = OutcomeRecorder(store: store, consents: evidence?.consents)
        // While the batch goes out, its lease is renewed every third of it, so only a worker
        // that stopped loses its messages to another.
        let renewal = Task { [store, settings, logger] in
            while !Task.isCancelled {
                try? await Task.sleep(for: settings.lease / 3)
                if Task.isCancelled { return }
                do {
                    try await store.extendLease(batch.map(\.id), lease: settings.lease, now: Date())
                } catch {
                    logger.warning("could not renew the outbox lease", metadata: ["error": "\(error)"])
                }
            }
        }
        defer { renewal.cancel() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for session in sessions {
                group.addTask {
                    while let item = queue.next() {
                        await pacer.wait()
                        let (result, leaf) = await deliver(item, session: session)
                        try await recorder.record(item.id, result, leaf: leaf)
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    /// Sends one message; the outcome for the outbox, and for the log when it is final.
    private func deliver(_ item: OutboxItem, session: any MailSession) async -> (OutboxResult, NoticeLeaf?) {
        guard let to = MailAddress(item.email) else {
            return (.failed(reason: "not a deliverable address"), evidence?.leaf(for: item, outcome: .failed, message: [], reply: "not a deliverable address"))
        }
        let message = message(for: item, to: to)
        // Hashed before it goes: the bytes the mail server is handed are these.
        let bytes = evidence == nil ? [] : message.rendered()
        let outcome = await session.send(message)
        metrics.noticeDelivery(outcome)
        switch outcome {
        case .sent:
            return (.sent, evidence?.leaf(for: item, outcome: .sent, message: bytes, reply: nil))
        case let .permanent(reply):
            logger.warning("notice refused by the mail server", metadata: ["campaign": "\(item.campaignId)", "outbox": "\(item.id)"])
            return (.failed(reason: reply), evidence?.leaf(for: item, outcome: .failed, message: bytes, reply: reply))
        case let .temporary(reason):
            let attempt = item.attempts + 1
            guard attempt < settings.maxAttempts else {
                let reason = "gave up after \(attempt) attempts: \(reason)"
                return (.failed(reason: reason), evidence?.leaf(for: item, outcome: .failed, message: bytes, reply: reason))
            }
            return (.retry(at: Date().addingTimeInterval(backoff(afterAttempt: attempt)), reason: reason), nil)
        }
    }

    /// `retryBase` × 2^(attempt-1), at most `retryCap`, spread by ±20 % so that retries after
    /// an outage do not all arrive at once.
    func backoff(afterAttempt attempt: Int) -> TimeInterval {
        let base = Double(settings.retryBase.components.seconds) + Double(settings.retryBase.components.attoseconds) / 1e18
        let cap = Double(settings.retryCap.components.seconds)
        return min(base * pow(2, Double(attempt - 1)), cap) * Double.random(in: 0.8...1.2)
    }

    static func messageID(campaign: Int64, userId: String, domain: String) -> String {
        NoticeComposer.messageID(campaign: campaign, userId: userId, domain: domain)
    }

    func message(for item: OutboxItem, to: MailAddress) -> MailMessage {
        composer.message(campaign: item.campaignId, content: item.content, userId: item.userId, locale: item.locale, to: to, outboxId: item.id)
    }
}

/// The messages of a batch, taken one at a time by whichever connection is free.
private final class BatchQueue: Sendable {
    private let items: Mutex<ArraySlice<OutboxItem>>
    init(_ items: [OutboxItem]) { self.items = Mutex(items[...]) }
    func next() -> OutboxItem? { items.withLock { $0.popFirst() } }
}

/// Spaces sends evenly at a rate shared by all connections.
actor Pacer {
    private let interval: Duration
    private var nextSlot = ContinuousClock.now

    init(perSecond: Double) {
        interval = perSecond > 0 ? .nanoseconds(Int64(1e9 / perSecond)) : .zero
    }

    func wait() async {
        guard interval > .zero else { return }
        let now = ContinuousClock.now
        let slot = max(now, nextSlot)
        nextSlot = slot + interval
        if slot > now { try? await Task.sleep(until: slot, clock: .continuous) }
    }
}
