import Foundation
import Synchronization

/// A token bucket per client: `burst` requests at once, refilled at `perMinute`. Clients
/// are keyed by a hash of their address, held in memory only and forgotten when idle.
public final class RateLimiter: Sendable {
    public let perMinute: Int
    public let burst: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    private struct Bucket {
        var tokens: Double
        var updated: Double
    }

    /// `perMinute == 0` turns limiting off.
    public init(perMinute: Int, burst: Int) {
        self.perMinute = perMinute
        self.burst = max(1, burst)
    }

    /// nil when the request may go ahead; else the seconds to wait before the next one will.
    public func retryAfter(client: String, now: Double = ProcessInfo.processInfo.systemUptime) -> Int? {
        guard perMinute > 0 else { return nil }
        let rate = Double(perMinute) / 60
        return buckets.withLock { buckets in
            if buckets.count > 100_000 { Self.forgetIdle(&buckets, now: now, rate: rate, capacity: Double(burst)) }
            var bucket = buckets[client] ?? Bucket(tokens: Double(burst), updated: now)
            bucket.tokens = min(Double(burst), bucket.tokens + (now - bucket.updated) * rate)
            bucket.updated = now
            defer { buckets[client] = bucket }
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                return nil
            }
            return max(1, Int(((1 - bucket.tokens) / rate).rounded(.up)))
        }
    }

    /// Drops buckets that have refilled completely: they behave like new ones.
    private static func forgetIdle(_ buckets: inout [String: Bucket], now: Double, rate: Double, capacity: Double) {
        buckets = buckets.filter { _, bucket in bucket.tokens + (now - bucket.updated) * rate < capacity }
    }
}
