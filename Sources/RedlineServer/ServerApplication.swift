import Foundation
import Hummingbird
import Logging
import RedlineConsent
import RedlineMail
import RedlineManifest

/// Assembles `redline serve`: the built site, the consent API and the background services.
public enum ServerApplication {
    /// Everything the server opens at start; kept so tests and commands can reach the same pieces.
    public struct Parts: Sendable {
        public let catalog: SiteCatalog
        public let store: SQLiteConsentStore
        public let signer: ReceiptSigner
        public let writer: GroupCommitWriter
        public let metrics: ServerMetrics
        public let notices: SQLiteNoticeStore
        public let mail: Mail
    }

    /// How change notices are written and sent.
    public struct Mail: Sendable {
        public let transport: any MailTransport
        public let templates: NoticeTemplates
        public let from: MailAddress
    }

    public enum SetupError: Error, CustomStringConvertible {
        case badSMTPURL(String)
        case badMailFrom(String)

        public var description: String {
            switch self {
            case let .badSMTPURL(url): return "--smtp-url '\(url)' is not an smtp:// or smtps:// URL with a host"
            case let .badMailFrom(value): return "--mail-from '\(value)' is not an address such as 'Legal <notices@example.com>'"
            }
        }
    }

    /// Opens the site, the database and the keys. Fails with a clear message when the site is not built.
    public static func open(_ settings: ServerSettings) throws -> Parts {
        let catalog = try SiteCatalog(siteDirectory: settings.siteDirectory)
        let signer = try ReceiptSigner.loadOrCreate(at: settings.receiptKeyPath)
        let database = try RedlineDatabase.open(path: settings.databasePath)
        let store = SQLiteConsentStore(database: database, signer: signer)
        let metrics = ServerMetrics()
        let writer = GroupCommitWriter(store: store, onCommit: { metrics.commitBatch(size: $0) })
        return Parts(catalog: catalog, store: store, signer: signer, writer: writer, metrics: metrics,
                     notices: SQLiteNoticeStore(database: database), mail: try mail(settings, site: catalog.manifest.site))
    }

    static func mail(_ settings: ServerSettings, site: Manifest.Site) throws -> Mail {
        let templates = try NoticeTemplates(directory: settings.emailTemplatesDirectory)
        let from: MailAddress
        if let raw = settings.mailFrom {
            guard let parsed = MailAddress(parsing: raw) else { throw SetupError.badMailFrom(raw) }
            from = parsed
        } else {
            let host = URLComponents(string: site.baseURL)?.host ?? "localhost"
            guard let address = MailAddress("notices@\(host)", displayName: site.title) ?? MailAddress("notices@localhost.localdomain") else {
                throw SetupError.badMailFrom("notices@\(host)")
            }
            from = address
        }
        let transport: any MailTransport
        if let url = settings.smtpURL {
            guard SMTPTransport.isSupported(url: url) else { throw SetupError.badSMTPURL(url) }
            transport = SMTPTransport(url: url, username: settings.smtpUsername, password: settings.smtpPassword,
                                      startTLS: SMTPTransport.StartTLS(rawValue: settings.smtpStartTLS) ?? .opportunistic)
        } else {
            transport = DirectoryTransport(directory: settings.resolvedMailDirectory)
        }
        return Mail(transport: transport, templates: templates, from: from)
    }

    public static func make(_ settings: ServerSettings, parts: Parts, logger: Logger) throws -> some ApplicationProtocol {
        let addressKey = try LocalSecret.loadOrCreate(at: settings.secretPath)
        let router = Router(context: ServerContext.self)
        router.add(middleware: MetricsMiddleware(metrics: parts.metrics))
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: NotFoundPageMiddleware(siteDirectory: settings.siteDirectory))
        router.add(middleware: APIMiddleware(catalog: parts.catalog,
                                             limiter: RateLimiter(perMinute: settings.rateLimitPerMinute, burst: settings.rateLimitBurst),
                                             metrics: parts.metrics))
        router.add(middleware: PrecompressedFileMiddleware(siteDirectory: settings.siteDirectory))
        router.add(middleware: FileMiddleware(settings.siteDirectory, cacheControl: cacheControl, searchForIndexHtml: true, logger: logger)
            .withAdditionalMediaTypes(forFileExtensions: textTypes))

        ConsentRoutes(catalog: parts.catalog, store: parts.store, writer: parts.writer, metrics: parts.metrics,
                      retention: settings.addressRetention, addressKey: addressKey).add(to: router)
        ServiceRoutes(catalog: parts.catalog, signer: parts.signer, metrics: parts.metrics).add(to: router)
        AdminRoutes(catalog: parts.catalog, store: parts.notices).add(to: router)

        return Application(
            router: router,
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "redline"),
            services: [
                GroupCommitService(writer: parts.writer, logger: logger),
                ManifestWatcher(catalog: parts.catalog, interval: settings.manifestPollInterval, metrics: parts.metrics, logger: logger),
                NoticeService(catalog: parts.catalog, store: parts.notices, interval: settings.manifestPollInterval, logger: logger),
                DeliveryWorker(store: parts.notices, transport: parts.mail.transport, templates: parts.mail.templates, from: parts.mail.from,
                               settings: settings.delivery, metrics: parts.metrics, logger: logger),
            ],
            logger: logger)
    }

    /// Everything the build writes is UTF-8; saying so stops browsers guessing.
    static let textTypes: [String: MediaType] = [
        "html": MediaType(type: .text, subType: "html", parameter: ("charset", "utf-8")),
        "css": MediaType(type: .text, subType: "css", parameter: ("charset", "utf-8")),
        "js": MediaType(type: .text, subType: "javascript", parameter: ("charset", "utf-8")),
        "json": MediaType(type: .application, subType: "json", parameter: ("charset", "utf-8")),
        "xml": MediaType(type: .application, subType: "xml", parameter: ("charset", "utf-8")),
        "txt": MediaType(type: .text, subType: "plain", parameter: ("charset", "utf-8")),
    ]

    /// Pages revalidate with their ETag on every visit, so a rebuild shows at once; a 304 costs almost nothing.
    static let cacheControl = CacheControl([
        (MediaType(type: .any), [.noCache]),
    ])
}
