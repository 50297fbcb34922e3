import ArgumentParser
import Foundation
import RedlineConsent
import RedlineContent
import RedlineManifest
import RedlineServer
import RedlineStores

/// `redline consent export`: the consent log of a period as one bundle a regulator can check offline.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the consent records of a period, with the chain links, policy texts and keys that prove them, to one bundle (ZIP).",
        discussion: """
            The bundle holds records.jsonl (every field; erased subjects as erased), chain.jsonl (every link from the \
            period's first record to its last), policies/<id>/<version>.html (the exact text of every version the records \
            name, checked against their SHA-256), receipt-keys.json, and bundle.json signed by the receipt key in \
            bundle.sig. Check it anywhere with: redline consent verify --bundle FILE. Reads the database, never writes it.
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(help: ArgumentHelp("First day of the period, YYYY-MM-DD (UTC), included.", valueName: "DATE"))
    var from: String

    @Option(help: ArgumentHelp("Last day of the period, YYYY-MM-DD (UTC), included.", valueName: "DATE"))
    var to: String

    @Option(help: "Where to write the bundle.")
    var out: String

    @Option(help: "The built site the server served: policy texts are read from it. [REDLINE_SITE, default: public]")
    var site: String?

    @Option(help: "The receipt private key, which seals the bundle; its public keys (FILE.pub) go into it. [default: beside the database]")
    var receiptKey: String?

    @Option(help: "bundle (a ZIP a regulator checks with consent verify --bundle) or iso27560 (ISO/IEC TS 27560 consent records and receipts in W3C DPV, JSON-LD). [default: bundle]")
    var format = "bundle"

    func validate() throws {
        guard ["bundle", "iso27560"].contains(format) else { throw ValidationError("--format must be bundle or iso27560, not '\(format)'") }
        for (name, day) in [("--from", from), ("--to", to)] where !UTCTime.isDay(day) {
            throw ValidationError("\(name) '\(day)' is not a date such as 2026-11-01")
        }
        guard from <= to else { throw ValidationError("--from \(from) is after --to \(to)") }
    }

    func run() async throws {
        let settings = try await database.settings(site: self.site)
        let (db, site) = (settings.databasePath, settings.siteDirectory)
        let keyPath = receiptKey ?? settings.receiptKeyPath
        try await Console.reportingErrors(exitStatus: 1) {
            // Before anything is read: the bundle replaces whatever --out names.
            try OutputPaths.refuse(out, option: "--out", overwriting: OutputPaths.sqliteFiles(db, what: "the consent database")
                + [(keyPath, "the receipt key"), (ReceiptKeyring.path(forPrivateKey: keyPath), "the receipt keyring"),
                   (settings.checkpointPath, "the checkpoint log")])
            guard FileManager.default.fileExists(atPath: keyPath) else {
                throw EvidenceBundle.ExportError(description: "\(keyPath): no receipt key; pass the one redline serve signs with (--receipt-key)")
            }
            let signer = try ReceiptSigner.load(at: keyPath)
            let keyring = try ReceiptKeyring.read(ReceiptKeyring.path(forPrivateKey: keyPath))
            let rows = try await StoreDatabase.readEvidence(db, timeouts: settings.databaseTimeouts)
            try Self.refuseBrokenLog(rows, keyring: keyring, checkpointLog: settings.checkpointPath, shownAs: StoreDatabase.redacting(db))
            if format == "iso27560" { return try writeISO27560(rows, site: site) }
            let siteRoot = URL(fileURLWithPath: site).standardizedFileURL.path
            let description = try EvidenceBundle.write(rows: rows, from: from, to: to, keyring: keyring, signer: signer, policyText: { id, version in
                // Only names that are a path segment each: a record cannot send the export outside the site.
                guard Self.isSegment(id), Self.isSegment(version) else { return nil }
                // Nor can a symlink in the site: a text read from elsewhere is no text the site served.
                let file = "\(siteRoot)/\(id)/\(version)/text.txt"
                guard SymlinkAudit.outside(file, of: siteRoot) == nil else { return nil }
                return FileManager.default.contents(atPath: file)
            }, output: out)
            try Self.verifyWritten(out, keyring: keyring)
            let range = description.firstSequence.map { "records \($0) to \(description.lastSequence!)" } ?? "no records"
            print("\(out): \(Console.count(description.records, "consent record")) from \(from) to \(to) (chain \(range)), "
                  + "\(Console.count(description.files.keys.filter { $0.hasPrefix("policies/") }.count, "policy text")); "
                  + "check it with: redline consent verify --bundle \(out)")
        }
    }

    /// The records of the period as ISO/IEC TS 27560 records and receipts (DPV, JSON-LD), written whole or not at all.
    private func writeISO27560(_ rows: [EvidenceFile.Row], site: String) throws {
        let manifest: Manifest
        do { manifest = try SiteCatalog(siteDirectory: site).manifest } catch {
            throw EvidenceBundle.ExportError(description: "\(error); the export names the site, its categories and its policy pages (pass --site)")
        }
        let categories = manifest.consent?.categories ?? []
        let urls = Dictionary(manifest.documents.flatMap { document in document.versions.map { ("\(document.id)/\($0.effective)", $0.url) } },
                              uniquingKeysWith: { first, _ in first })
        let export = ISO27560Export.Site(title: manifest.site.title, baseURL: manifest.site.baseURL,
                                         requiredCategories: Set(categories.filter(\.required).map(\.id)),
                                         labels: Dictionary(categories.map { ($0.id, $0.label) }, uniquingKeysWith: { first, _ in first }),
                                         policyURL: { id, version in urls["\(id)/\(version)"] })
        let data = try ISO27560Export.document(rows: rows, from: from, to: to, site: export, generatedAt: UTCTime.timestamp(Date()))
        try SecureFile.replace(out, with: data, permissions: 0o644)
        let graph = (try? JSONSerialization.jsonObject(with: data) as? [String: Any])?["@graph"] as? [[String: Any]] ?? []
        let count = { (type: String) in graph.filter { ($0["@type"] as? String) == type }.count }
        print("\(out): \(Console.count(count("dpv:ConsentRecord"), "consent record")) and \(Console.count(count("dpv:ConsentReceipt"), "receipt")) "
              + "from \(from) to \(to), ISO/IEC TS 27560 in DPV (JSON-LD)")
    }

    /// A log that does not verify is not exported: a regulator would get evidence that fails
    /// their check, and the operator would learn it from them.
    static func refuseBrokenLog(_ rows: [EvidenceFile.Row], keyring: ReceiptKeyring, checkpointLog: String, shownAs db: String) throws {
        let report = try ChainVerifier.verify(rows, keyring: keyring, checkpointLogs: [checkpointLog])
        if let problem = report.firstProblem {
            throw EvidenceBundle.ExportError(description: "\(db): broken at \(problem); nothing exported (run redline consent verify for details)")
        }
    }

    /// Reads the bundle back as `consent verify --bundle` would; one that does not verify is removed.
    static func verifyWritten(_ path: String, keyring: ReceiptKeyring) throws {
        let report = try BundleVerifier.verify(path: path, keyring: keyring)
        if let problem = report.problem {
            try? FileManager.default.removeItem(atPath: path)
            throw EvidenceBundle.ExportError(description: "\(path): the bundle written does not verify, broken at \(problem); it was removed")
        }
    }

    static func isSegment(_ text: String) -> Bool {
        !text.isEmpty && text != "." && text != ".." && !text.contains("/") && !text.contains("\0")
    }
}

/// `redline consent stats`: the numbers of a period, from the database (read-only).
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Count the consents of a period: by day and method, each category's acceptance rate, and the share that sent GPC; "
            + "with the banner's impressions, interaction and acceptance rates by region and mode and by banner text.")

    @OptionGroup var database: DatabaseOptions

    @Option(help: ArgumentHelp("First day, YYYY-MM-DD (UTC), included. [default: 29 days before --to]", valueName: "DATE"))
    var from: String?

    @Option(help: ArgumentHelp("Last day, YYYY-MM-DD (UTC), included. [default: today]", valueName: "DATE"))
    var to: String?

    @Flag(help: "Print JSON, with the fields of GET /api/v1/admin/consent/stats.")
    var json = false

    func run() async throws {
        let to = self.to ?? UTCTime.day(Date())
        let from = self.from ?? UTCTime.day((ISO8601DateFormatter().date(from: to + "T00:00:00Z") ?? Date()).addingTimeInterval(-29 * 86_400))
        for (name, day) in [("--from", from), ("--to", to)] where !UTCTime.isDay(day) {
            throw ValidationError("\(name) '\(day)' is not a date such as 2026-11-01")
        }
        guard from <= to else { throw ValidationError("--from \(from) is after --to \(to)") }
        let settings = try await database.settings()
        let stats = try await Console.reportingErrors(exitStatus: 1) {
            ConsentStats.count(try await StoreDatabase.readEvidence(settings.databasePath, timeouts: settings.databaseTimeouts),
                               impressions: try await StoreDatabase.readImpressions(settings.databasePath, from: from, to: to,
                                                                                    timeouts: settings.databaseTimeouts),
                               from: from, to: to)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            print(String(decoding: try encoder.encode(stats), as: UTF8.self))
            return
        }
        print("\(Console.count(stats.total, "decision")) from \(from) to \(to)")
        printReach(stats)
        guard stats.total > 0 else { return }
        print("By method: " + stats.byMethod.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        for (name, category) in stats.categories.sorted(by: { $0.key < $1.key }) {
            print("  \(name): granted \(category.granted), denied \(category.denied) (\(Int((category.acceptanceRate * 100).rounded())) % accepted)")
        }
        print("GPC: sent by \(stats.gpc.sent) (\(Int((stats.gpc.share * 100).rounded())) %), honoured \(stats.gpc.honoured)")
        for day in stats.byDay { print("  \(day.day): \(day.total)") }
    }

    /// Impressions against decisions: in all, by region and mode, by banner text.
    private func printReach(_ stats: ConsentStats) {
        guard stats.reach.impressions > 0 || stats.total > 0 else { return }
        print("Banner shown \(Console.count(stats.reach.impressions, "time")): " + Self.rates(stats.reach))
        for reach in stats.byRegion {
            print("  region \(reach.region.flatMap { $0.isEmpty ? nil : $0 } ?? "unknown") (\(reach.mode?.rawValue ?? "")): "
                  + "\(reach.impressions) shown, " + Self.rates(reach))
        }
        for reach in stats.byNotice {
            print("  banner \(reach.notice.flatMap { $0.isEmpty ? nil : $0 } ?? "none named"): \(reach.impressions) shown, " + Self.rates(reach))
        }
    }

    static func rates(_ reach: ConsentStats.Reach) -> String {
        func percent(_ rate: Double?) -> String { rate.map { "\(Int(($0 * 100).rounded())) %" } ?? "n/a" }
        return "\(reach.decisions) decided (\(percent(reach.interactionRate))), \(reach.accepted) accepted all (\(percent(reach.acceptanceRate)))"
    }
}
