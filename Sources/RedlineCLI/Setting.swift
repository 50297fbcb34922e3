import Foundation
import RedlineServer

/// Settings of the commands that run or act like `redline serve`: a flag wins over its
/// `REDLINE_*` variable, and an empty variable counts as unset.
enum Setting {
    static func value(_ flag: String?, _ variable: String) -> String? {
        flag ?? ProcessInfo.processInfo.environment[variable].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// How change notices leave: the SMTP server and sender (flag or variable), its credentials
    /// and STARTTLS policy (variables only, so they never show in a process list), the `.eml` folder.
    static func readMail(into settings: inout ServerSettings, smtpURL: String? = nil, mailFrom: String? = nil, mailDir: String? = nil) {
        settings.smtpURL = value(smtpURL, "REDLINE_SMTP_URL")
        settings.smtpUsername = value(nil, "REDLINE_SMTP_USERNAME")
        settings.smtpPassword = value(nil, "REDLINE_SMTP_PASSWORD")
        settings.smtpStartTLS = value(nil, "REDLINE_SMTP_STARTTLS") ?? settings.smtpStartTLS
        settings.mailFrom = value(mailFrom, "REDLINE_MAIL_FROM")
        settings.mailDirectory = value(mailDir, "REDLINE_MAIL_DIR")
    }
}
