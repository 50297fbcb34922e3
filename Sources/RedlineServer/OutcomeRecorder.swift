import RedlineConsent
import RedlineNotices

/// Stores delivery outcomes with group commit: outcomes that arrive while a transaction is
/// being written share the next one, so two or more connections pay for one fsync together.
actor OutcomeRecorder {
    private let store: any NoticeStore
    private var pending: [(id: Int64, result: OutboxResult)] = []
    private var waiters: [CheckedContinuation<Void, any Error>] = []
    private var writing = false

    init(store: any NoticeStore) {
        self.store = store
    }

    /// Returns once the outcome is durable.
    func record(_ id: Int64, _ result: OutboxResult) async throws {
        try await withCheckedThrowingContinuation { continuation in
            pending.append((id, result))
            waiters.append(continuation)
            if !writing {
                writing = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            let batch = pending
            let batchWaiters = waiters
            pending.removeAll()
            waiters.removeAll()
            do {
                try await store.complete(batch)
                batchWaiters.forEach { $0.resume() }
            } catch {
                batchWaiters.forEach { $0.resume(throwing: error) }
            }
        }
        writing = false
    }
}
