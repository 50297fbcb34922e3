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
        var maildir: String?

        @Option(help: "Or an IMAP folder, imaps://[user@]host[:port]/FOLDER; the password from REDLINE_IMAP_PASSWORD (or the URL), the user from REDLINE_IMAP_USERNAME when the URL has none. Messages read are marked seen; none is moved or deleted.")
        var imap: String?

        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard (maildir == nil) != (imap == nil) else { throw ValidationError("give --maildir DIR or --imap URL") }
        }

        /// One message to read: where it is, for the report, and its bytes.
        struct Source {
            let name: String
            let read: () throws -> Data
        }

        func run() async throws {
            let settings = try await database.settings()
            let sources = try await Console.reportingErrors(exitStatus: 2) { try self.sources() }
            let (store, consents, lock) = try await Console.reportingErrors(exitStatus: 2) { () async throws -> (any NoticeStore, any ConsentStore, ReceiptKeyLock) in
                let database = try await database.open()
                // Shared with servers signing with the same key; only a rotation is kept out.
                let lock = try ReceiptKeyLock.forSigning(keyPath: settings.receiptKeyPath)
                return (database.noticeStore(), database.consentStore(signer: try ReceiptSigner.load(at: settings.receiptKeyPath)), lock)
            }
            defer { withExtendedLifetime(lock) {} }
            let recorder = ReportRecorder(store: store, consents: consents,
                                          secret: try await Console.reportingErrors(exitStatus: 2) { try LocalSecret.read(at: settings.secretPath) })
            var problems = 0, recorded = 0
            for source in sources {
                do {
                    let (line, created) = try await recorder.record(try source.read())
                    print("\(source.name): \(line)")
                    recorded += created ? 1 : 0
                } catch let error as any UserFacingError {
                    problems += 1
                    Console.printError("\(source.name): \(error)")
                }
            }
            print("\(Console.count(sources.count, "message")) read, \(Console.count(recorded, "report")) recorded, \(problems) not about a notice")
            if problems > 0 { throw ExitCode.failure }
        }

        /// The messages to read: the maildir's files, or the IMAP folder's messages by UID.
        private func sources() throws -> [Source] {
            if let imap {
                let environment = ProcessInfo.processInfo.environment
                let mailbox = try IMAPMailbox(url: imap, username: environment["REDLINE_IMAP_USERNAME"], password: environment["REDLINE_IMAP_PASSWORD"])
                return try mailbox.uids().map { uid in
                    Source(name: "UID \(uid)") { try mailbox.message(uid: uid, limit: DeliveryReport.maximumSize) }
                }
            }
            let folder = maildir ?? ""
            return try Self.messages(in: folder).map { file in
                Source(name: file.hasPrefix(folder + "/") ? String(file.dropFirst(folder.count + 1)) : file) {
                    guard let data = FileManager.default.contents(atPath: file) else { throw UsageError("cannot read it") }
                    return data
                }
            }
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

    }
}

/// Turns one delivery report into a notice record: finds the notice by its Message-ID, records
/// the bounce or complaint, and marks a hard-bounced address undeliverable.
struct ReportRecorder {
    let store: any NoticeStore
    let consents: any ConsentStore
    let secret: Data

    /// - Returns: the line to print, and whether a new record was made.
    func record(_ data: Data) async throws -> (String, Bool) {
        let report = try DeliveryReport(message: data)
        guard let (campaignId, digest) = NoticeComposer.notice(messageID: report.originalMessageID) else {
            throw UsageError("a report about \(report.originalMessageID), which is not a Redline notice")
        }
        guard try await store.campaign(campaignId) != nil, let draft = try await store.sample(campaign: campaignId)?.content else {
            throw UsageError("a report about campaign \(campaignId), which this database does not have")
        }
        guard let user = try await store.recipients(campaign: campaignId).first(where: { NoticeComposer.userDigest($0.userId) == digest }) else {
            throw UsageError("a report about a notice of campaign \(campaignId) to nobody it was addressed to")
        }
        let about = "\(report.kind.rawValue) of campaign \(campaignId) to user \(user.userId) (\(report.detail))"
        if report.kind == .softBounce { return ("\(about): the mail server goes on trying; nothing recorded", false) }
        let leaf = NoticeLeaf(campaign: campaignId, document: draft.document, version: draft.version, effective: draft.effective,
                              recipient: NoticeEvidence.recipient(userId: user.userId, secret: secret),
                              outcome: report.kind == .complaint ? .complained : .bounced, reply: report.detail,
                              idempotencyKey: "report:\(report.reportMessageID ?? Hex.encode(SHA256.hash(data: data))):\(report.originalMessageID)")
        let result = try await consents.appendNotices([leaf], at: Date())
        let created = result.first?.created == true
        var outcome = created ? "recorded as record \(result[0].sequence)" : "already recorded"
        if report.kind == .hardBounce, try await store.markUndeliverable(userId: user.userId, reason: report.detail, now: Date()) {
            outcome += "; address marked undeliverable"
        }
        return ("\(about): \(outcome)", created)
    }
}

extension DeliveryReport.Unreadable: UserFacingError {}
extension MailboxError: UserFacingError {}
