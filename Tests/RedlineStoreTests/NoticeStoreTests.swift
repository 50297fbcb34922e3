import Foundation
import RedlineConsent
import RedlineNotices
import RedlineStores
import RedlineTestSupport
import Testing

/// The notice store's promises, held by SQLite and PostgreSQL alike.
@Suite struct NoticeStoreTests {

    func draft(_ version: String = "2027-03-01") -> CampaignDraft {
        CampaignDraft(document: "privacy", version: version, siteTitle: "Example", documentTitle: "Privacy Policy", effective: version,
                      summary: "We change things.", changesUrl: "https://x.example/changes/", versionUrl: "https://x.example/v/")
    }

    @Test(arguments: StoreKind.allCases) func keysAreStoredOnlyAsABcryptHashAndCanBeRevoked(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        let (store, _) = try await fixture.notices()
        let (key, info) = try await store.createKey(name: "ops")
        #expect(key.hasPrefix(info.prefix + "_"))
        #expect(key.hasSuffix(info.hint) && info.hint.count == 4)
        let stored = try #require(try await fixture.rows("SELECT * FROM api_key").first)
        #expect(!stored.values.joined(separator: " ").contains(key))
        #expect(stored["bcrypt_hash"]?.hasPrefix("$2b$") == true)

        #expect(try await store.authenticate(key)?.name == "ops")
        #expect(try await store.authenticate(key)?.name == "ops")        // from the cache, still checked against the row
        #expect(try await store.authenticate(String(key.dropLast()) + "x") == nil)
        #expect(try await store.authenticate("rlk_00000000_" + String(repeating: "a", count: 40)) == nil)
        #expect(try await store.authenticate("not a key") == nil)
        #expect(try await store.keys().first?.lastUsedAt != nil)
        await #expect(throws: NoticeStoreError.keyNameTaken("ops")) { try await store.createKey(name: "ops") }

        #expect(try await store.revokeKey("ops"))
        #expect(try await store.authenticate(key) == nil)
        #expect(try await store.revokeKey("ops") == false)
    }

    @Test(arguments: StoreKind.allCases) func theFirstLookAtAManifestIsHistoryExceptUpcomingVersionsAndLaterVersionsGetOnePendingCampaign(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        let (store, _) = try await fixture.notices()
        _ = try await store.putUsers([UserInput(userId: "u1", email: "a@example.com", locale: "en"),
                                      UserInput(userId: "u2", email: "b@example.com", locale: "de")])
        let first = [VersionSighting(document: "privacy", version: "2026-01-01", campaign: draft("2026-01-01"), historyAtFirstStart: true),
                     VersionSighting(document: "privacy", version: "2026-12-01", campaign: draft("2026-12-01"), historyAtFirstStart: false)]
        let start = try await store.noteVersions(first)
        #expect(start.firstStart && start.history == 1)
        #expect(start.created.map(\.version) == ["2026-12-01"], "an upcoming material version nobody was told about is announced")
        #expect(start.created.first?.state == .pending && start.created.first?.trigger == .upcomingAtFirstStart)
        #expect(try await store.noteVersions(first).created.isEmpty)

        let later = first + [VersionSighting(document: "privacy", version: "2027-03-01", campaign: draft(), historyAtFirstStart: false),
                             VersionSighting(document: "privacy", version: "2027-04-01", campaign: nil, historyAtFirstStart: false)]
        let noting = try await store.noteVersions(later)
        #expect(!noting.firstStart && noting.history == 0)
        #expect(noting.created.map(\.version) == ["2027-03-01"])
        #expect(noting.created.first?.recipients == 2 && noting.created.first?.queued == 2 && noting.created.first?.state == .pending)
        #expect(try await store.noteVersions(later).created.isEmpty)

        // Asking by hand for the same version adds nothing.
        let (again, isNew) = try await store.createCampaign(draft(), trigger: .manual)
        #expect(!isNew && again.id == noting.created.first?.id && again.recipients == 2)

        // With automatic approval a new campaign is approved at once.
        let auto = try await store.noteVersions(later + [VersionSighting(document: "privacy", version: "2027-05-01", campaign: draft("2027-05-01"), historyAtFirstStart: false)],
                                                automatic: true)
        #expect(auto.created.map(\.state) == [.approved] && auto.created.first?.approvedBy == "automatic")
    }

