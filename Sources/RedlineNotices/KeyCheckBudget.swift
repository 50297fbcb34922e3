import Foundation
import Synchronization

/// A key check turned away before any bcrypt was spent on it: this client has a check running
/// or has used up its checks for now. `retryAfter` is in seconds.
public struct KeyCheckRefused: Error, Sendable, CustomStringConvertible {
    public let retryAfter: Int
    public var description: String { "too many API key checks from this client; retry in \(retryAfter) s" }
}

/// What bcrypt comparisons of presented API keys may cost the server. Every comparison, for a
/// good prefix, a revoked key or an unknown one alike, goes through here, so that failed
/// authentication costs an attacker more than the server:
/// - per client, a token bucket (`perMinute`, `burst`) and one check at a time: a flood of bad
///   keys from one client is answered 429 at once, and never uses up another client's checks;
/// - across clients, one comparison at a time on a serial queue of its own, off the event loops
///   and Swift's cooperative pool, so readers, `/healthz` and everything else keep the other core;
///   a client's check waits its turn (one place in line per client) rather than being refused.
package final class KeyCheckBudget: Sendable {
    package struct Limits: Sendable {
        package var perMinute = 10
        package var burst = 10
        /// Checks waiting or running at once, over all clients; past it, 429.
        package var waiting = 256

        package init() {}
    }

    private struct Bucket {
        var tokens: Double
        var updated: Double
    }

    private struct State {
        var buckets: [String: Bucket] = [:]
        var running: Set<String> = []
    }

    let limits: Limits
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "redline.api-key-checks", qos: .utility)

    package init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Runs `comparison` (a bcrypt check) for `client` when its turn comes, or throws
    /// ``KeyCheckRefused`` at once without running it.
    package func run<T: Sendable>(client: String, _ comparison: @escaping @Sendable () -> T) async throws -> T {
        try admit(client)
        defer { state.withLock { _ = $0.running.remove(client) } }
        return await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: comparison()) }
        }
    }

    private func admit(_ client: String, now: Double = ProcessInfo.processInfo.systemUptime) throws {
        let rate = Double(max(1, limits.perMinute)) / 60
        let capacity = Double(max(1, limits.burst))
        try state.withLock { state in
            guard !state.running.contains(client), state.running.count < limits.waiting else { throw KeyCheckRefused(retryAfter: 1) }
            if state.buckets.count > 100_000 {
                // Buckets that have refilled behave like new ones.
                state.buckets = state.buckets.filter { $0.value.tokens + (now - $0.value.updated) * rate < capacity }
            }
            var bucket = state.buckets[client] ?? Bucket(tokens: capacity, updated: now)
            bucket.tokens = min(capacity, bucket.tokens + (now - bucket.updated) * rate)
            bucket.updated = now
            defer { state.buckets[client] = bucket }
            guard bucket.tokens >= 1 else { throw KeyCheckRefused(retryAfter: max(1, Int(((1 - bucket.tokens) / rate).rounded(.up)))) }
            bucket.tokens -= 1
            state.running.insert(client)
        }
    }
}
