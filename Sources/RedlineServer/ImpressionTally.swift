import Foundation
import Logging
import RedlineConsent
import ServiceLifecycle
import Synchronization

/// Impressions counted in memory and added to the store in batches: a beacon costs one
/// dictionary increment, and the database sees one short transaction a second whatever the
/// traffic. A crash loses at most the last interval's impressions, which only ever makes the
/// counters lower; the consent records, which are evidence, never wait on this.
public final class ImpressionTally: Sendable {
    private let store: any ImpressionStore
    private let pending = Mutex<[ImpressionKey: Int]>([:])
    /// The flush in progress: the next one waits for it, so that once `flush()` returns, every
    /// impression counted before the call is in the store (the stats API relies on it).
    private let lastFlush = Mutex<Task<Void, any Error>?>(nil)

    public init(store: any ImpressionStore) {
        self.store = store
    }

    public func count(_ key: ImpressionKey) {
        pending.withLock { $0[key, default: 0] += 1 }
    }

    /// The stored counters of days `from` to `to` (what is pending is not among them: flush first).
    public func counts(from: String, to: String) async throws -> [ImpressionCount] {
        try await store.counts(from: from, to: to)
    }

    /// Impressions counted and not yet stored.
    public var unflushed: Int { pending.withLock { $0.values.reduce(0, +) } }

    /// Adds what is pending to the store, after any flush already under way. On failure the
    /// batch is put back for the next try.
    public func flush() async throws {
        let task = lastFlush.withLock { last in
            let previous = last
            let next = Task {
                _ = try? await previous?.value
                try await self.store(self.pending.withLock { pending in
                    defer { pending = [:] }
                    return pending
                })
            }
            last = next
            return next
        }
        try await task.value
    }

    private func store(_ batch: [ImpressionKey: Int]) async throws {
        guard !batch.isEmpty else { return }
        do {
            try await store.add(batch)
        } catch {
            pending.withLock { pending in
                for (key, count) in batch { pending[key, default: 0] += count }
            }
            throw error
        }
    }
}

/// Flushes the tally every `interval` while the server runs, and once more when it stops.
struct ImpressionFlushService: Service {
    let tally: ImpressionTally
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                await flush()
            }
        }
        await flush()
    }

    private func flush() async {
        do {
            try await tally.flush()
        } catch is CancellationError {
            return
        } catch {
            logger.warning("could not store impression counts; keeping them for the next try", metadata: ["error": "\(error)"])
        }
    }
}