    @Test(arguments: StoreKind.allCases) func aCampaignKeepsTheTranslationsItWasMadeWith(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        let (store, _) = try await fixture.notices()
        _ = try await store.putUsers([UserInput(userId: "u1", email: "a@example.com", locale: "de")])
        var translated = draft("2027-06-01")
        translated.translations = ["de": .init(title: "Datenschutzerklärung", url: "https://legal.example.com/de/privacy/2027-06-01/",
                                               sha256: String(repeating: "d", count: 64), summary: "Kürzere Protokolle.",
                                               changesUrl: "https://legal.example.com/de/privacy/changes/2027-06-01/"),
                                   "fr": .init(title: "Confidentialité", url: "https://legal.example.com/fr/privacy/2027-06-01/",
                                               sha256: String(repeating: "f", count: 64))]
        let (campaign, _) = try await store.createCampaign(translated, trigger: .manual)
        let (legacy, _) = try await store.createCampaign(draft("2027-07-01"), trigger: .manual)
        #expect(try await store.sample(campaign: campaign.id)?.content == translated)
        #expect(try await store.sample(campaign: legacy.id)?.content.translations == nil, "a campaign without a copy stays without one")
        _ = try await store.approve(campaign.id, by: "test")
        #expect(try await store.claim(limit: 10).first?.content == translated, "what the worker sends is the copy")
    }

    @Test(arguments: StoreKind.allCases) func aStateNoVersionWritesIsAnErrorNotAGuess(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        let (store, _) = try await fixture.notices()
        let (campaign, _) = try await store.createCampaign(draft(), trigger: .manual)
        try await fixture.execute("UPDATE campaign SET state = 'paused' WHERE id = \(campaign.id)")
        await #expect(throws: NoticeStoreError.unknownValue(column: "campaign.state", value: "paused")) { try await store.campaign(campaign.id) }
    }

    @Test(arguments: StoreKind.allCases) func nothingIsSentBeforeApprovalOrItsTimeAndACancelStopsWhatIsQueued(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        let (store, _) = try await fixture.notices()
        _ = try await store.putUsers((1...3).map { UserInput(userId: "u\($0)", email: "u\($0)@example.com", locale: "en") })
        let (campaign, _) = try await store.createCampaign(draft(), trigger: .manual)
        #expect(campaign.state == .pending && !campaign.finished)
        #expect(try await store.claim(limit: 10).isEmpty, "pending: nothing is sent")

        let now = Date()
        _ = try await store.putUser(UserInput(userId: "u4", email: "u4@example.com", locale: "en"))
        let approved = try await store.approve(campaign.id, by: "ops", sendAfter: now.addingTimeInterval(3600), now: now)
        #expect(approved.state == .approved && approved.approvedBy == "ops" && approved.recipients == 4, "users registered since are added")
        #expect(try await store.claim(limit: 10, now: now).isEmpty, "scheduled for later")
        let due = try await store.claim(limit: 1, now: now.addingTimeInterval(3601))
        #expect(due.count == 1)
        try await store.complete([(due[0].id, .sent)])

        let cancelled = try await store.cancel(campaign.id)
        #expect(cancelled.state == .cancelled && cancelled.sent == 1 && cancelled.cancelled == 3 && cancelled.finished)
        #expect(try await store.claim(limit: 10, now: now.addingTimeInterval(7200)).isEmpty)
        await #expect(throws: NoticeStoreError.campaignCancelled(campaign.id)) { try await store.approve(campaign.id, by: "ops") }
        await #expect(throws: NoticeStoreError.noSuchCampaign(999)) { try await store.approve(999, by: "ops") }
    }

    @Test(arguments: StoreKind.allCases) func theOutboxClaimsRetriesAndCompletes(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        let (store, _) = try await fixture.notices()
        _ = try await store.putUsers((1...5).map { UserInput(userId: "u\($0)", email: "u\($0)@example.com", locale: "en") })
        #expect(try await store.deleteUser("u5"))
        let (created, _) = try await store.createCampaign(draft(), trigger: .manual)
        let campaign = try await store.approve(created.id, by: "ops")
        #expect(campaign.recipients == 4)
        _ = try await store.putUser(UserInput(userId: "u6", email: "u6@example.com", locale: "en"))   // after the approval: not a recipient
        #expect(try await store.deleteUser("u4"))                                                     // deleted before sending: cancelled

        let batch = try await store.claim(limit: 10)
        #expect(batch.map(\.userId) == ["u1", "u2", "u3"])
        #expect(batch.first?.content == draft())
        #expect(try await store.claim(limit: 10).isEmpty)

        let later = Date().addingTimeInterval(3600)
        try await store.complete([(batch[0].id, .sent), (batch[1].id, .retry(at: later, reason: "421 busy")), (batch[2].id, .failed(reason: "550 no such user"))])
        var status = try #require(try await store.campaign(campaign.id))
        #expect((status.sent, status.queued, status.failed, status.cancelled, status.finished) == (1, 1, 1, 1, false))
        #expect(try await store.claim(limit: 10).isEmpty)                       // the retry is not due yet
        let retried = try await store.claim(limit: 10, now: later.addingTimeInterval(1))
        #expect(retried.map(\.userId) == ["u2"] && retried.first?.attempts == 1)

        // A worker that died while sending: its lease runs out and the message is taken again.
        status = try #require(try await store.campaign(campaign.id))
        #expect(status.sending == 1)
        #expect(try await store.claim(limit: 10, now: later.addingTimeInterval(2)).isEmpty, "leased to the first worker")
        let taken = try await store.claim(limit: 10, lease: .seconds(60), now: later.addingTimeInterval(1 + 121))
        #expect(taken.map(\.userId) == ["u2"], "the lease ran out")
        #expect(try await store.failures(campaign: campaign.id).map(\.reason) == ["550 no such user"])
    }

