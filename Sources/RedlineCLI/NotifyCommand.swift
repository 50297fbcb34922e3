import ArgumentParser
import Foundation
import RedlineConsent
import RedlineNotices
import RedlineManifest

/// `redline notify …`: change-notice campaigns by hand, and how far they have got.
struct NotifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: "Announce a material version to every registered user, or report on campaigns.",
        subcommands: [Create.self, Status.self, List.self, Approve.self, Cancel.self, Test.self, Verify.self, Bounces.self],
        defaultSubcommand: Create.self)

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Create the campaign for a material version: one message per active user, sent by redline serve.",
            discussion: """
                Asking twice for the same version adds nothing. A document's first version, editorial versions and versions \
                already in force (unless --force) are refused.
                """)

        @Argument(help: "The document's id, e.g. privacy.")
        var document: String

        @Argument(help: "The version: its effective date, e.g. 2027-03-01.")
        var version: String

        @OptionGroup var database: DatabaseOptions

        @Option(help: "The built site whose manifest.json lists the versions. [REDLINE_SITE, or site: in --config; default: public]")
        var site: String?

        @Flag(help: "Create the campaign even though the version is already in force (a late notice).")
        var force = false

        func run() async throws {
            let manifest = try NotifyCommand.manifest(site: try await database.settings(site: self.site).siteDirectory)
            let draft: CampaignDraft
            switch NoticePlanner.manualDraft(manifest, document: document, version: version,
                                                     today: ServerClock.system.today(for: manifest), force: force) {
            case let .success(value): draft = value
            case let .failure(refusal):
                Console.printError("error: \(refusal.message) Nothing was sent.")
                throw ExitCode.failure
            }
            let store = try await database.noticeStore()
            let (campaign, created) = try await store.createCampaign(draft, trigger: .manual)
            if created {
                print("Campaign \(campaign.id) created: \(document) \(version) to \(Console.count(campaign.recipients, "user")), waiting for approval. "
                      + "Review it with 'redline notify test \(campaign.id) --to ADDRESS', then 'redline notify approve \(campaign.id)'.")
            } else {
                print("Campaign \(campaign.id) for \(document) \(version) exists already (\(campaign.sent) of \(campaign.recipients) sent); nothing added.")
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Report queued, sent and failed messages per campaign.")

        @Argument(help: "A campaign id; default: every campaign.")
        var campaign: Int64?

        @OptionGroup var database: DatabaseOptions

        @Flag(help: "Keep reporting until every message is sent or has failed.")
        var watch = false

        func run() async throws {
            let store = try await database.noticeStore()
            let terminal = isatty(STDOUT_FILENO) == 1
            while true {
                let campaigns: [CampaignStatus]
                if let campaign {
                    guard let found = try await store.campaign(campaign) else {
                        Console.printError("error: no campaign \(campaign)")
                        throw ExitCode.failure
                    }
                    campaigns = [found]
                } else {
                    campaigns = try await store.campaigns()
                }
                if campaigns.isEmpty { print("No campaigns yet.") }
                for status in campaigns {
                    print(ProgressReport.line(status, bar: terminal))
                    for failure in try await store.failures(campaign: status.id, limit: 5) {
                        print("    failed: user \(failure.userId): \(failure.reason)")
                    }
                }
                guard watch, campaigns.contains(where: { !$0.finished }) else { return }
                try await Task.sleep(for: .seconds(1))
                if terminal { print("") }
            }
        }
    }
}

extension NotifyCommand {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every campaign with its state: pending, approved or cancelled.")

        @OptionGroup var database: DatabaseOptions

        @Flag(help: "Print the campaigns as a JSON array, with the fields of GET /api/v1/admin/campaigns.")
        var json = false

