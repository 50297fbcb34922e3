import ArgumentParser
import Foundation
import RedlineConsent
import RedlineManifest
import RedlineServer

/// `redline notify …`: change-notice campaigns by hand, and how far they have got.
struct NotifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: "Announce a material version to every registered user, or report on campaigns.",
        subcommands: [Create.self, Status.self],
        defaultSubcommand: Create.self)

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Create the campaign for a material version: one message per active user, sent by redline serve.",
            discussion: "Asking twice for the same version adds nothing. A document's first version and editorial versions are refused.")

        @Argument(help: "The document's id, e.g. privacy.")
        var document: String

        @Argument(help: "The version: its effective date, e.g. 2027-03-01.")
        var version: String

        @OptionGroup var database: DatabaseOptions

        @Option(help: "The built site whose manifest.json lists the versions.")
        var site = "public"

        func run() async throws {
            let manifest: Manifest
            do {
                manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: URL(fileURLWithPath: site).appendingPathComponent(Manifest.fileName)))
            } catch {
                Console.printError("error: \(site)/\(Manifest.fileName) cannot be read; run redline build first (\(error))")
                throw ExitCode.failure
            }
            let draft: CampaignDraft
            switch NoticePlanner.draft(manifest, document: document, version: version) {
            case let .success(value): draft = value
            case let .failure(refusal):
                Console.printError("error: \(refusal.message) Nothing was sent.")
                throw ExitCode.failure
            }
            let store = try database.noticeStore()
            let (campaign, created) = try await store.createCampaign(draft, trigger: "manual")
            if created {
                print("Campaign \(campaign.id) created: \(document) \(version) to \(Console.count(campaign.recipients, "user")). redline serve sends it.")
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
            let store = try database.noticeStore()
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

/// One campaign's line for `redline notify status`, with a bar when printing to a terminal.
enum ProgressReport {
    static func line(_ status: CampaignStatus, bar: Bool) -> String {
        let done = status.sent + status.failed + status.cancelled
        let total = max(status.recipients, 1)
        let percent = Int((Double(done) / Double(total) * 100).rounded(.down))
        var text = "#\(status.id) \(status.document) \(status.version) (\(status.trigger), \(status.createdAt)): "
        if bar {
            let width = 24, filled = min(width, done * width / total)
            text += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] \(percent)% "
        }
        text += "\(status.queued + status.sending) queued, \(status.sent) sent, \(status.failed) failed"
        if status.cancelled > 0 { text += ", \(status.cancelled) cancelled (user deleted)" }
        return text + " of \(status.recipients)"
    }
}
