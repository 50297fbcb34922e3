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
        var templates: [String: MustacheTemplate] = [:]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name.hasPrefix("notice.") && name.hasSuffix(".mustache") {
            let path = (directory as NSString).appendingPathComponent(name)
            do {
                templates[String(name.dropLast(".mustache".count))] = try MustacheTemplate(string: String(contentsOfFile: path, encoding: .utf8))
            } catch {
                throw LoadError.invalid(path, "\(error)")
            }
        }
        for part in ["subject", "txt", "html"] where templates["notice.\(part)"] == nil {
            throw LoadError.missing((directory as NSString).appendingPathComponent("notice.\(part).mustache"))
        }
        self.templates = templates
    }

    public func render(_ content: NoticeContent, locale: String) -> Rendered {
        let context: [String: Any] = [
            "siteTitle": content.siteTitle, "documentTitle": content.documentTitle, "effective": content.effective,
            "effectiveLong": Self.longDate(content.effective), "summary": content.summary,
            "changesUrl": content.changesUrl, "versionUrl": content.versionUrl, "locale": locale,
            "contact": content.contact ?? false, "test": content.isTest,
        ]
        func part(_ name: String) -> String {
            template(name, locale: locale).render(context)
        }
        // The subject is one line whatever the template holds.
        let subject = part("subject").split(whereSeparator: \.isNewline).map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }.joined(separator: " ")
        var rendered = Rendered(subject: (content.isTest ? "[Test] " : "") + subject, text: part("txt"), html: part("html"))
        rendered.language = variant("txt", locale: locale)
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

    /// `2027-03-01` as `1 March 2027`.
    static func longDate(_ day: String) -> String {
        let parts = day.split(separator: "-").compactMap { Int($0) }
        let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
        guard parts.count == 3, (1...12).contains(parts[1]) else { return day }
        return "\(parts[2]) \(months[parts[1] - 1]) \(parts[0])"
    }
}
