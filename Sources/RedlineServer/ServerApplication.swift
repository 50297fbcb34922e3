import Foundation
import Hummingbird
import NIOCore
import Logging
import RedlineConsent
import RedlineNotices
import RedlineMail
import RedlineStores
import RedlineManifest
import RedlineTransparency
import RedlineWitness
import ServiceLifecycle

/// Assembles `redline serve`: the built site, the consent API and the background services.
public enum ServerApplication {
    /// Everything the server opens at start; kept so tests and commands can reach the same pieces.
    public struct Parts: Sendable {
        public let catalog: SiteCatalog
        public let store: any ConsentStore
        public let signer: ReceiptSigner
        /// The banner versions consent records may name; follows the manifest.
        public let shownNotices: ShownNotices
        /// Held for as long as the server runs, so the key is not rotated under it.
        public let keyLock: ReceiptKeyLock
        public let keyring: ReceiptKeyring
        public let checkpoints: CheckpointKeeper
        /// The Merkle log's checkpoints and their cosignatures.
        public let log: LogKeeper
        /// nil without witnesses.
        public let witnesses: WitnessClient?
        public let site: SiteFolder
        public let writer: GroupCommitWriter
        public let metrics: ServerMetrics
        public let notices: any NoticeStore
        /// Banner impressions, counted in memory and stored a second at a time.
        public let impressions: ImpressionTally
        public let mail: NoticeMail
        /// What the stores live in; closed when the server stops.
        public let database: StoreDatabase
        /// "Was this page helpful?" on docs pages.
        public let feedback: any FeedbackStore
        /// The server's own 32 bytes (``LocalSecret``): keys kept addresses, recipient ids and unsubscribe links.
        public let secret: Data

        /// Composes change notices for the worker and for test sends.
        var composer: NoticeComposer { NoticeComposer(templates: mail.templates, from: mail.from, catalog: catalog, unsubscribeSecret: secret) }
    }

    /// Opens the site, the database and the keys. Fails with a clear message when the site is not
    /// built or cannot be read, or when a secret would sit inside the served folder.
    public static func open(_ settings: ServerSettings, logger: Logger = Logger(label: "redline.postgres")) async throws -> Parts {
        let catalog = try SiteCatalog(siteDirectory: settings.siteDirectory)
        try refuseSecretsInsideSite(settings)
        let database = try await StoreDatabase.open(settings.databasePath, logger: logger, timeouts: settings.databaseTimeouts)
        do {
            return try assemble(settings, catalog: catalog, database: database)
        } catch {
            await database.close()
            throw error
        }
    }

    private static func assemble(_ settings: ServerSettings, catalog: SiteCatalog, database: StoreDatabase) throws -> Parts {
        // The local files (secret, and by default the keys and checkpoints) live in a private
        // folder; with SQLite the database made it, with PostgreSQL nothing has yet.
        try FileManager.default.createPrivateParentDirectory(of: settings.secretPath)
        try FileManager.default.createPrivateParentDirectory(of: settings.receiptKeyPath)
        let secret = try LocalSecret.loadOrCreate(at: settings.secretPath)
        // Held until the process ends: `consent rotate-key` refuses while a server signs with the key.
        let keyLock = try ReceiptKeyLock.forSigning(keyPath: settings.receiptKeyPath)
        let signer = try ReceiptSigner.loadOrCreate(at: settings.receiptKeyPath)
        let keyring = try ReceiptKeyring.read(ReceiptKeyring.path(forPrivateKey: settings.receiptKeyPath))
        guard keyring.current?.keyId == signer.keyId else {
            throw ServerSetupError("\(settings.receiptKeyPath) is not the current key listed in \(ReceiptKeyring.path(forPrivateKey: settings.receiptKeyPath))")
        }
        let store = database.consentStore(signer: signer)
        let metrics = ServerMetrics()
        let checkpoints = CheckpointKeeper(store: store, signer: signer, path: settings.checkpointPath)
        let witnessKeys = try settings.witnessKeys.map { key in
            do { return try NoteVerifier(vkey: key) } catch { throw ServerSetupError("witness-key: \(error)") }
        }
        let quorum = settings.witnessQuorum ?? settings.witnessURLs.count
        guard quorum <= witnessKeys.count, quorum <= settings.witnessURLs.count else {
            throw ServerSetupError("witness-quorum \(quorum) needs at least \(quorum) witnesses (--witness) and their keys (--witness-key); "
                                   + "\(settings.witnessURLs.count) and \(witnessKeys.count) were given")
        }
        guard let origin = settings.logOrigin ?? ConsentMerkleLog.origin(baseURL: catalog.manifest.site.baseURL) else {
            throw ServerSetupError("the site's baseURL '\(catalog.manifest.site.baseURL)' has no host to name the consent log after; set --log-origin")
        }
        let log = LogKeeper(log: ConsentMerkleLog(store: store, origin: origin), signer: try signer.noteSigner(origin: origin),
                            notesPath: settings.checkpointNotesPath, witnessKeys: witnessKeys, quorum: quorum)
        let witnesses = settings.witnessURLs.isEmpty ? nil
            : WitnessClient(urls: settings.witnessURLs, keys: witnessKeys, logger: Logger(label: "redline.witness"))
        let writer = GroupCommitWriter(store: store, onCommit: { metrics.commitBatch(size: $0) },
                                       seal: { try await checkpoints.seal(sequence: $0, entryHash: $1) })
        let clock = settings.clock
        let site = SiteFolder(path: settings.siteDirectory, forbidden: secretPaths(settings), variant: {
            let manifest = catalog.manifest
            return manifest.asOfDay(today: clock.today(for: manifest)).map { "\(Manifest.asOfFolder)/\($0)" }
        })
        let shownNotices = ShownNotices(path: settings.shownNoticesPath, grace: settings.noticeGrace)
        shownNotices.update(from: catalog, now: clock.now())
        return Parts(catalog: catalog, store: store, signer: signer, shownNotices: shownNotices, keyLock: keyLock, keyring: keyring,
                     checkpoints: checkpoints, log: log, witnesses: witnesses, site: site,
                     writer: writer, metrics: metrics,
                     notices: database.noticeStore(), impressions: ImpressionTally(store: database.impressionStore()), mail: try NoticeMail(settings.mail, site: catalog.manifest.site), database: database,
                     feedback: database.feedbackStore(), secret: secret)
    }

