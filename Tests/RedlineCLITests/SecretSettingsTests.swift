import Foundation
import RedlineServer
import RedlineTestSupport
import Testing
@testable import RedlineCLI

/// `--print-config` and settings-file errors never show a password, whatever it holds.
@Suite struct SecretSettingsTests {
    static let passwords = ["Zq#Wx", "Zq@Wx", "Zq/Wx", "Zq%Wx", "Zq:Wx", "Zq#@/%:Wx"]

    @Test(arguments: passwords) func printConfigMasksURLPasswords(_ password: String) {
        var settings = ServerSettings()
        settings.smtpURL = "smtp://mailer:\(password)@mail.example.com:587"
        settings.databasePath = "postgres://app:\(password)@db.example.com:5432/redline"
        settings.smtpPassword = password
        let printed = ServeCommand.describe(settings, file: nil)
        #expect(!printed.contains("Zq") && !printed.contains("Wx"), "\(printed)")
        // A well-formed URL keeps its user and host; a malformed one shows nothing past the scheme.
        #expect(printed.contains("smtp-url: smtp://mailer:***@mail.example.com:587") || printed.contains("smtp-url: smtp://***"))
    }

    @Test func aMalformedSettingsFileIsReportedWithoutWhatItHolds() async throws {
        let directory = TemporaryDirectory()
        for (name, text) in [("quote.yaml", "port: 8080\nsmtp-password: \"Zq#Wx\n"), ("indent.yaml", "smtp-url: smtp://m:Zq#Wx@h\n  db: x: Zq\n"),
                             ("broken.json", "{\"smtp-password\": \"Zq#Wx\",, }")] {
            directory.write(name, text)
            do {
                _ = try await SettingLayers.layered(file: directory.subpath(name))
                Issue.record("\(name) should not be read")
            } catch {
                #expect(!"\(error)".contains("Zq") && !"\(error)".contains("Wx"), "\(name): \(error)")
                #expect("\(error)".contains(name))
            }
        }
    }
}
