import Foundation
import RedlineConsent
import RedlineManifest
import RedlineNotices
import RedlineStores
import RedlineTestSupport
import Testing

/// Notice records in the consent chain, in either store: they verify with the consents around
/// them, a report read twice is recorded once, and `NoticeProof` reads who was told in time.
@Suite struct NoticeRecordTests {
    let secret = Data(repeating: 7, count: 32)

    func consent(_ subject: String) -> ConsentSubmission {
        ConsentSubmission(event: nil, method: .custom, granted: ["necessary"], denied: ["marketing"],
                          policies: [PolicyReference(id: "privacy", version: "2026-06-01", sha256: String(repeating: "a", count: 64))],
                          notice: NoticeReference(version: "n1", locale: "en-GB"), gpc: GPCSignal(sent: false, honoured: false),
                          idempotencyKey: nil, personal: PersonalFields(subject: subject))
    }

    func leaf(_ user: String, _ outcome: NoticeOutcome, key: String? = nil) -> NoticeLeaf {
        NoticeLeaf(campaign: 3, document: "privacy", version: "2027-03-01", effective: "2027-03-01",
                   recipient: NoticeEvidence.recipient(userId: user, secret: secret), outcome: outcome,
                   messageSHA256: String(repeating: "b", count: 64), reply: outcome == .bounced ? "5.1.1 mailbox unknown" : nil, idempotencyKey: key)
    }

    @Test(arguments: StoreKind.allCases) func noticeRecordsJoinTheChainAndVerifyWithIt(kind: StoreKind) async throws {
        let fixture = try StoreFixture(kind)
        let (store, _, _) = try await fixture.consent()
        _ = try await store.append([consent("s1")], at: Date())
        let first = try await store.appendNotices([leaf("u1", .sent), leaf("u2", .sent)], at: Date())
        _ = try await store.append([consent("s2")], at: Date())
        let bounce = try await store.appendNotices([leaf("u2", .bounced, key: "report:abc")], at: Date())
        let again = try await store.appendNotices([leaf("u2", .bounced, key: "report:abc")], at: Date())
        #expect(first.map(\.sequence) == [2, 3] && bounce[0].created && !again[0].created && again[0].sequence == bounce[0].sequence)

        let keyring = try ReceiptKeyring.read(ReceiptKeyring.path(forPrivateKey: fixture.keyPath))
        let rows = try await store.allStoredRows()
        #expect(rows.count == 5 && ChainVerifier.verify(rows, keyring: keyring).isIntact)
        #expect(!rows[1].evidenceJSON.contains("u1"), "the user id is only ever a keyed hash")
        #expect(try await store.records(subject: "s2").count == 1, "notice records belong to no subject")

        // A notice record changed after the fact breaks the chain where it is.
        try await fixture.execute("UPDATE consent_record SET evidence_json = replace(evidence_json, '\"sent\"', '\"failed\"') WHERE sequence = 3")
        let report = ChainVerifier.verify(try await store.allStoredRows(), keyring: keyring)
        #expect(report.firstProblem?.sequence == 3, "\\(String(describing: report.firstProblem))")
    }

    @Test func noAddressAMailServerQuotesReachesTheLog() {
        #expect(NoticeLeaf.withoutAddresses("550 5.1.1 <ana.lima+x@example.org>: Recipient address rejected; see bo@mx.example.net")
                == "550 5.1.1 <address>: Recipient address rejected; see address")
        #expect(leaf("u1", .bounced).reply == "5.1.1 mailbox unknown")
    }

    @Test func theProofNamesWhoWasNotToldAndWhy() throws {
        func notice(_ user: String, _ outcome: NoticeOutcome, _ sequence: Int64, at time: String) -> NoticeEvidence {
            NoticeEvidence(kind: NoticeEvidence.kindName, schemaVersion: 1, recordId: "r\(sequence)", sequence: sequence, occurredAt: time,
                           previousHash: "", campaign: 3, document: "privacy", version: "2027-03-01", effective: "2027-03-01",
                           recipient: NoticeEvidence.recipient(userId: user, secret: secret), outcome: outcome, reply: outcome == .sent ? nil : "550 no")
        }
        let recipients = ["ok", "late", "bounced", "refused", "missing", "gone", "complained"].map {
            CampaignRecipient(userId: $0, status: $0 == "gone" ? "cancelled" : $0 == "missing" ? "sent" : "sent", lastError: nil)
        }
        let notices = [notice("ok", .sent, 1, at: "2026-12-07T10:00:00.000Z"), notice("late", .sent, 2, at: "2027-02-20T10:00:00.000Z"),
                       notice("bounced", .sent, 3, at: "2026-12-07T10:00:00.000Z"), notice("bounced", .bounced, 4, at: "2026-12-08T10:00:00.000Z"),
                       notice("refused", .failed, 5, at: "2026-12-07T10:00:00.000Z"),
                       notice("complained", .sent, 6, at: "2026-12-07T10:00:00.000Z"), notice("complained", .complained, 7, at: "2026-12-09T10:00:00.000Z")]
        let report = NoticeProof.verify(campaign: 3, effective: "2027-03-01", recipients: recipients, notices: notices, secret: secret, periodDays: 30)
        #expect(report.told == 2 && report.excused == 1)
        #expect(report.untold.map(\.userId) == ["late", "bounced", "refused", "missing"])
        #expect(report.untold[0].reason.hasPrefix("sent late") && report.untold[1].reason.hasPrefix("bounced"))
        #expect(report.untold[2].reason.contains("550 no") && report.untold[3].reason.contains("no record"))
        #expect(UTCTime.timestamp(report.deadline) == "2027-01-30T00:00:00.000Z")
    }
}
