import Foundation
import NIOConcurrencyHelpers
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// Caps open connections below what the file-descriptor limit allows, the way nginx reuses
/// idle keep-alive connections when it runs short: a new connection beyond the cap closes
/// the longest-idle one (one that never sent a byte, or has been quiet for a while) instead
/// of waiting behind it. So 500 idle sockets, or a low `ulimit -n`, cannot keep `/healthz`
/// from answering, and the server never runs out of descriptors for its own files.
final class ConnectionRegistry: Sendable {
    let capacity: Int
    /// A connection quiet for this long may be closed to make room.
    let quietAfter: TimeInterval

    private struct Entry {
        let channel: any Channel
        var lastActivity: TimeInterval
        var hasSpoken: Bool
    }

    private let entries = NIOLockedValueBox([ObjectIdentifier: Entry]())

    init(capacity: Int, quietAfter: TimeInterval = 2) {
        self.capacity = max(4, capacity)
        self.quietAfter = quietAfter
    }

    /// The cap for a file-descriptor limit: two descriptors a connection (its socket and a
    /// file it may be sending), after a reserve for the database, keys, logs and event loops.
    static func capacity(configured: Int?, descriptorLimit: Int = ConnectionRegistry.softDescriptorLimit()) -> Int {
        let fitting = max(4, (descriptorLimit - 64) / 2)
        return min(configured ?? 4096, fitting)
    }

    static func softDescriptorLimit() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        return limit.rlim_cur > rlim_t(1 << 20) ? 1 << 20 : Int(limit.rlim_cur)
    }

    var count: Int { entries.withLockedValue { $0.count } }

    func opened(_ channel: any Channel) {
        let now = Date().timeIntervalSince1970
        let victim: (any Channel)? = entries.withLockedValue { entries in
            var victim: (any Channel)?
            if entries.count >= capacity {
                let evictable = entries.filter { !$0.value.hasSpoken || now - $0.value.lastActivity >= quietAfter }
                if let oldest = evictable.min(by: { $0.value.lastActivity < $1.value.lastActivity }) {
                    victim = oldest.value.channel
                    entries[oldest.key] = nil
                } else {
                    // Every connection is busy: the newcomer is the one turned away.
                    return channel
                }
            }
            entries[ObjectIdentifier(channel)] = Entry(channel: channel, lastActivity: now, hasSpoken: false)
            return victim
        }
        victim?.close(promise: nil)
    }

    func active(_ channel: any Channel, spoke: Bool) {
        let now = Date().timeIntervalSince1970
        entries.withLockedValue { entries in
            let key = ObjectIdentifier(channel)
            entries[key]?.lastActivity = now
            if spoke { entries[key]?.hasSpoken = true }
        }
    }

    func closed(_ channel: any Channel) {
        _ = entries.withLockedValue { $0.removeValue(forKey: ObjectIdentifier(channel)) }
    }
}

/// Tells the registry when its connection opens, speaks, answers and closes. Passes every message through untouched.
final class ConnectionLimitHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny

    let registry: ConnectionRegistry

    init(registry: ConnectionRegistry) {
        self.registry = registry
    }

    func handlerAdded(context: ChannelHandlerContext) {
        registry.opened(context.channel)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        registry.closed(context.channel)
    }

    func channelInactive(context: ChannelHandlerContext) {
        registry.closed(context.channel)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        registry.active(context.channel, spoke: true)
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        registry.active(context.channel, spoke: false)
        context.write(data, promise: promise)
    }
}
