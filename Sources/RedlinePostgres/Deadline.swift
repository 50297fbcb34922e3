import RedlineConsent
import Synchronization

/// Runs `body` and returns what it returns, or throws ``StoreUnavailable`` once `deadline` has
/// passed. A task group would wait for `body` to honour cancellation, and a query on a frozen
/// connection never does; here the caller is answered at the deadline, and `body` is cancelled
/// and left to end on its own.
func withDeadline<Result: Sendable>(_ deadline: Duration, _ body: @escaping @Sendable () async throws -> Result) async throws -> Result {
    let race = DeadlineRace<Result>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { continuation in
            race.start(continuation, deadline: deadline, body)
        }
    } onCancel: {
        race.cancel()
    }
}

/// The state shared by the work, the timer and the caller: whoever finishes first answers once.
private final class DeadlineRace<Result: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Result, any Error>?
        var tasks: [Task<Void, Never>] = []
        var cancelled = false
    }
    private let state = Mutex(State())

    func start(_ continuation: CheckedContinuation<Result, any Error>, deadline: Duration,
               _ body: @escaping @Sendable () async throws -> Result) {
        let cancelledAlready = state.withLock { state in
            state.continuation = continuation
            return state.cancelled
        }
        if cancelledAlready { return finish(.failure(CancellationError())) }
        let work = Task {
            do { self.finish(.success(try await body())) } catch { self.finish(.failure(error)) }
        }
        let timer = Task {
            guard (try? await Task.sleep(for: deadline)) != nil else { return }
            self.finish(.failure(StoreUnavailable("no answer within \(deadline)")))
        }
        let finishedAlready = state.withLock { state in
            state.tasks = [work, timer]
            return state.continuation == nil
        }
        if finishedAlready { work.cancel(); timer.cancel() }
    }

    func cancel() {
        state.withLock { $0.cancelled = true }
        finish(.failure(CancellationError()))
    }

    /// Answers the caller if nobody has, and stops whatever is still running.
    private func finish(_ result: Swift.Result<Result, any Error>) {
        let (continuation, tasks) = state.withLock { state in
            defer { state.continuation = nil }
            return (state.continuation, state.continuation == nil ? [] : state.tasks)
        }
        guard let continuation else { return }
        tasks.forEach { $0.cancel() }
        continuation.resume(with: result)
    }
}
