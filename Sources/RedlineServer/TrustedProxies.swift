import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The networks whose peers are reverse proxies (`--trusted-proxy CIDR`), and the one header
/// those proxies set (`--forwarded-header`). Only a request from one of them has that header
/// (and its scheme) believed; anyone else could write any address there, and would then pick
/// their own rate limit. The other forwarding header is never read: a proxy passes on
/// whatever the visitor wrote in a header it does not set itself, so believing both would let
/// a visitor's own `Forwarded: for=…` win over the proxy's `X-Forwarded-For`.
public struct TrustedProxies: Sendable, Equatable {
    /// Which header the trusted proxies write the client's address (and scheme) in.
    public enum Header: String, Sendable, CaseIterable {
        /// `X-Forwarded-For` with `X-Forwarded-Proto`: what nginx's `$proxy_add_x_forwarded_for` writes.
        case xForwardedFor = "x-forwarded-for"
        /// RFC 7239 `Forwarded: for=…;proto=…`.
        case forwarded
    }

    struct Network: Sendable, Equatable {
        /// 4 bytes (IPv4) or 16 (IPv6).
        let address: [UInt8]
        let prefixLength: Int

        func contains(_ other: [UInt8]) -> Bool {
            guard other.count == address.count else { return false }
            var remaining = prefixLength
            for index in address.indices where remaining > 0 {
                let bits = min(8, remaining)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                if address[index] & mask != other[index] & mask { return false }
                remaining -= bits
            }
            return true
        }
    }

    let networks: [Network]
    /// The networks as the operator wrote them, for `--print-config`.
    public private(set) var cidrs: [String] = []
    /// X-Forwarded-For unless the operator says the proxies write `Forwarded`.
    public var header = Header.xForwardedFor

    public static let none = TrustedProxies(networks: [])

    /// `10.0.0.0/8`, `192.168.1.7` (one address), `fd00::/8`, `::1`.
    public init(parsing cidrs: [String], header: Header = .xForwardedFor) throws {
        self.header = header
        self.cidrs = cidrs
        networks = try cidrs.map { text in
            let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard let address = Self.bytes(of: String(parts[0])) else {
                throw ServerSetupError("--trusted-proxy '\(text)' is not an IP address or CIDR such as 10.0.0.0/8 or fd00::/8")
            }
            let maximum = address.count * 8
            let length = parts.count == 2 ? Int(parts[1]) : maximum
            guard let length, (0...maximum).contains(length) else {
                throw ServerSetupError("--trusted-proxy '\(text)': the prefix length must be 0 to \(maximum)")
            }
            return Network(address: address, prefixLength: length)
        }
    }

    init(networks: [Network]) {
        self.networks = networks
    }

    public var isEmpty: Bool { networks.isEmpty }

    public func contains(_ address: String) -> Bool {
        guard let bytes = Self.bytes(of: address) else { return false }
        return networks.contains { $0.contains(bytes) || $0.contains(Self.unmappedIPv4(bytes) ?? []) }
    }

    /// The client a request came from: the peer itself unless the peer is a trusted proxy; then
    /// the nearest address, in the one header the proxies set, that is not a trusted proxy
    /// (proxies append the address they saw, so the entries before it are whatever the client wrote).
    public func client(peer: String?, forwarded: String?, forwardedFor: String?) -> String? {
        guard let peer, !networks.isEmpty, contains(peer) else { return peer }
        let chain: [String]
        switch header {
        case .forwarded: chain = forwarded.map(Self.forwardedFor) ?? []
        case .xForwardedFor: chain = forwardedFor.map { $0.split(separator: ",").map { Self.cleaned(String($0)) } } ?? []
        }
        for address in chain.reversed() {
            guard Self.bytes(of: address) != nil else { return peer } // garbage: trust no further
            if !contains(address) { return address }
        }
        return chain.first ?? peer
    }

    /// `https` or `http` as the trusted proxy says the client spoke, else nil.
    public func scheme(peer: String?, forwarded: String?, forwardedProto: String?) -> String? {
        guard let peer, !networks.isEmpty, contains(peer) else { return nil }
        if header == .forwarded {
            let proto = forwarded.flatMap { Self.parameters($0).last(where: { $0.0 == "proto" })?.1.lowercased() }
            return proto.flatMap { ["http", "https"].contains($0) ? $0 : nil }
        }
        let proto = forwardedProto?.split(separator: ",").first.map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: " ")).lowercased() }
        return proto.flatMap { ["http", "https"].contains($0) ? $0 : nil }
    }

    // MARK: Parsing

    /// The `for=` addresses of RFC 7239 `Forwarded`, in order.
    static func forwardedFor(_ header: String) -> [String] {
        parameters(header).filter { $0.0 == "for" }.map { cleaned($0.1) }
    }

    /// Every `name=value` of every element, in order (`for=1.2.3.4;proto=https, for=…`).
    static func parameters(_ header: String) -> [(String, String)] {
        header.split(separator: ",").flatMap { element in
            element.split(separator: ";").compactMap { pair -> (String, String)? in
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { return nil }
                return (String(parts[0]).trimmingCharacters(in: CharacterSet(charactersIn: " ")).lowercased(), String(parts[1]).trimmingCharacters(in: CharacterSet(charactersIn: " \"")))
            }
        }
    }

    /// `"[2001:db8::1]:4711"` → `2001:db8::1`; `1.2.3.4:80` → `1.2.3.4`.
    static func cleaned(_ text: String) -> String {
        var value = text.trimmingCharacters(in: CharacterSet(charactersIn: " \""))
        if value.hasPrefix("["), let close = value.firstIndex(of: "]") {
            value = String(value[value.index(after: value.startIndex)..<close])
        } else if value.filter({ $0 == ":" }).count == 1, let colon = value.firstIndex(of: ":") {
            value = String(value[..<colon])
        }
        return value
    }

    static func bytes(of address: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, address, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }

    /// `::ffff:10.1.2.3` (how a dual-stack socket shows an IPv4 peer) as its 4 IPv4 bytes.
    static func unmappedIPv4(_ bytes: [UInt8]) -> [UInt8]? {
        guard bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF else { return nil }
        return Array(bytes[12...])
    }
}
