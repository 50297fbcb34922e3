import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RedlineNotices
import Testing
@testable import RedlineServer

/// Failed authentication costs an attacker more than the server: every bcrypt comparison is
/// bounded per client, and one client's flood of bad keys locks nobody else out.
@Suite struct KeyCheckTests {
    static func get(_ client: PatientClient, key: String, from address: String) async throws -> HTTPResponse.Status {
        try await client.execute(uri: "/api/v1/admin/campaigns", method: .get,
                                 headers: [.authorization: "Bearer \(key)", .xForwardedFor: address]).status
    }

    /// The most bcrypt checks one client can have had since `start`: its burst of 10, and one more for
    /// every 6 seconds (10 a minute). A bound from the time the test really took, so a slow machine
    /// cannot fail it, while a missing budget (every try checked) does on any machine.
    static func allowedChecks(since start: ContinuousClock.Instant) -> Int {
        let elapsed = ContinuousClock.now - start
        return 10 + Int((Double(elapsed.components.seconds) / 6).rounded(.up)) + 1
    }

    @Test func aRevokedKeyPaysForItsChecksAndOtherClientsKeepTheirs() async throws {
        let fixture = try ServerFixture()
        fixture.settings.port = 0
        fixture.settings.trustedProxies = try TrustedProxies(parsing: ["127.0.0.1", "::1"])
        let (app, parts) = try await fixture.makeApp()
        let (valid, _) = try await parts.notices.createKey(name: "ops")
        let (old, _) = try await parts.notices.createKey(name: "old")
        try await app.testLive { client in
            #expect(try await Self.get(client, key: old, from: "203.0.113.1") == .ok)
            _ = try await parts.notices.revokeKey("old")
            // The revoked key was proven once; that must not let it skip the budget now.
            var statuses: [HTTPResponse.Status] = []
            // 30 tries: the 10 of the burst, plus what refills (10 a minute) while bcrypt runs.
            let start = ContinuousClock.now
            for _ in 0..<30 { statuses.append(try await Self.get(client, key: old, from: "203.0.113.1")) }
            #expect(!statuses.contains(.ok))
            #expect(statuses.filter { $0 == .unauthorized }.count <= Self.allowedChecks(since: start), "\(statuses)")
            // Another client's new key is not locked out by that flood, nor is a page.
            #expect(try await Self.get(client, key: valid, from: "198.51.100.2") == .ok)
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
        }
    }

    @Test func aConcurrentFloodOfBadKeysFromOneClientDoesNotRefuseAnotherClientsKey() async throws {
        let fixture = try ServerFixture()
        fixture.settings.port = 0
        fixture.settings.trustedProxies = try TrustedProxies(parsing: ["127.0.0.1", "::1"])
        let (app, parts) = try await fixture.makeApp()
        let (valid, _) = try await parts.notices.createKey(name: "ops")
        let unknown = "rlk_00000000_" + String(repeating: "a", count: 40)
        try await app.testLive { client in
            let start = ContinuousClock.now
            try await withThrowingTaskGroup(of: (String, HTTPResponse.Status).self) { group in
                for _ in 0..<30 { group.addTask { ("flood", try await Self.get(client, key: unknown, from: "203.0.113.9")) } }
                group.addTask { ("valid", try await Self.get(client, key: valid, from: "198.51.100.2")) }
                group.addTask { ("health", try await client.execute(uri: "/healthz", method: .get).status) }
                var flood: [HTTPResponse.Status] = []
                for try await (kind, status) in group {
                    switch kind {
                    case "valid": #expect(status == .ok, "the other client's valid key")
                    case "health": #expect(status == .ok)
                    default: flood.append(status)
                    }
                }
                #expect(flood.allSatisfy { $0 == .unauthorized || $0 == .tooManyRequests })
                #expect(flood.filter { $0 == .unauthorized }.count <= Self.allowedChecks(since: start), "one client gets its burst: \(flood)")
            }
        }
    }

    @Test func oneCheckAtATimePerClientAndOthersWaitTheirTurn() async throws {
        var limits = KeyCheckBudget.Limits()
        limits.perMinute = 1
        let budget = KeyCheckBudget(limits: limits)
        let release = DispatchSemaphore(value: 0)
        let started = DispatchSemaphore(value: 0)
        let holding = Task { try await budget.run(client: "a") { started.signal(); release.wait(); return 1 } }
        await withCheckedContinuation { continuation in DispatchQueue.global().async { started.wait(); continuation.resume() } }
        await #expect(throws: KeyCheckRefused.self) { try await budget.run(client: "a") { 2 } }
        let other = Task { try await budget.run(client: "b") { 3 } }
        release.signal()
        #expect(try await holding.value == 1)
        #expect(try await other.value == 3, "b waited for a's check and was not refused")
        for _ in 0..<9 { _ = try await budget.run(client: "b") { 0 } }
        await #expect(throws: KeyCheckRefused.self, "b's burst of 10 is spent") { try await budget.run(client: "b") { 0 } }
        #expect(try await budget.run(client: "c") { 4 } == 4)
    }
}
