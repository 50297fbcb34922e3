import Foundation
import Hummingbird
import HummingbirdTesting
import RedlineManifest
import Testing
@testable import RedlineServer

/// A consent record names the banner text the person answered: only a banner the site shows,
/// or showed within the grace period, in a language it is shown in, can be named.
@Suite struct NoticeClaimTests {
    static func body(notice: String?) -> String {
        let base = consentBody()
        let withoutNotice = base.replacingOccurrences(of: #", "notice": {"version": "abc123", "locale": "en-GB"}"#, with: "")
        guard let notice else { return withoutNotice }
        return String(withoutNotice.dropLast()) + #", "notice": \#(notice)}"#
    }

    static func manifest(notice: Manifest.Notice) -> Manifest {
        var manifest = ServerFixture.manifest()
        manifest.consent?.notice = notice
        return manifest
    }

    @Test(arguments: [
        (#"{"version": "zz", "locale": "en-GB"}"#, "notice.version"),
        (#"{"version": "abc123", "locale": "xx-YY"}"#, "notice.locale"),
        (nil, "notice"),
    ] as [(String?, String)])
    func aBannerTheSiteNeverShowedIsRefusedAndNothingIsSigned(notice: String?, field: String) async throws {
        let fixture = try ServerFixture(manifest: Self.manifest(notice: .init(version: "abc123", locale: "en-GB", locales: ["de", "en-GB"])))
        let (app, parts) = try await fixture.makeApp()
        try await app.test(.router) { client in
            let response = try await client.postConsent(Self.body(notice: notice))
            #expect(response.status == .unprocessableContent)
            #expect(response.problemFields == [field])
            #expect(try await client.postConsent(Self.body(notice: #"{"version": "abc123", "locale": "de"}"#)).status == .created)
        }
        #expect(try await parts.store.allRecords().count == 1)
    }

    @Test func aReplacedBannerIsTakenForTheGracePeriodAndRememberedAcrossARestart() async throws {
        let fixture = try ServerFixture()
        let now = Date()
        let clock = MovableClock(now)
        fixture.settings.clock = ServerClock { clock.now }
        let (app, _) = try await fixture.makeApp()
        try await app.test(.router) { client in
            try fixture.write(Self.manifest(notice: .init(version: "def456", locale: "en-GB")))
            // Refused until the watcher has read the new build, then taken.
            try await waitUntil { try await client.postConsent(Self.body(notice: #"{"version": "def456", "locale": "en-GB"}"#)).status == .created }
            // A page cached before the rebuild still shows the old banner: taken within the grace period.
            #expect(try await client.postConsent(Self.body(notice: #"{"version": "abc123", "locale": "en-GB"}"#)).status == .created)
        }
        // A restart within the grace period still knows it; after it, nobody can claim it.
        let (restarted, _) = try await fixture.makeApp()
        try await restarted.test(.router) { client in
            #expect(try await client.postConsent(Self.body(notice: #"{"version": "abc123", "locale": "en-GB"}"#)).status == .created)
            clock.now = now.addingTimeInterval(fixture.settings.noticeGrace + 60)
            let late = try await client.postConsent(Self.body(notice: #"{"version": "abc123", "locale": "en-GB"}"#))
            #expect(late.status == .unprocessableContent)
            #expect(late.problemFields == ["notice.version"])
        }
    }
}

/// A clock a test moves.
final class MovableClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Date
    init(_ value: Date) { self.value = value }
    var now: Date {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
