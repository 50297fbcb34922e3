import Foundation
import RedlineConsent
import RedlineManifest

/// Which versions of the manifest are announced by e-mail: material versions that change an
/// earlier version, by a required notice; editorial versions only when site.yaml offers optional
/// notices (`notices.editorial: optional`). A document's first version never is.
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
                return "Version \(version) of '\(document)' is editorial, not material; editorial versions are not announced "
                    + "unless site.yaml sets 'notices: editorial: optional'."
            case let .inForce(document, version):
                return "Version \(version) of '\(document)' is already in force, so a notice now would announce a change after the fact "
                    + "(pass --force to send it all the same)."
            }
        }
    }

    /// Every version in the manifest, classified by the timeline: the campaign it calls for if
    /// any, and whether it is history should this be the store's first look at a site.
    public static func sightings(_ manifest: Manifest, today: Day) -> [VersionSighting] {
        manifest.documents.flatMap { document in
            let timeline = document.timeline
            return document.versions.map { version in
                VersionSighting(document: document.id, version: version.effective.description,
                                campaign: try? draft(manifest, document: document.id, version: version.effective.description).get(),
                                historyAtFirstStart: timeline.isHistoryAtFirstStart(version.effective, on: today))
            }
        }
    }

    /// A campaign asked for by hand: as ``draft(_:document:version:)``, and a required notice is
    /// refused for a version already in force on `today` (the server's one today, ``ServerClock``)
    /// unless `force`. An optional one owes no notice period: it may tell of a change in force.
    public static func manualDraft(_ manifest: Manifest, document id: String, version: String, today: Day, force: Bool) -> Result<CampaignDraft, Refusal> {
        let planned = draft(manifest, document: id, version: version)
        guard !force, case let .success(campaign) = planned, !campaign.optional, let document = manifest.document(id), let day = Day(version),
              document.timeline.hasTakenEffect(day, on: today) else { return planned }
        return .failure(.inForce(id, version))
    }

    public static func draft(_ manifest: Manifest, document id: String, version: String) -> Result<CampaignDraft, Refusal> {
        guard let document = manifest.documents.first(where: { $0.id == id }) else { return .failure(.unknownDocument(id)) }
        guard let day = Day(version), let entry = document.version(day) else { return .failure(.unknownVersion(id, version)) }
        let timeline = document.timeline
        guard !timeline.isFirst(day) else { return .failure(.firstVersion(id, version)) }
        guard let notice = timeline.notice(of: day, optionalEditorial: manifest.site.notices?.editorial == .optional) else {
            return .failure(.editorial(id, version))
        }
        return .success(CampaignDraft(
            document: id, version: version, siteTitle: manifest.site.title, documentTitle: entry.title, effective: entry.effective.description,
            summary: entry.summary ?? "", changesUrl: entry.changesUrl ?? entry.url, versionUrl: entry.url,
            translations: entry.translations, optional: notice == .optional))
    }
}