    /// Files the server keeps that must never be answered over HTTP.
    static func secretPaths(_ settings: ServerSettings) -> [String] {
        let database = settings.localFileBase
        return [database, database + "-wal", database + "-shm", database + "-journal", settings.receiptKeyPath, settings.secretPath,
                settings.checkpointPath, settings.checkpointNotesPath, ReceiptKeyring.path(forPrivateKey: settings.receiptKeyPath),
                ReceiptKeyLock.path(forKey: settings.receiptKeyPath), settings.shownNoticesPath,
                CheckpointHead.path(forLog: settings.checkpointPath)]
    }

    /// The database, its keys and its log may not live inside the served folder: a rebuild
    /// would replace them, and a path to them would be a path to the evidence and the keys.
    static func refuseSecretsInsideSite(_ settings: ServerSettings) throws {
        guard let site = SiteFolder.realPath(settings.siteDirectory) else {
            throw ServerSetupError("\(settings.siteDirectory): the site folder cannot be read (\(String(cString: strerror(errno)))); run 'redline build' first, or pass --site")
        }
        for path in [settings.localFileBase, settings.receiptKeyPath, settings.secretPath, settings.checkpointPath, settings.checkpointNotesPath] {
            let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
            let folder = SiteFolder.realPath((absolute as NSString).deletingLastPathComponent) ?? (absolute as NSString).deletingLastPathComponent
            if folder == site || folder.hasPrefix(site + "/") {
                throw ServerSetupError("\(path) is inside the site folder \(settings.siteDirectory): it would be served; keep the database and keys elsewhere")
            }
        }
    }