    @Test(arguments: StoreKind.allCases) func deletingAUserErasesTheirAddressAndAPutBringsThemBack(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        let (store, _) = try await fixture.notices()
        let (_, created) = try await store.putUser(UserInput(userId: "u1", email: "a@example.com", locale: "en", subject: "s1"))
        #expect(created)
        #expect(try await store.putUser(UserInput(userId: "u1", email: "b@example.com", locale: "en")).created == false)
        #expect(try await store.deleteUser("u1"))
        #expect(try await store.user("u1") == nil)
        #expect(try await store.deleteUser("u1") == false)
        let rows = try await fixture.rows("SELECT email FROM app_user WHERE user_id = 'u1'")
        #expect(rows.count == 1 && rows[0]["email"] == nil, "the row stays, without its address")
        #expect(try await store.putUser(UserInput(userId: "u1", email: "c@example.com", locale: "en")).created)
        #expect(try await store.activeUserCount() == 1)
    }

    /// One click in an optional notice stops the optional ones only; a deleted user who comes back
    /// starts afresh; the link's check decides, so a link for another user changes nothing.
    @Test(arguments: StoreKind.allCases) func anUnsubscribeStopsOptionalNoticesOnly(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        let (store, _) = try await fixture.notices()
        _ = try await store.putUsers((1...3).map { UserInput(userId: "u\($0)", email: "u\($0)@example.com", locale: "en") })
        var optional = draft("2027-01-01")
        optional.optional = true
        let first = try await store.createCampaign(optional, trigger: .manual).campaign
        #expect(first.optional)
        _ = try await store.approve(first.id, by: "ops")
        let sent = try await store.claim(limit: 10)
        #expect(sent.first?.content.optional == true)
        try await store.complete(sent.map { ($0.id, .sent) })
        let u1 = try #require(sent.first { $0.userId == "u1" })
        #expect(try await store.unsubscribe(outboxId: u1.id, now: Date(), belongsTo: { $0 == "u2" }) == .unknown)
        #expect(try await store.unsubscribe(outboxId: 999_999, now: Date(), belongsTo: { _ in true }) == .unknown)
        #expect(try await store.unsubscribe(outboxId: u1.id, now: Date(), belongsTo: { $0 == "u1" }) == .unsubscribed(campaign: first.id))
        #expect(try await store.unsubscribe(outboxId: u1.id, now: Date(), belongsTo: { $0 == "u1" }) == .already(campaign: first.id))
        #expect(try await store.user("u1")?.unsubscribedAt != nil)
        #expect(try await store.user("u2")?.unsubscribedAt == nil)
        #expect(try await store.putUser(UserInput(userId: "u1", email: "new@example.com", locale: "en")).created == false)
        #expect(try await store.user("u1")?.unsubscribedAt != nil, "a new address is the same person's choice")

        optional.version = "2027-02-01"
        let second = try await store.approve(try await store.createCampaign(optional, trigger: .manual).campaign.id, by: "ops")
        #expect(try await store.claim(limit: 10).map(\.userId) == ["u2", "u3"])
        let status = try #require(try await store.campaign(second.id))
        #expect(status.cancelled == 1)
        #expect(try await store.recipients(campaign: second.id).first { $0.userId == "u1" }?.lastError?.hasPrefix("unsubscribed from optional notices") == true)

        let required = try await store.approve(try await store.createCampaign(draft("2027-03-01"), trigger: .manual).campaign.id, by: "ops")
        #expect(!required.optional)
        let legal = try await store.claim(limit: 10)
        #expect(legal.map(\.userId) == ["u1", "u2", "u3"])
        #expect(try await store.unsubscribe(outboxId: legal[0].id, now: Date(), belongsTo: { _ in true }) == .required)

        #expect(try await store.deleteUser("u1"))
        _ = try await store.putUser(UserInput(userId: "u1", email: "back@example.com", locale: "en"))
        #expect(try await store.user("u1")?.unsubscribedAt == nil, "a deleted account's choices went with it")
    }
}
