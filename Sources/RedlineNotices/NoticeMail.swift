import Foundation
import RedlineConsent
import RedlineMail
import RedlineManifest

/// What change notices are written with and sent through, as the operator set it up.
public struct MailSettings: Sendable {
    /// Holds `notice.*.mustache`; nil: the templates built into the binary.
    public var templatesDirectory: String?
    /// `smtp://host:port` or `smtps://…`; nil writes `.eml` files to `mailDirectory` instead.
    public var smtpURL: String?
    public var smtpUsername: String?
    public var smtpPassword: String?
    public var smtpStartTLS: String
    /// `Name <address>` or an address; nil: `notices@` the site's host.
    public var mailFrom: String?
    public var mailDirectory: String

    public init(templatesDirectory: String?, smtpURL: String?, smtpUsername: String?, smtpPassword: String?, smtpStartTLS: String,
                mailFrom: String?, mailDirectory: String) {
        self.templatesDirectory = templatesDirectory
        self.smtpURL = smtpURL
        self.smtpUsername = smtpUsername
        self.smtpPassword = smtpPassword
        self.smtpStartTLS = smtpStartTLS
        self.mailFrom = mailFrom
        self.mailDirectory = mailDirectory
    }
}

/// How change notices are written and sent: the templates, the sender and the transport, the
/// same for the server's delivery worker and a reviewer's test copy from the command line.
public struct NoticeMail: Sendable {
    public let transport: any MailTransport
    public let templates: NoticeTemplates
    public let from: MailAddress

    public enum SetupError: Error, CustomStringConvertible {
        case badSMTPURL(String)
        case badMailFrom(String)
        case noCurl

        public var description: String {
            switch self {
            case .noCurl: return "--smtp-url needs libcurl, which is not installed (Debian: apt install libcurl4)"
            case let .badSMTPURL(url):
                return "--smtp-url '\(SecretText.maskingPasswords(in: url))' is not an smtp:// or smtps:// URL with a host"
                    + " (percent-encode @ / ? # in the user name and password, or use REDLINE_SMTP_PASSWORD)"
            case let .badMailFrom(value): return "--mail-from '\(value)' is not an address such as 'Legal <notices@example.com>'"
            }
        }
    }

    /// The templates, sender and transport `settings` name for `site`: SMTP when there is a URL,
    /// `.eml` files otherwise; the sender defaults to `notices@` the site's host.
    public init(_ settings: MailSettings, site: Manifest.Site) throws {
        templates = try settings.templatesDirectory.map { try NoticeTemplates(directory: $0) } ?? NoticeTemplates.builtIn()
        from = try Self.sender(settings.mailFrom, site: site)
        if let url = settings.smtpURL {
            guard SMTPTransport.isSupported(url: url), SecretText.hasUnambiguousUserInfo(url) else { throw SetupError.badSMTPURL(url) }
            guard SMTPTransport.isAvailable else { throw SetupError.noCurl }
            transport = SMTPTransport(url: url, username: settings.smtpUsername, password: settings.smtpPassword,
                                      startTLS: SMTPTransport.StartTLS(rawValue: settings.smtpStartTLS) ?? .opportunistic)
        } else {
            transport = DirectoryTransport(directory: settings.mailDirectory)
        }
    }

    private static func sender(_ configured: String?, site: Manifest.Site) throws -> MailAddress {
        if let configured {
            guard let parsed = MailAddress(parsing: configured) else { throw SetupError.badMailFrom(configured) }
            return parsed
        }
        let host = URLComponents(string: site.baseURL)?.host ?? "localhost"
        guard let address = MailAddress("notices@\(host)", displayName: site.title) ?? MailAddress("notices@localhost.localdomain") else {
            throw SetupError.badMailFrom("notices@\(host)")
        }
        return address
    }
}
