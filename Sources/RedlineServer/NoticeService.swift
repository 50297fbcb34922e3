import Logging
import RedlineConsent
import RedlineManifest
import ServiceLifecycle

/// Watches the manifest for versions the server has not seen and creates their campaigns.
/// The first time it runs against a database, every version already published is history.
struct NoticeService: Service {
    let catalog: SiteCatalog
    let store: SQLiteNoticeStore
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var noted: Manifest?
            while !Task.isCancelled {
                let manifest = catalog.manifest
                if manifest != noted {
                    do {
                        for campaign in try await store.noteVersions(NoticePlanner.sightings(manifest)) {
                            logger.notice("campaign created for a new material version", metadata: [
                                "campaign": "\(campaign.id)", "document": "\(campaign.document)", "version": "\(campaign.version)",
                                "recipients": "\(campaign.recipients)"])
                        }
                        noted = manifest
                    } catch is CancellationError {
                        break
                    } catch {
                        logger.error("could not note the manifest's versions; trying again", metadata: ["error": "\(error)"])
                    }
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
