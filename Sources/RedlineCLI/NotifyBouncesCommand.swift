import ArgumentParser
import Crypto
import Foundation
import RedlineConsent
import RedlineMail
import RedlineManifest
import RedlineNotices
import RedlineServer
import RedlineStores

extension NotifyCommand {
    /// `redline notify bounces --maildir DIR`: reads what mail servers sent back about notices.
    struct Bounces: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read bounces (RFC 3464) and complaints (RFC 5965) about notices from a maildir, and log them.",
            discussion: """
                Every message in DIR/new and DIR/cur that is a delivery status notification or a complaint about a notice \
                becomes a notice record of the log (bounced or complained), found by the notice's Message-ID. A hard bounce \
                (a permanent failure, 5.x.x) marks the user's address undeliverable: no notice is sent to it until the address \
                changes, and 'redline users list --undeliverable' lists them for follow-up. Reading a report again records \
                nothing new; the maildir is only read. Every message that is not a report about a notice is named, and the \
                exit status is then 1.
                """)

        @Option(help: "The maildir bounces and complaints arrive in (its new/ and cur/ folders are read).")
        var maildir: String

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let settings = try await database.settings()
            let files = try await Console.reportingErrors(exitStatus: 2) { try Self.messages(in: maildir) }
            let (store, consents, lock) = try await Console.reportingErrors(exitStatus: 2) { () async throws -> (any NoticeStore, any ConsentStore, ReceiptKeyLock) in
                let database = try await database.open()
                // Shared with servers signing with the same key; only a rotation is kept out.
                let lock = try ReceiptKeyLock.forSigning(keyPath: settings.receiptKeyPath)
                return (database.noticeStore(), database.consentStore(signer: try ReceiptSigner.load(at: settings.receiptKeyPath)), lock)
            }
            defer { withExtendedLifetime(lock) {} }
            let secret = try await Console.reportingErrors(exitStatus: 2) { try LocalSecret.read(at: settings.secretPath) }
            var problems = 0, recorded = 0
            var recipients: [Int64: [CampaignRecipient]] = [:]
            for file in files {
                let shown = file.hasPrefix(maildir + "/") ? String(file.dropFirst(maildir.count + 1)) : file
                do {
                    guard let data = FileManager.default.contents(atPath: file) else { throw UsageError("cannot read it") }
                    let report = try DeliveryReport(message: data)
                    guard let (campaignId, digest) = Self.notice(report.originalMessageID) else {
                        throw UsageError("a report about \(report.originalMessageID), which is not a Redline notice")
                    }
                    guard let campaign = try await store.campaign(campaignId), let draft = try await store.sample(campaign: campaignId)?.content else {
                        throw UsageError("a report about campaign \(campaignId), which this database does not have")
                    }
                    if recipients[campaignId] == nil { recipients[campaignId] = try await store.recipients(campaign: campaignId) }
                    guard let user = recipients[campaignId]?.first(where: { Self.digest($0.userId) == digest }) else {
                        throw UsageError("a report about a notice of campaign \(campaignId) to nobody it was addressed to")
                    }
                    if report.kind == .softBounce {
                        print("\(shown): soft bounce of campaign \(campaign.id) to user \(user.userId) (\(report.detail)): the mail server goes on trying; nothing recorded")
                        continue
                    }
                    let leaf = NoticeLeaf(campaign: campaignId, document: draft.document, version: draft.version, effective: draft.effective,
                                          recipient: NoticeEvidence.recipient(userId: user.userId, secret: secret),
                                          outcome: report.kind == .complaint ? .complained : .bounced,
                                          reply: report.detail,
                                          idempotencyKey: "report:\(report.reportMessageID ?? Hex.encode(SHA256.hash(data: data))):\(report.originalMessageID)")
                    let result = try await consents.appendNotices([leaf], at: Date())
                    var outcome = result.first?.created == true ? "recorded as record \(result[0].sequence)" : "already recorded"
                    recorded += result.first?.created == true ? 1 : 0
                    if report.kind == .hardBounce, try await store.markUndeliverable(userId: user.userId, reason: report.detail, now: Date()) {
                        outcome += "; address marked undeliverable"
                    }
                    print("\(shown): \(report.kind.rawValue) of campaign \(campaign.id) to user \(user.userId) (\(report.detail)): \(outcome)")
                } catch let error as DeliveryReport.Unreadable {
                    problems += 1
                    Console.printError("\(shown): \(error)")
                } catch let error as UsageError {
                    problems += 1
                    Console.printError("\(shown): \(error)")
                }
            }
            print("\(Console.count(files.count, "message")) read, \(Console.count(recorded, "report")) recorded, \(problems) not about a notice")
            if problems > 0 { throw ExitCode.failure }
        }

        /// Every message file of the maildir, oldest name first; symlinks and folders skipped.
        static func messages(in maildir: String) throws -> [String] {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: maildir, isDirectory: &isFolder), isFolder.boolValue else {
                throw UsageError("\(maildir): no such maildir")
            }
            var files: [String] = []
            for sub in ["new", "cur"] {
                let folder = maildir + "/" + sub
                for name in ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted() where !name.hasPrefix(".") {
                    let path = folder + "/" + name
                    let attributes = try? FileManager.default.attributesOfItem(atPath: path)
                    if attributes?[.type] as? FileAttributeType == .typeRegular { files.append(path) }
                }
            }
            return files
        }

        /// `notice-<campaign>-<16 hex>@domain`: the campaign and the user's digest a notice's Message-ID carries.
        static func notice(_ messageID: String) -> (Int64, String)? {
            let local = messageID.split(separator: "@").first ?? ""
            let parts = local.split(separator: "-")
            guard parts.count == 3, parts[0] == "notice", let campaign = Int64(parts[1]), parts[2].count == 16 else { return nil }
            return (campaign, String(parts[2]))
        }

        static func digest(_ userId: String) -> String {
            Hex.encode(SHA256.hash(data: Data(userId.utf8)).prefix(8))
        }
    }
}
