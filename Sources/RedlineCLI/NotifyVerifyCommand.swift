import ArgumentParser
import Foundation
import RedlineConsent
import RedlineNotices
import RedlineServer
import RedlineStores

extension NotifyCommand {
    /// `redline notify verify CAMPAIGN`: proves from the log that everyone was told in time.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prove from the log that every addressee of a campaign was sent the notice in time.",
            discussion: """
                Checks the whole log first (chain, signatures, checkpoints, the Merkle tree), then that every user active when the \
                campaign was made has a 'sent' notice record at least the notice period before the version took effect, and no \
                bounce after it. The period is the longest of site.yaml's noticeDays and notices.periods (Redline does not know \
                where each user lives, so every listed period may apply). Exit 0 when the campaign is proven complete, 1 naming \
                the first user who was not told and why (not sent, bounced, sent late), 2 when something cannot be read. Read-only. \
                An optional notice (of an editorial version) is owed to nobody: its report counts what was sent and exits 0.
                """)

        @Argument(help: "The campaign id (redline notify list).")
        var campaign: Int64

        @OptionGroup var database: DatabaseOptions

        @Option(help: "The built site whose manifest.json holds the notice periods. [REDLINE_SITE, default: public]")
        var site: String?

        @Option(help: "The notice period in days, instead of the site's.")
        var periodDays: Int?

        @Option(help: "How many of the users not told to list. [default: 10]")
        var show = 10

        func run() async throws {
            let settings = try await database.settings(site: site)
            let (report, optional, checked) = try await Console.reportingErrors(exitStatus: 2) { try await prove(settings) }
            if optional {
                print("campaign \(campaign): an optional notice of an editorial version, owed to nobody, so there is nothing to prove; the log "
                      + "shows it sent to \(report.sent) of \(report.recipients) addressees; \(report.excused) unsubscribed or deleted before "
                      + "sending; \(checked)")
                return
            }
            let shown = report.untold.prefix(show)
            if let first = report.untold.first {
                Console.printError("campaign \(campaign): not proven: user \(first.userId): \(first.reason)")
                for other in shown.dropFirst() { Console.printError("  user \(other.userId): \(other.reason)") }
                if report.untold.count > shown.count { Console.printError("  … and \(report.untold.count - shown.count) more") }
                Console.printError("\(report.told) of \(report.recipients) addressees told in time, \(report.untold.count) not, \(report.excused) deleted before sending")
                throw ExitCode.failure
            }
            print("campaign \(campaign): the log proves all \(report.recipients - report.excused) addressees were sent the notice by "
                  + "\(UTCTime.timestamp(report.deadline)), \(report.periodDays) days before it took effect"
                  + (report.firstSent.map { " (sent \($0) to \(report.lastSent ?? $0))" } ?? "")
                  + "; \(report.excused) deleted before sending; \(checked)")
        }

        private func prove(_ settings: ServerSettings) async throws -> (NoticeProof.Report, optional: Bool, String) {
            let rows = try await StoreDatabase.readEvidence(settings.databasePath, timeouts: settings.databaseTimeouts)
            let keyring = try ReceiptKeyring.read(ReceiptKeyring.path(forPrivateKey: settings.receiptKeyPath))
            let chain: ChainVerifier.Report
            do { chain = try ChainVerifier.verify(rows, keyring: keyring, checkpointLogs: [settings.checkpointPath]) } catch {
                throw UsageError("\(error)")
            }
            if let problem = chain.firstProblem {
                Console.printError("campaign \(campaign): the log does not verify, so it proves nothing: broken at \(problem)")
                throw ExitCode.failure
            }
            let (checkpoints, problems) = try CheckpointNotes.read(settings.checkpointNotesPath)
            if let problem = problems.first { throw UsageError(problem) }
            if let problem = ChainVerifier.verifyTree(rows, keyring: keyring, checkpoints: checkpoints, policy: .init()) {
                Console.printError("campaign \(campaign): the log does not verify, so it proves nothing: broken at \(problem)")
                throw ExitCode.failure
            }
            let store = try await database.noticeStore()
            guard let status = try await store.campaign(campaign), let draft = try await store.sample(campaign: campaign)?.content else {
                throw UsageError("no campaign \(campaign) (redline notify list shows them)")
            }
            let period: Int
            if let periodDays { period = periodDays } else {
                let catalog: SiteCatalog
                do { catalog = try SiteCatalog(siteDirectory: settings.siteDirectory) } catch {
                    throw UsageError("\(error); give --site, or the period with --period-days")
                }
                period = catalog.manifest.site.notices?.longestPeriodDays ?? 30
            }
            let notices = rows.compactMap { row -> NoticeEvidence? in
                guard ChainFields.of(row.evidenceJSON)?.isNotice == true else { return nil }
                return try? JSONDecoder().decode(NoticeEvidence.self, from: Data(row.evidenceJSON.utf8))
            }
            let report = NoticeProof.verify(campaign: campaign, effective: draft.effective, recipients: try await store.recipients(campaign: campaign),
                                            notices: notices, secret: try LocalSecret.read(at: settings.secretPath), periodDays: period)
            return (report, status.optional, "\(Console.count(chain.recordsChecked, "record")) and \(Console.count(checkpoints.count, "log checkpoint")) verified")
        }
    }
}

extension ServerSetupError: UserFacingError {}
