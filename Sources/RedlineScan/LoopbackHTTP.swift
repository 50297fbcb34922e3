import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// HTTP/1.1 to a server on this machine's loopback: chromedriver, and the site being scanned.
/// A connection per request (on loopback that costs next to nothing), so no state is shared.
/// Built on NIO rather than URLSession: the release binary is linked statically, without
/// FoundationNetworking.
public struct LoopbackHTTP: Sendable {
    public let port: Int
    /// How long one request may take before it is given up: a browser that hangs must not hang the scan.
    public var timeout: Duration

    public init(port: Int, timeout: Duration = .seconds(90)) {
        self.port = port
        self.timeout = timeout
    }

    public struct Answer: Sendable {
        public let status: Int
        public let body: Data
    }

    public func get(_ path: String) async throws -> Answer {
        try await send(.GET, path)
    }

    /// Sends `body` (JSON) to `path` and waits for the whole answer.
    public func send(_ method: HTTPMethod, _ path: String, json body: Data? = nil) async throws -> Answer {
        let port = self.port
        return try await Deadline.run(within: timeout, what: "\(method) \(path)") {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(10))
                .connect(host: "127.0.0.1", port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(wrappingChannelSynchronously: channel)
                    }
                }
            return try await channel.executeThenClose { inbound, outbound in
                var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
                head.headers.add(name: "Host", value: "127.0.0.1:\(port)")
                head.headers.add(name: "Connection", value: "close")
                if body != nil || method == .POST {
                    head.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
                    head.headers.add(name: "Content-Length", value: String(body?.count ?? 0))
                }
                try await outbound.write(.head(head))
                if let body { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
                try await outbound.write(.end(nil))
                var status = 0
                var data = Data()
                for try await part in inbound {
                    switch part {
                    case .head(let answer): status = Int(answer.status.code)
                    case .body(let bytes): data.append(contentsOf: bytes.readableBytesView)
                    case .end: return Answer(status: status, body: data)
                    }
                }
                throw ScanError("the connection to port \(port) closed before the answer to \(method) \(path) was complete")
            }
        }
    }

    /// A port nothing listens on now, for a server of ours to take. Another process could take
    /// it first; starting again with a new one is the caller's remedy.
    public static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw ScanError("no socket: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(descriptor, generic, length) == 0 && getsockname(descriptor, generic, &length) == 0
            }
        }
        guard bound else { throw ScanError("no free loopback port: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Runs work with a time limit; what is still running then is cancelled.
enum Deadline {
    static func run<T: Sendable>(within limit: Duration, what: String, _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(for: limit)
                throw ScanError("\(what) took longer than \(limit.components.seconds) s")
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw CancellationError() }
            return first
        }
    }
}

/// Why a scan could not be made (not a finding: the site was not, or not fully, scanned).
public struct ScanError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
