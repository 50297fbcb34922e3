import Foundation
import RedlineConsent
import RedlineNotices
import RedlineManifest

/// Which versions of the manifest are announced by e-mail: material versions that change an
/// earlier version. A document's first version and editorial versions never are.
public enum NoticePlanner {
    public enum Refusal: Error, Equatable {
        case unknownDocument(String)
        case unknownVersion(String, String)
        case firstVersion(String, String)
        case editorial(String, String)
        case inForce(String, String)

        public var message: String {
            switch self {
            case let .unknownDocument(document): return "There is no document '\(document)' in the published site."
            case let .unknownVersion(document, version): return "Document '\(document)' has no version '\(version)'."
            case let .firstVersion(document, version):
                return "Version \(version) is the first version of '\(document)'; there is no change to announce."
            case let .editorial(document, version):
                return "Version \(version) of '\(document)' is editorial, not material; editorial versions are never announced."
            case let .inForce(document, version):
                return "Version \(version) of '\(document)' is already in force, so a notice now would announce a change after the fact "
                    + "(pass --force to send it all the same)."
            }
        }
    }

    /// Every version in the manifest, with the campaign it calls for if any.
    public static func sightings(_ manifest: Manifest) -> [VersionSighting] {
        manifest.documents.flatMap { document in
            document.versions.map { version in
                VersionSighting(document: document.id, version: version.effective,
                                campaign: try? draft(manifest, document: document.id, version: version.effective).get())
            }
        }
    }

    /// A campaign asked for by hand: as ``draft(_:document:version:)``, and refused for a version
    /// already in force on `now` (by the server's rule) unless `force`.
    public static func manualDraft(_ manifest: Manifest, document id: String, version: String, now: Date, force: Bool) -> Result<CampaignDraft, Refusal> {
        let planned = draft(manifest, document: id, version: version)
        guard !force, case .success = planned, let entry = manifest.document(id)?.versions.first(where: { $0.effective == version }),
              ConsentPolicy(manifest: manifest, now: now).isInForce(entry) else { return planned }
        return .failure(.inForce(id, version))
    }

    public static func draft(_ manifest: Manifest, document id: String, version: String) -> Result<CampaignDraft, Refusal> {
        guard let document = manifest.documents.first(where: { $0.id == id }) else { return .failure(.unknownDocument(id)) }
        guard let entry = document.versions.first(where: { $0.effective == version }) else { return .failure(.unknownVersion(id, version)) }
        guard document.versions.contains(where: { $0.effective < version }) else { return .failure(.firstVersion(id, version)) }
        guard entry.material else { return .failure(.editorial(id, version)) }
        return .success(CampaignDraft(
            document: id, version: version, siteTitle: manifest.site.title, documentTitle: entry.title, effective: entry.effective,
            summary: entry.summary ?? "", changesUrl: entry.changesUrl ?? entry.url, versionUrl: entry.url))
    }
}
