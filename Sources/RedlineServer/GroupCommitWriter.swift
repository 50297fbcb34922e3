import Foundation
import Logging
import RedlineConsent
import ServiceLifecycle

/// Writes consent records with group commit: requests that arrive while a transaction is
/// being written wait together and go into the next one, so concurrent requests share one
/// transaction and one fsync instead of queueing for one each. A request is answered only
/// after its transaction is durable.
public actor GroupCommitWriter {
    public typealias Job = (submission: ConsentSubmission, continuation: CheckedContinuation<AppendResult, any Error>)

    private let store: any ConsentStore
    private let maxBatch: Int
    private var pending: [Job] = []
    private var waiter: CheckedContinuation<Void, Never>?
    private var closed = false
    /// Told the size of every transaction written; feeds the batch-size metric.
    private let onCommit: @Sendable (Int) -> Void
    /// Seals the newest record a transaction created (sequence, entry hash) before its
    /// requests are answered; see ``CheckpointKeeper/seal(sequence:entryHash:now:)``.
    private let seal: @Sendable (Int64, String) async throws -> Void

    public init(store: any ConsentStore, maxBatch: Int = 256, onCommit: @escaping @Sendable (Int) -> Void = { _ in },
                seal: @escaping @Sendable (Int64, String) async throws -> Void = { _, _ in }) {
        self.store = store
        self.maxBatch = maxBatch
        self.onCommit = onCommit
        self.seal = seal
    }

    /// Queues `submission` and returns once it is stored durably (or was a replay).
    public func submit(_ submission: ConsentSubmission) async throws -> AppendResult {
        guard !closed else { throw WriterClosed() }
        return try await withCheckedThrowingContinuation { continuation in
            pending.append((submission, continuation))
            waiter?.resume()
            waiter = nil
        }
    }

    /// Everything queued, up to `maxBatch`; waits when nothing is. nil once closed and drained.
    func nextBatch() async -> [Job]? {
        while pending.isEmpty {
            if closed { return nil }
            await withCheckedContinuation { waiter = $0 }
        }
        let batch = Array(pending.prefix(maxBatch))
        pending.removeFirst(batch.count)
        return batch
    }

    /// Stops taking new submissions; those already queued are still written.
    func close() {
        closed = true
        waiter?.resume()
        waiter = nil
    }

    /// The writer loop: one transaction per batch, every waiting request answered after its commit.
    public func runLoop(logger: Logger) async {
        while let batch = await nextBatch() {
            do {
                let results = try await store.append(batch.map(\.submission), at: Date())
                if let newest = results.filter({ $0.outcome == .created }).max(by: { $0.record.evidence.sequence < $1.record.evidence.sequence }) {
                    do {
                        try await seal(newest.record.evidence.sequence, newest.record.entryHash)
                    } catch {
                        // Committed but not sealed: the clients retry with their idempotency keys and get their receipts.
                        throw StoreUnavailable("the chain's head could not be sealed: \(error)")
                    }
                }
                for (job, result) in zip(batch, results) { job.continuation.resume(returning: result) }
                onCommit(batch.count)
            } catch let error as StoreUnavailable {
                logger.error("database unavailable; \(batch.count) consent requests answered 503", metadata: ["reason": "\(error.reason)"])
                for job in batch { job.continuation.resume(throwing: error) }
            } catch {
                logger.error("consent transaction failed; \(batch.count) requests answered 500", metadata: ["error": "\(error)"])
                for job in batch { job.continuation.resume(throwing: error) }
            }
        }
    }
}

struct WriterClosed: Error {}

/// Runs the writer for the server's lifetime; on shutdown it writes what is queued, then stops.
struct GroupCommitService: Service {
    let writer: GroupCommitWriter
    let logger: Logger

    func run() async throws {
        // Closed on a graceful stop and on cancellation alike (a failed start cancels every
        // service): either way the loop writes what is queued and returns.
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await writer.runLoop(logger: logger)
            } onCancel: {
                Task { await writer.close() }
            }
        } onGracefulShutdown: {
            Task { await writer.close() }
        }
    }
}
