import Foundation
import RedlineConsent
import RedlineNotices

/// Stores delivery outcomes with group commit: outcomes that arrive while a transaction is
/// being written share the next one, so two or more connections pay for one fsync together.
actor OutcomeRecorder {
    private let store: any NoticeStore
    /// Where final outcomes are logged as notice records; nil: not logged.
    private let consents: (any ConsentStore)?
    private var pending: [(id: Int64, result: OutboxResult)] = []
    private var leaves: [NoticeLeaf] = []
    private var waiters: [CheckedContinuation<Void, any Error>] = []
    private var writing = false

    init(store: any NoticeStore, consents: (any ConsentStore)? = nil) {
        self.store = store
        self.consents = consents
    }

    /// Returns once the outcome (and its notice record, if any) is durable.
    func record(_ id: Int64, _ result: OutboxResult, leaf: NoticeLeaf? = nil) async throws {
        try await withCheckedThrowingContinuation { continuation in
            pending.append((id, result))
            if let leaf { leaves.append(leaf) }
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
            let batchLeaves = leaves
            let batchWaiters = waiters
            pending.removeAll()
            leaves.removeAll()
            waiters.removeAll()
            do {
                // The log first: a crash between the two sends a message again (and logs it
                // again), rather than leave a sent message with no record of it.
                if let consents, !batchLeaves.isEmpty { _ = try await consents.appendNotices(batchLeaves, at: Date()) }
                try await store.complete(batch)
                batchWaiters.forEach { $0.resume() }
            } catch {
                batchWaiters.forEach { $0.resume(throwing: error) }
            }
        }
        writing = false
    }
}
