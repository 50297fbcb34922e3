import Foundation
import Logging
import RedlineMail
import RedlineManifest
import RedlineNotices
import Synchronization

/// The site as the server knows it: the built site's manifest.json, swapped in whole
/// when the file changes, so a request never sees half of an old manifest and half of a new one.
public final class SiteCatalog: Sendable {
    public let siteDirectory: String
    private let state: Mutex<Snapshot>

    private struct Snapshot {
        var manifest: Manifest
        var fingerprint: FileFingerprint
    }

    /// Identifies one version of the file: a rebuild swaps the whole directory, so the
    /// inode changes even when size and time happen to match.
    struct FileFingerprint: Equatable {
        var modified: Date
        var size: Int
        var inode: Int

        init?(path: String) {
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                  let modified = attributes[.modificationDate] as? Date else { return nil }
            self.modified = modified
            size = (attributes[.size] as? NSNumber)?.intValue ?? 0
            inode = (attributes[.systemFileNumber] as? NSNumber)?.intValue ?? 0
        }
    }

    public var manifestPath: String { "\(siteDirectory)/\(Manifest.fileName)" }

    /// Loads `<siteDirectory>/manifest.json`; fails when there is none or it cannot be read.
    public init(siteDirectory: String) throws {
        self.siteDirectory = siteDirectory
        let path = "\(siteDirectory)/\(Manifest.fileName)"
        guard let fingerprint = FileFingerprint(path: path) else { throw CatalogError.missingManifest(path) }
        let manifest = try Self.read(path)
        state = Mutex(Snapshot(manifest: manifest, fingerprint: fingerprint))
    }

    public var manifest: Manifest { state.withLock { $0.manifest } }

    /// Reads the manifest again when the file changed. A broken or missing file keeps the
    /// last good manifest, so a failed deploy never takes the consent API down.
    /// - Returns: the new manifest when it changed, else nil.
    @discardableResult
    public func reloadIfChanged(logger: Logger) -> Manifest? {
        let path = manifestPath
        guard let fingerprint = FileFingerprint(path: path) else {
            logger.warning("manifest.json is missing; keeping the last one read", metadata: ["path": "\(path)"])
            return nil
        }
        guard fingerprint != state.withLock({ $0.fingerprint }) else { return nil }
        do {
            let manifest = try Self.read(path)
            state.withLock { $0 = Snapshot(manifest: manifest, fingerprint: fingerprint) }
            logger.info("manifest reloaded", metadata: ["buildDate": "\(manifest.buildDate)", "documents": "\(manifest.documents.count)"])
            return manifest
        } catch {
            logger.error("manifest.json could not be read; keeping the last one", metadata: ["error": "\(error)"])
            return nil
        }
    }

    private static func read(_ path: String) throws -> Manifest {
        guard let data = FileManager.default.contents(atPath: path) else { throw CatalogError.missingManifest(path) }
        do {
            return try Manifest.decode(data)
        } catch {
            throw CatalogError.invalidManifest(path, "\(error)")
        }
    }
}

public enum CatalogError: Error, CustomStringConvertible {
    case missingManifest(String)
    case invalidManifest(String, String)

    public var description: String {
        switch self {
        case let .missingManifest(path): return "\(path) not found: run 'redline build' first, or pass --site"
        case let .invalidManifest(path, reason): return "\(path) is not a Redline manifest: \(reason)"
        }
    }
}

extension NoticeComposer {
    /// A composer for the site being served: it reads the manifest of the latest build.
    public init(templates: NoticeTemplates, from: MailAddress, catalog: SiteCatalog, unsubscribeSecret: Data) {
        self.init(templates: templates, from: from, manifest: { catalog.manifest }, unsubscribeSecret: unsubscribeSecret)
    }
}
