import Testing
@testable import RedlineServer

@Suite struct TrustedProxiesTests {
    let proxies = try! TrustedProxies(parsing: ["10.0.0.0/8", "192.168.1.7", "fd00::/8"])
    let rfc7239 = try! TrustedProxies(parsing: ["10.0.0.0/8"], header: .forwarded)

    @Test func networksAndSingleAddresses() {
        #expect(proxies.contains("10.200.3.4") && proxies.contains("192.168.1.7") && proxies.contains("fd12::1"))
        #expect(!proxies.contains("11.0.0.1") && !proxies.contains("192.168.1.8") && !proxies.contains("fe80::1"))
        #expect(proxies.contains("::ffff:10.1.2.3"), "an IPv4 peer on a dual-stack socket")
        #expect(!proxies.contains("not an address"))
    }

    @Test func theClientIsTheNearestUntrustedAddress() {
        #expect(proxies.client(peer: "10.0.0.2", forwarded: nil, forwardedFor: "6.6.6.6, 203.0.113.9, 10.0.0.3") == "203.0.113.9")
        #expect(proxies.client(peer: "10.0.0.2", forwarded: "for=198.51.100.1;proto=https, for=10.1.1.1", forwardedFor: "1.1.1.1") == "1.1.1.1",
                "a visitor's own Forwarded header is not believed over the proxy's X-Forwarded-For")
        #expect(proxies.client(peer: "10.0.0.2", forwarded: "for=198.51.100.1", forwardedFor: nil) == "10.0.0.2")
        #expect(rfc7239.client(peer: "10.0.0.2", forwarded: "for=198.51.100.1;proto=https, for=10.1.1.1", forwardedFor: "1.1.1.1") == "198.51.100.1")
        #expect(rfc7239.client(peer: "10.0.0.2", forwarded: #"for="[2001:db8::1]:4711""#, forwardedFor: nil) == "2001:db8::1")
        #expect(rfc7239.client(peer: "10.0.0.2", forwarded: nil, forwardedFor: "1.1.1.1") == "10.0.0.2")
        #expect(proxies.client(peer: "10.0.0.2", forwarded: nil, forwardedFor: nil) == "10.0.0.2")
        #expect(proxies.client(peer: "10.0.0.2", forwarded: nil, forwardedFor: "garbage, 203.0.113.9") == "203.0.113.9")
        #expect(proxies.client(peer: "10.0.0.2", forwarded: nil, forwardedFor: "203.0.113.9, garbage") == "10.0.0.2",
                "a chain the proxy did not write cleanly is not believed past the proxy")
    }

    @Test func headersFromAnyoneElseAreIgnored() {
        #expect(proxies.client(peer: "203.0.113.9", forwarded: "for=1.2.3.4", forwardedFor: "5.6.7.8") == "203.0.113.9")
        #expect(proxies.scheme(peer: "203.0.113.9", forwarded: nil, forwardedProto: "https") == nil)
        #expect(TrustedProxies.none.client(peer: "10.0.0.2", forwarded: nil, forwardedFor: "5.6.7.8") == "10.0.0.2")
        #expect(proxies.scheme(peer: "10.0.0.2", forwarded: nil, forwardedProto: "https") == "https")
        #expect(proxies.scheme(peer: "10.0.0.2", forwarded: nil, forwardedProto: "gopher") == nil)
        #expect(proxies.scheme(peer: "10.0.0.2", forwarded: "proto=https", forwardedProto: nil) == nil, "only the header the proxy sets")
        #expect(rfc7239.scheme(peer: "10.0.0.2", forwarded: "for=1.2.3.4;proto=https", forwardedProto: "http") == "https")
        #expect(rfc7239.scheme(peer: "10.0.0.2", forwarded: nil, forwardedProto: "https") == nil)
    }

    @Test func badNetworksAreRefused() {
        #expect(throws: ServerSetupError.self) { try TrustedProxies(parsing: ["10.0.0.0/33"]) }
        #expect(throws: ServerSetupError.self) { try TrustedProxies(parsing: ["example.com"]) }
        #expect(throws: ServerSetupError.self) { try TrustedProxies(parsing: ["::/129"]) }
    }
}
