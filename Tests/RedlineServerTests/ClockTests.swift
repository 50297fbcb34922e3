import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RedlineManifest
import RedlineTestSupport
import Synchronization
import Testing
@testable import RedlineServer

/// On a version's effective date the server shows it as in force and asks for consent again,
/// by its own clock, with no rebuild in between.
@Suite struct ClockTests {
    final class Clock: Sendable {
        let now = Mutex(Date(timeIntervalSince1970: 1_767_225_600))   // 2026-01-01
        func move(to day: String) { now.withLock { $0 = ISO8601DateFormatter().date(from: day + "T12:00:00Z")! } }
    }

    @Test func theVersionInForceAndTheReconsentRuleFollowTheServersClock() async throws {
        let fixture = try ServerFixture()
        var manifest = ServerFixture.manifest()
        manifest.asOf = ["2099-01-01"]
        try fixture.write(manifest)
        fixture.directory.write("public/privacy/index.html", "<!doctype html><title>Privacy</title><p>in force: 2026-01-01")
        fixture.directory.write("public/.redline/as-of/2099-01-01/privacy/index.html", "<!doctype html><title>Privacy</title><p>in force: 2099-01-01")
        let clock = Clock()
        fixture.settings.clock = ServerClock { clock.now.withLock { $0 } }
        let (app, _) = try await fixture.makeApp()
        try await app.test(.router) { client in
            #expect(try await client.execute(uri: "/privacy/", method: .get).text.contains("in force: 2026-01-01"))
            let posted = try await client.postConsent(consentBody(subject: "clock-1"))
            #expect(posted.status == .created)
            var state = try await client.execute(uri: "/api/v1/consent/clock-1", method: .get).json
            #expect(state["reconsentRequired"] as? Bool == false)

            clock.move(to: "2098-12-31")
            #expect(try await client.execute(uri: "/privacy/", method: .get).text.contains("in force: 2026-01-01"))

            clock.move(to: "2099-01-01")
            #expect(try await client.execute(uri: "/privacy/", method: .get).text.contains("in force: 2099-01-01"), "the day it takes effect")
            state = try await client.execute(uri: "/api/v1/consent/clock-1", method: .get).json
            #expect(state["reconsentRequired"] as? Bool == true)
            #expect((state["changes"] as? [[String: Any]])?.first?["toVersion"] as? String == "2099-01-01")
            // Pages of other days are not reachable by their own path.
            #expect(try await client.execute(uri: "/.redline/as-of/2099-01-01/privacy/", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/feed.xml", method: .get).status == .ok, "files the day does not change come from the site itself")
        }
    }
}

@Suite struct VersionStatusTests {
    @Test(arguments: [
        ("2026-02-28", ["2026-01-01": VersionStatus.current, "2026-03-01": .upcoming, "2026-06-01": .upcoming]),
        ("2026-03-01", ["2026-01-01": .archived, "2026-03-01": .current, "2026-06-01": .upcoming]),
        ("2026-07-01", ["2026-01-01": .archived, "2026-03-01": .archived, "2026-06-01": .current]),
    ])
    func oneRuleForEveryDay(today: String, expected: [String: VersionStatus]) {
        let timeline = PolicyTimeline(expected.keys.map { .init(effective: Day($0)!, material: false) })
        for (day, status) in expected {
            #expect(timeline.status(of: Day(day)!, on: Day(today)!) == status, "\(day) on \(today)")
        }
        #expect(timeline.status(of: "2026-01-01", draft: true, on: Day(today)!) == .draft)
    }
}
