import Foundation
import RedlineConsent
import RedlineManifest
import Synchronization

/// The banner texts a reader can have been shown, so a consent record can only claim one of
/// them: the built site's, those of its as-of variants (the pages served from a coming day on),
/// and, for a grace period after a rebuild replaced them, the earlier ones that a page or
/// `consent/config.json` cached in a browser may still show. The replaced ones are kept in a
/// file beside the database, so a restart within the grace period remembers them.
public final class ShownNotices: Sendable {
    struct Entry: Codable, Equatable {
        var locales: [String]?
        /// When a build stopped showing it; nil while the site shows it.
        var retiredAt: Date?
    }

    private let entries: Mutex<[String: Entry]>
    private let path: String?
    let grace: TimeInterval

    /// - Parameters:
    ///   - path: where replaced banner versions are remembered; nil keeps them in memory only.
    ///   - grace: how long a replaced banner version is still accepted.
    public init(path: String?, grace: TimeInterval) {
        self.path = path
        self.grace = grace
        let saved = path.flatMap { FileManager.default.contents(atPath: $0) }.flatMap { try? Self.decoder.decode([String: Entry].self, from: $0) }
        entries = Mutex(saved ?? [:])
    }

    /// Takes the banner versions `catalog` shows now; those it no longer shows start their grace period.
    public func update(from catalog: SiteCatalog, now: Date) {
        let shown = Dictionary(catalog.bannerNotices().map { ($0.version, $0.locales) }, uniquingKeysWith: { first, _ in first })
        let changed = entries.withLock { entries -> [String: Entry]? in
            var next = entries
            for (version, entry) in entries where shown[version] == nil && entry.retiredAt == nil {
                next[version]?.retiredAt = now
            }
            for (version, locales) in shown { next[version] = Entry(locales: locales, retiredAt: nil) }
            // Versions past their grace period are forgotten: the file stays small.
            next = next.filter { $0.value.retiredAt.map { now.timeIntervalSince($0) <= grace } ?? true }
            guard next != entries else { return nil }
            entries = next
            return next
        }
        if let changed, let path, let data = try? Self.encoder.encode(changed) {
            try? SecureFile.replace(path, with: data, permissions: 0o600)
        }
    }

    /// Why a record may not name this banner, or nil when a reader can have been shown it.
    public func problem(version: String, locale: String, now: Date) -> (field: String, message: String)? {
        guard let entry = entries.withLock({ $0[version] }),
              entry.retiredAt.map({ now.timeIntervalSince($0) <= grace }) ?? true else {
            return ("notice.version", "is not a banner version this site shows or showed in the last \(Int(grace / 3600)) hours; "
                        + "send the notice.version of the consent/config.json the reader was shown")
        }
        guard Manifest.Notice(version: version, locale: locale, locales: entry.locales).isShown(in: locale) else {
            return ("notice.locale", "the banner \(version) is not shown in '\(locale)'; it is shown in \((entry.locales ?? []).joined(separator: ", "))")
        }
        return nil
    }

    /// Whether a reader can have been shown banner `version`, in any of its languages: what an
    /// impression beacon, which names no locale, may claim.
    public func isShown(version: String, now: Date) -> Bool {
        guard let entry = entries.withLock({ $0[version] }) else { return false }
        return entry.retiredAt.map { now.timeIntervalSince($0) <= grace } ?? true
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}

extension SiteCatalog {
    /// The banners the built site shows: its own, and each as-of variant's.
    func bannerNotices() -> [Manifest.Notice] {
        let manifest = manifest
        let own = (manifest.consent ?? ConsentPolicy.defaultConsent(for: manifest)).notice
        let variants = (manifest.asOf ?? []).compactMap { day -> Manifest.Notice? in
            let path = "\(siteDirectory)/\(Manifest.asOfFolder)/\(day)/\(Manifest.fileName)"
            return FileManager.default.contents(atPath: path).flatMap { try? Manifest.decode($0) }?.consent?.notice
        }
        return [own] + variants
    }
}
