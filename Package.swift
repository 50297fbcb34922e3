// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "redline",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "redline", targets: ["redline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.60.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.19"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.27.0"),
        // Layered settings (flags over environment over a YAML or JSON file).
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.0.0", traits: [.defaults, "YAML"]),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.5.0"),
        // OpenAPI 3.0/3.1 documents for the API reference; without external loading, which we do not use and which builds slower.
        .package(url: "https://github.com/mattpolzin/OpenAPIKit.git", from: "6.4.0", traits: []),
    ],
    targets: [
        // Debian's libcmark-gfm and its extensions; pkg-config name is `libcmark-gfm`.
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        // Debian's libcurl for SMTP, opened with dlopen on first use (its headers from libcurl4-openssl-dev).
        .target(name: "CRedlineCurl"),
        // Debian's zlib, to write the search index precompressed; pkg-config name is `zlib`.
        // (Not `CZlib`: ZIPFoundation's own zlib module has that name.)
        .systemLibrary(
            name: "CRedlineZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // One system call Swift cannot make directly (renameat2 is variadic through syscall()).
        .target(name: "CRedlineSystem"),
        // Work on every core, on threads of its own (never the cooperative pool's).
        .target(name: "RedlineParallel"),
        .target(name: "RedlineMarkdown", dependencies: ["CCmarkGFM", "RedlineManifest"]),
        .target(name: "RedlineManifest"),
        .target(name: "RedlineContent", dependencies: ["Yams", "RedlineManifest", "RedlineParallel", .product(name: "Crypto", package: "swift-crypto")]),
        // The redline engine alone: alignment, word diff, sections, moves.
        .target(name: "RedlineDiff", dependencies: ["RedlineManifest", "RedlineParallel"]),
        // A redline in every form it is read in: text, JSON, Markdown, HTML, Word with tracked
        // changes (the ZIP container from ZIPFoundation) and PDF (printed by LibreOffice).
        .target(name: "RedlineOutput", dependencies: ["RedlineDiff", "RedlineMarkdown", "RedlineManifest", "ZIPFoundation"]),
        .target(name: "RedlineSearch", dependencies: ["RedlineManifest", "CRedlineZlib", .product(name: "Crypto", package: "swift-crypto")]),
        // Transparency-log primitives, free of Redline's records: the RFC 6962 Merkle tree and its
        // proofs, C2SP signed notes, checkpoints, cosignatures and tlog-proof files.
        .target(name: "RedlineTransparency", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        // Consent evidence: records, the hash chain, receipts, checkpoints, evidence bundles (ZIP), and the SQLite store of records.
        .target(
            name: "RedlineConsent",
            dependencies: [
                "RedlineManifest", "RedlineTransparency", "ZIPFoundation", "CRedlineZlib",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // A C2SP tlog-witness (`redline witness`) and the log's client of witnesses, which reaches them through libcurl.
        .target(
            name: "RedlineWitness",
            dependencies: [
                "RedlineTransparency", "RedlineConsent", "CRedlineCurl",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // API keys, users, campaigns and the outbox, and their SQLite store; which versions a campaign
        // announces, and the notice it sends (composed and mailed through RedlineMail).
        .target(
            name: "RedlineNotices",
            dependencies: [
                "RedlineConsent", "RedlineManifest", "RedlineMail",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Both stores on PostgreSQL, through postgres-nio, for several servers on one database.
        .target(
            name: "RedlinePostgres",
            dependencies: [
                "RedlineConsent", "RedlineNotices", "RedlineManifest",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Opens the stores `--db` names: a SQLite file (with its migrations) or a PostgreSQL URL.
        .target(
            name: "RedlineStores",
            dependencies: [
                "RedlineConsent", "RedlineNotices", "RedlinePostgres",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // RFC 5322 messages, change-notice templates, and the transports (SMTP, .eml files).
        .target(
            name: "RedlineMail",
            dependencies: ["CRedlineCurl", .product(name: "Mustache", package: "swift-mustache")]
        ),
        // The HTTP application: static site, consent API, metrics. Reads manifest.json, never Markdown.
        .target(
            name: "RedlineServer",
            dependencies: [
                "RedlineConsent", "RedlineNotices", "RedlineStores", "RedlineManifest", "RedlineMail", "RedlineTransparency", "RedlineWitness",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // `redline scan`: drives a served site in headless Chromium (chromedriver over WebDriver, on
        // loopback through NIO, not URLSession: the release binary has no FoundationNetworking) and
        // compares the cookies and requests it sees with the declarations.
        .target(
            name: "RedlineScan",
            dependencies: [
                "RedlineManifest",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // An OpenAPI file read, checked and resolved into what the reference pages show, and the changes between two.
        .target(
            name: "RedlineOpenAPI",
            dependencies: [
                "Yams", "RedlineContent",
                .product(name: "OpenAPIKit", package: "OpenAPIKit"),
                .product(name: "OpenAPIKit30", package: "OpenAPIKit"),
                .product(name: "OpenAPIKitCompat", package: "OpenAPIKit"),
            ]
        ),
        .target(
            name: "RedlineSite",
            dependencies: [
                "RedlineMarkdown", "RedlineContent", "RedlineDiff", "RedlineOutput", "RedlineManifest", "RedlineSearch", "RedlineParallel",
                "CRedlineSystem", "RedlineOpenAPI",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "RedlineCLI",
            dependencies: [
                "RedlineSite", "RedlineOpenAPI", "RedlineContent", "RedlineDiff", "RedlineMarkdown", "RedlineOutput", "RedlineParallel", "RedlineServer",
                "RedlineConsent", "RedlineNotices", "RedlineStores", "RedlineManifest", "RedlineScan", "RedlineTransparency", "RedlineWitness",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "SystemPackage", package: "swift-system"),
                "Yams",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(name: "redline", dependencies: ["RedlineCLI"]),

        // Temporary content folders and paths to the repository's own content and templates.
        .target(name: "RedlineTestSupport", path: "Tests/RedlineTestSupport"),
        .testTarget(name: "RedlineMarkdownTests", dependencies: ["RedlineMarkdown"]),
        .testTarget(name: "RedlineContentTests", dependencies: ["RedlineContent", "RedlineManifest", "RedlineTestSupport"]),
        .testTarget(name: "RedlineDiffTests", dependencies: ["RedlineDiff", "RedlineOutput", "RedlineTestSupport"]),
        .testTarget(name: "RedlineOutputTests", dependencies: ["RedlineOutput", "RedlineDiff", "RedlineManifest", "ZIPFoundation"]),
        .testTarget(
            name: "RedlineSiteTests",
            dependencies: ["RedlineSite", "RedlineContent", "RedlineMarkdown", "RedlineManifest", "RedlineTestSupport",
                           .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(
            name: "RedlineConsentTests",
            dependencies: ["RedlineConsent", "RedlineTestSupport", "ZIPFoundation"]
        ),
        // One suite for every store, run on SQLite and on a throwaway PostgreSQL cluster.
        .testTarget(
            name: "RedlineStoreTests",
            dependencies: ["RedlineConsent", "RedlineManifest", "RedlineNotices", "RedlinePostgres", "RedlineStores", "RedlineTestSupport",
                           "RedlineTransparency", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(
            name: "RedlineServerTests",
            dependencies: [
                "RedlineServer", "RedlineConsent", "RedlineNotices", "RedlineStores", "RedlineManifest", "RedlineMail", "RedlineTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "RedlineScanTests", dependencies: ["RedlineScan"]),
        .testTarget(name: "RedlineTransparencyTests", dependencies: ["RedlineTransparency", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "RedlineWitnessTests", dependencies: ["RedlineWitness", "RedlineTransparency", .product(name: "Crypto", package: "swift-crypto")]),
        .testTarget(name: "RedlineSearchTests", dependencies: ["RedlineSearch"]),
        .testTarget(name: "RedlineOpenAPITests", dependencies: ["RedlineOpenAPI"]),
        .testTarget(name: "RedlineMailTests", dependencies: ["RedlineMail", "RedlineTestSupport"]),
        .testTarget(name: "RedlineCLITests", dependencies: [
            "RedlineCLI", "RedlineServer", "RedlineTestSupport", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
    ]
)
