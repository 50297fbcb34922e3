import Testing
@testable import RedlineMail

@Suite struct IMAPMailboxTests {
    @Test func credentialsLeaveTheURLAndTheEnvironmentWinsOverIt() throws {
        let mailbox = try IMAPMailbox(url: "imaps://bounces:p%40ss@mail.example.com:993/INBOX")
        #expect(mailbox.url == "imaps://mail.example.com:993/INBOX")
        #expect(mailbox.username == "bounces" && mailbox.password == "p@ss")
        let overridden = try IMAPMailbox(url: "imap://bounces@mail.example.com/Bounces", password: "from-env")
        #expect(overridden.password == "from-env" && overridden.url == "imap://mail.example.com/Bounces")
    }

    @Test func anythingButAnIMAPFolderIsRefusedWithoutEchoingIt() {
        for url in ["https://mail.example.com/INBOX", "imap://mail.example.com", "imap://:secret@/INBOX", "not a url at all"] {
            #expect(throws: MailboxError.self) { try IMAPMailbox(url: url) }
        }
        do { _ = try IMAPMailbox(url: "imap://user:hunter2@") } catch { #expect(!"\(error)".contains("hunter2")) }
    }
}
