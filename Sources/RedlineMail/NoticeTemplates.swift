import Foundation
import Mustache

/// What a change notice says: taken from the manifest when its campaign is created, so a
/// message sent again after a crash says exactly what the first one said.
public struct NoticeContent: Sendable, Equatable {
    public var siteTitle: String
    public var documentTitle: String
    public var effective: String
    public var summary: String
    public var changesUrl: String
    public var versionUrl: String
    /// A postal or contact line for the end of the message (site.yaml `notices.contact`).
    public var contact: String?
    /// A reviewer's test copy: the templates say so at the top.
    public var isTest = false
    /// An optional notice: the templates say so, and give `unsubscribeUrl` (`{{#optional}}`).
    public var isOptional = false
    /// The one-click unsubscribe link of an optional notice; see ``NoticeTemplates/unsubscribePlaceholder``.
    public var unsubscribeUrl: String?

    public init(siteTitle: String, documentTitle: String, effective: String, summary: String, changesUrl: String, versionUrl: String,
                contact: String? = nil, isTest: Bool = false) {
        self.contact = contact
        self.isTest = isTest
        self.siteTitle = siteTitle
        self.documentTitle = documentTitle
        self.effective = effective
        self.summary = summary
        self.changesUrl = changesUrl
        self.versionUrl = versionUrl
    }
}

/// The change-notice templates in `templates/email/`: `notice.subject.mustache`,
/// `notice.txt.mustache` and `notice.html.mustache`, each optionally in a per-locale variant
/// such as `notice.de.txt.mustache` or `notice.de-AT.txt.mustache`.
public struct NoticeTemplates: Sendable {
    public struct Rendered: Sendable, Equatable {
        public let subject: String
        /// The language the message is written in: the locale variant used, or nil for the default templates.
        public var language: String? = nil
        public let text: String
        public let html: String
    }

    public enum LoadError: Error, CustomStringConvertible {
        case missing(String)
        case invalid(String, String)

        public var description: String {
            switch self {
            case let .missing(path): return "\(path): missing; change notices need it (pass --templates DIR)"
            case let .invalid(path, reason): return "\(path): \(reason)"
            }
        }
    }

    private let templates: [String: MustacheTemplate]

    /// Reads every `notice.*.mustache` in `directory`; the three default templates must exist.
    public init(directory: String) throws {
        var files: [String: String] = [:]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name.hasPrefix("notice.") && name.hasSuffix(".mustache") {
            let path = (directory as NSString).appendingPathComponent(name)
            do {
                files[name] = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw LoadError.invalid(path, "\(error)")
            }
        }
        try self.init(files: files, folder: directory)
    }

    /// The templates of `templates/email/` as the binary carries them, for a server installed
    /// without the templates folder.
    public static func builtIn() throws -> NoticeTemplates {
        try NoticeTemplates(files: BuiltInNoticeTemplates.files, folder: "(built-in templates)")
    }

    /// Templates by file name (`notice.txt.mustache`); `folder` names where they came from in errors.
    init(files: [String: String], folder: String) throws {
        var templates: [String: MustacheTemplate] = [:]
        for (name, text) in files {
            do {
                templates[String(name.dropLast(".mustache".count))] = try MustacheTemplate(string: text)
            } catch {
                throw LoadError.invalid((folder as NSString).appendingPathComponent(name), "\(error)")
            }
        }
        for part in ["subject", "txt", "html"] where templates["notice.\(part)"] == nil {
            throw LoadError.missing((folder as NSString).appendingPathComponent("notice.\(part).mustache"))
        }
        self.templates = templates
    }

    /// Stands for each recipient's own unsubscribe link in a text rendered once for all of them;
    /// the composer puts the link in its place. Plain ASCII, so HTML escaping leaves it whole.
    public static let unsubscribePlaceholder = "https://unsubscribe.invalid/redline-one-click-link"

    public func render(_ content: NoticeContent, locale: String) -> Rendered {
        // The date in the language of the templates that write around it.
        let language = variant("txt", locale: locale)
        let context: [String: Any] = [
            "siteTitle": content.siteTitle, "documentTitle": content.documentTitle, "effective": content.effective,
            "effectiveLong": Self.longDate(content.effective, language: language), "summary": content.summary,
            "changesUrl": content.changesUrl, "versionUrl": content.versionUrl, "locale": locale,
            "contact": content.contact ?? false, "test": content.isTest,
            "optional": content.isOptional, "unsubscribeUrl": content.unsubscribeUrl ?? "",
        ]
        func part(_ name: String) -> String {
            template(name, locale: locale).render(context)
        }
        // The subject is one line whatever the template holds.
        let subject = part("subject").split(whereSeparator: \.isNewline).map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }.joined(separator: " ")
        var rendered = Rendered(subject: (content.isTest ? "[Test] " : "") + subject, text: part("txt"), html: part("html"))
        rendered.language = language
        return rendered
    }

    /// The most specific template for the locale: `de-AT`, then `de`, then the default.
    private func template(_ part: String, locale: String) -> MustacheTemplate {
        variant(part, locale: locale).flatMap { templates["notice.\($0).\(part)"] } ?? templates["notice.\(part)"]!
    }

    /// The locale variant of `part` that exists, or nil when the default template is used.
    private func variant(_ part: String, locale: String) -> String? {
        let language = locale.split(separator: "-").first.map(String.init) ?? locale
        return [locale, language].first { !$0.isEmpty && templates["notice.\($0).\(part)"] != nil }
    }

    /// `2027-03-01` as `1 March 2027` for the default templates, or as the variant's language writes
    /// it (`1. März 2027` for `de`).
    static func longDate(_ day: String, language: String? = nil) -> String {
        let parts = day.split(separator: "-").compactMap { Int($0) }
        let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        guard parts.count == 3, (1...12).contains(parts[1]) else { return day }
        guard let language else { return "\(parts[2]) \(months[parts[1] - 1]) \(parts[0])" }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2])) else { return day }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: language)
        formatter.timeZone = calendar.timeZone
        formatter.dateStyle = .long
        formatter.timeStyle = .none
        return formatter.string(from: date)
    }
}