    public static func make(_ settings: ServerSettings, parts: Parts, logger: Logger) throws -> some ApplicationProtocol {
        let router = Router(context: ServerContext.self)
        // First: everything after it (rate limits, address retention) sees the real client.
        router.add(middleware: ForwardedMiddleware(proxies: settings.trustedProxies))
        router.add(middleware: MetricsMiddleware(metrics: parts.metrics))
        router.add(middleware: SecurityHeadersMiddleware(catalog: parts.catalog))
        router.add(middleware: RequestPathMiddleware())
        router.add(middleware: NotFoundPageMiddleware(site: parts.site))
        router.add(middleware: APIMiddleware(catalog: parts.catalog,
                                             limiter: RateLimiter(perMinute: settings.rateLimitPerMinute, burst: settings.rateLimitBurst),
                                             metrics: parts.metrics))
        router.add(middleware: MarkdownTwinMiddleware(site: parts.site))
        router.add(middleware: PrecompressedFileMiddleware(site: parts.site))
        router.add(middleware: FileMiddleware(fileProvider: parts.site, cacheControl: cacheControl, searchForIndexHtml: true)
            .withAdditionalMediaTypes(forFileExtensions: textTypes))
        addRoutes(to: router, settings: settings, parts: parts, logger: logger)

        let connections = ConnectionRegistry(capacity: ConnectionRegistry.capacity(configured: settings.maxConnections))
        let idleTimeout = TimeAmount.nanoseconds(Int64(settings.idleTimeout.components.seconds) * 1_000_000_000
                                                 + settings.idleTimeout.components.attoseconds / 1_000_000_000)
        var services: [any Service] = [
            CheckpointService(keeper: parts.checkpoints, log: parts.log, interval: settings.checkpointInterval, logger: logger),
            GroupCommitService(writer: parts.writer, logger: logger),
            ImpressionFlushService(tally: parts.impressions, interval: .seconds(1), logger: logger),
            ManifestWatcher(catalog: parts.catalog, notices: parts.shownNotices, clock: settings.clock, interval: settings.manifestPollInterval, metrics: parts.metrics, logger: logger),
            NoticeService(catalog: parts.catalog, store: parts.notices, interval: settings.manifestPollInterval, logger: logger,
                          clock: settings.clock),
            DeliveryWorker(store: parts.notices, transport: parts.mail.transport, composer: parts.composer,
                           settings: settings.delivery, metrics: parts.metrics, logger: logger,
                           evidence: NoticeEvidenceRecorder(consents: parts.store, secret: parts.secret, siteDirectory: settings.siteDirectory)),
        ]
        if let witnesses = parts.witnesses {
            services.append(WitnessService(keeper: parts.log, client: witnesses, interval: settings.checkpointInterval, logger: logger))
        }
        return Application(
            responder: HeadResponder(inner: router.buildResponder()),
            server: .http1(configuration: .init(additionalChannelHandlers: [ConnectionLimitHandler(registry: connections)],
                                                idleTimeout: idleTimeout)),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "redline"),
            services: services,
            onServerRunning: { channel in
                logger.info("serving", metadata: ["site": "\(settings.siteDirectory)", "db": "\(settings.databaseDescription)",
                                                  "url": "http://\(settings.host):\(channel.localAddress?.port ?? settings.port)/",
                                                  "notices": "\(parts.mail.transport.description)", "connections": "\(connections.capacity)"])
            },
            logger: logger)
    }

    /// The APIs and the server's own pages, after the middleware and before the site's files.
    private static func addRoutes(to router: Router<ServerContext>, settings: ServerSettings, parts: Parts, logger: Logger) {
        let addressKey = parts.secret
        ConsentRoutes(catalog: parts.catalog, store: parts.store, writer: parts.writer, metrics: parts.metrics,
                      retention: settings.addressRetention, addressKey: addressKey, notices: parts.shownNotices,
                      clock: settings.clock).add(to: router)
        ServiceRoutes(catalog: parts.catalog, signer: parts.signer, keyring: parts.keyring, checkpoints: parts.checkpoints,
                      metrics: parts.metrics, store: parts.store).add(to: router)
        LogRoutes(keeper: parts.log, store: parts.store, signer: parts.signer).add(to: router)
        AdminRoutes(catalog: parts.catalog, store: parts.notices, consents: parts.store, composer: parts.composer, transport: parts.mail.transport,
                    clock: settings.clock, impressions: parts.impressions).add(to: router)
        ImpressionRoutes(catalog: parts.catalog, notices: parts.shownNotices, tally: parts.impressions, clock: settings.clock).add(to: router)
        AdminPage().add(to: router)
        FeedbackRoutes(catalog: parts.catalog, store: parts.feedback, authentication: AdminAuthMiddleware(store: parts.notices),
                       clock: settings.clock).add(to: router)
        UnsubscribeRoutes(catalog: parts.catalog, store: parts.notices, links: { UnsubscribeLinks(secret: addressKey, baseURL: $0) },
                          logger: logger).add(to: router)
    }

    /// Everything the build writes is UTF-8; saying so stops browsers guessing.
    static let textTypes: [String: MediaType] = [
        "html": MediaType(type: .text, subType: "html", parameter: ("charset", "utf-8")),
        "css": MediaType(type: .text, subType: "css", parameter: ("charset", "utf-8")),
        "js": MediaType(type: .text, subType: "javascript", parameter: ("charset", "utf-8")),
        "json": MediaType(type: .application, subType: "json", parameter: ("charset", "utf-8")),
        "xml": MediaType(type: .application, subType: "xml", parameter: ("charset", "utf-8")),
        "txt": MediaType(type: .text, subType: "plain", parameter: ("charset", "utf-8")),
        "md": MediaType(type: .text, subType: "markdown", parameter: ("charset", "utf-8")),
    ]

    /// Pages revalidate with their ETag on every visit, so a rebuild shows at once; a 304 costs almost nothing.
    static let cacheControl = CacheControl([
        (MediaType(type: .any), [.noCache]),
    ])
}