        func run() async throws {
            let campaigns = try await database.noticeStore().campaigns()
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
                print(String(decoding: try encoder.encode(campaigns), as: UTF8.self))
                return
            }
            if campaigns.isEmpty { print("No campaigns yet.") }
            for campaign in campaigns { print(ProgressReport.line(campaign, bar: false)) }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Let a pending campaign send: now, or from --at.",
            discussion: "redline serve starts sending within a second of the approval (or of the --at time).")

        @Argument(help: "The campaign's id (redline notify list).")
        var campaign: Int64

        @Option(help: ArgumentHelp("Send from this time on, e.g. 2027-02-01T09:00:00Z. Default: now.", valueName: "TIME"))
        var at: String?

        @Option(help: "Recorded as the approver. Default: the user running the command.")
        var by: String?

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            var sendAfter: Date?
            if let at {
                guard let time = ISO8601DateFormatter().date(from: at) else {
                    Console.printError("error: --at '\(at)' is not a time such as 2027-02-01T09:00:00Z")
                    throw ExitCode.failure
                }
                sendAfter = time
            }
            let approver = by ?? ProcessInfo.processInfo.environment["USER"].map { "cli:\($0)" } ?? "cli"
            do {
                let status = try await database.noticeStore().approve(campaign, by: approver, sendAfter: sendAfter)
                print("Campaign \(status.id) approved: \(status.document) \(status.version) to \(Console.count(status.recipients, "user")), "
                      + "sending from \(status.sendAfter ?? "now").")
            } catch let error as NoticeStoreError {
                Console.printError("error: \(error)")
                throw ExitCode.failure
            }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop a pending or sending campaign; messages already sent stay recorded.")

        @Argument(help: "The campaign's id.")
        var campaign: Int64

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            do {
                let status = try await database.noticeStore().cancel(campaign)
                print("Campaign \(status.id) cancelled: \(status.sent) sent before, \(status.cancelled) not sent.")
            } catch let error as NoticeStoreError {
                Console.printError("error: \(error)")
                throw ExitCode.failure
            }
        }
    }

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send one reviewer the exact message a recipient would get, marked as a test.",
            discussion: "Uses the mail settings of redline serve: REDLINE_SMTP_URL (and its credentials), REDLINE_MAIL_FROM, or .eml files in --mail-dir.")

        @Argument(help: "The campaign's id.")
        var campaign: Int64

        @Option(help: "The reviewer's address.")
        var to: String

        @Option(help: "Write it in this locale's templates. Default: the first recipient's locale.")
        var locale: String?

        @OptionGroup var database: DatabaseOptions

        @Option(help: "The built site. [REDLINE_SITE, default: public]")
        var site: String?

        @Option(help: "Templates folder. [REDLINE_TEMPLATES, default: templates]")
        var templates: String?

        @Option(help: "Where .eml files go without SMTP. [REDLINE_MAIL_DIR, default: outbox/ beside the database]")
        var mailDir: String?

        func run() async throws {
            let settings = try await database.settings(site: site, templates: templates, mailDir: mailDir)
            let manifest = try NotifyCommand.manifest(site: settings.siteDirectory)
            do {
                let messageID = try await NoticeReview.sendTest(campaign: campaign, to: to, locale: locale,
                                                                mail: try NoticeMail(settings.mail, site: manifest.site), manifest: manifest,
                                                                store: try await database.noticeStore())
                print("Test copy of campaign \(campaign) sent (Message-ID <\(messageID)>); nobody else got anything.")
            } catch {
                Console.printError("error: \(error)")
                throw ExitCode.failure
            }
        }
    }
}

extension NotifyCommand {
    /// The published site's manifest: the versions a campaign may announce and what it copies of them.
    static func manifest(site: String) throws -> Manifest {
        do {
            return try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: URL(fileURLWithPath: site).appendingPathComponent(Manifest.fileName)))
        } catch {
            Console.printError("error: \(site)/\(Manifest.fileName) cannot be read; run redline build first (\(error))")
            throw ExitCode.failure
        }
    }
}

/// One campaign's line for `redline notify status`, with a bar when printing to a terminal.
enum ProgressReport {
    static func line(_ status: CampaignStatus, bar: Bool) -> String {
        let done = status.sent + status.failed + status.cancelled
        let total = max(status.recipients, 1)
        let percent = Int((Double(done) / Double(total) * 100).rounded(.down))
        var text = "#\(status.id) \(status.document) \(status.version) [\(status.state.rawValue)]\(status.optional ? " optional" : "") "
            + "(\(status.trigger.rawValue), \(status.createdAt)): "
        if status.state == .pending { return text + "waiting for approval, \(Console.count(status.recipients, "recipient"))" }
        if bar {
            let width = 24, filled = min(width, done * width / total)
            text += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] \(percent)% "
        }
        text += "\(status.queued + status.sending) queued, \(status.sent) sent, \(status.failed) failed"
        if status.cancelled > 0 { text += ", \(status.cancelled) cancelled (user deleted\(status.optional ? " or unsubscribed" : ""))" }
        return text + " of \(status.recipients)"
    }
}
