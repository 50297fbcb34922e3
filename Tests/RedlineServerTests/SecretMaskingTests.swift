import Foundation
import RedlineConsent
import RedlineManifest
import RedlineNotices
import RedlineStores
import Testing
@testable import RedlineServer

/// No error or printout carries a password, whatever characters it holds, in a well-formed URL
/// or a malformed one.
@Suite struct SecretMaskingTests {
    /// Each password is "Zq", a character that URLs give a meaning, and "Wx": neither half may show.
    static let passwords = ["Zq#Wx", "Zq@Wx", "Zq/Wx", "Zq%Wx", "Zq:Wx", "Zq?Wx", "Zq%zzWx", "Zq#@/%:Wx", "Zq"]

    static func leaks(_ text: String) -> Bool { text.contains("Zq") || text.contains("Wx") }

    static func urls(_ password: String) -> [String] {
        ["smtp://mailer:\(password)@mail.example.com:587", "smtps://mailer:\(password)@mail.example.com",
         "postgres://app:\(password)@db.example.com:5432/redline?sslmode=require", "postgresql://app:\(password)@/redline?host=/run/postgresql",
         "postgres://db.example.com/redline?user=app&password=\(password)", "postgres://db.example.com/redline?password=\(password)&sslmode=require",
         // Malformed: no host, no "//", no "@".
         "smtp://mailer:\(password)@", "smtp//mailer:\(password)@mail.example.com", "mailer:\(password)@mail.example.com"]
            // Without a host, a password holding '@' reads exactly like user:password@host: nothing can tell.
            + (password.contains("@") ? [] : ["smtp://mailer:\(password)"])
    }

    @Test(arguments: passwords) func everyURLIsPrintedWithoutItsPassword(_ password: String) {
        for url in Self.urls(password) {
            let masked = SecretText.maskingPasswords(in: url)
            #expect(!Self.leaks(masked), "\(url) → \(masked)")
            #expect(!Self.leaks(StoreDatabase.redacting(url)) || !url.hasPrefix("postgres"), "\(url)")
        }
        #expect(SecretText.maskingPasswords(in: "smtp://mail.example.com:587") == "smtp://mail.example.com:587")
        #expect(SecretText.maskingPasswords(in: "postgres://app@db.example.com/x?user=me@corp") == "postgres://app@db.example.com/x?user=me@corp")
        #expect(SecretText.maskingPasswords(in: "smtp://mailer:Zq#Wx@mail.example.com") == "smtp://***")
        #expect(SecretText.maskingPasswords(in: "smtp://mailer:Zq@mail.example.com:587") == "smtp://mailer:***@mail.example.com:587")
    }

    @Test(arguments: passwords) func aDatabaseURLThatCannotBeOpenedIsReportedWithoutItsPassword(_ password: String) async {
        for url in Self.urls(password) where url.hasPrefix("postgres") && !url.contains("?password=") && !url.contains("&password=") {
            do {
                // A port nobody listens on and a short timeout: the URL is refused or the connection fails; either way, one message.
                let database = try await StoreDatabase.open(url.replacingOccurrences(of: "db.example.com:5432", with: "127.0.0.1:9"))
                await database.close()
            } catch {
                #expect(!Self.leaks("\(error)"), "\(url) → \(error)")
                #expect(!Self.leaks(String(reflecting: error)), "\(url)")
            }
        }
    }

    @Test(arguments: passwords) func aMalformedSMTPURLIsRefusedWithoutItsPassword(_ password: String) throws {
        let fixture = try ServerFixture()
        let site = ServerFixture.manifest().site
        for url in Self.urls(password) where url.hasPrefix("smtp") || url.hasPrefix("mailer") {
            var settings = fixture.settings
            settings.smtpURL = url
            do {
                _ = try NoticeMail(settings.mail, site: site)
            } catch {
                #expect(!Self.leaks("\(error)"), "\(url) → \(error)")
            }
        }
    }

    @Test func aWellFormedSMTPURLWithAnEncodedPasswordIsTaken() throws {
        #expect(SecretText.hasUnambiguousUserInfo("smtp://mailer:Zq%23Wx@mail.example.com:587"))
        #expect(SecretText.hasUnambiguousUserInfo("smtp://mailer:Zq:Wx@mail.example.com:587"))
        #expect(SecretText.hasUnambiguousUserInfo("postgres://db.example.com/x?user=me@corp"))
        #expect(!SecretText.hasUnambiguousUserInfo("smtp://mailer:Zq#Wx@mail.example.com"))
        #expect(!SecretText.hasUnambiguousUserInfo("smtp://mailer:Zq/Wx@mail.example.com"))
        #expect(!SecretText.hasUnambiguousUserInfo("smtp://mailer:Zq@Wx@mail.example.com"))
    }
}
