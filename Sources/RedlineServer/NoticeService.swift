import Foundation
import Logging
import RedlineConsent
import RedlineNotices
import RedlineManifest
import ServiceLifecycle

/// Watches the manifest for versions the server has not seen and creates their campaigns.
/// The first time it runs against a database, every version already published is history.
struct NoticeService: Service {
    let catalog: SiteCatalog
    let store: any NoticeStore
    let interval: Duration
    let logger: Logger
    /// Which versions are upcoming at first start: by the server's one today.
    let clock: ServerClock

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var noted: Manifest?
            while !Task.isCancelled {
                let manifest = catalog.manifest
                if manifest != noted {
                    do {
                        let today = clock.today(for: manifest)
                        let noting = try await store.noteVersions(NoticePlanner.sightings(manifest, today: today),
                                                                  automatic: manifest.site.notices?.automatic ?? false)
                        if noting.firstStart {
                            logger.notice("first start: versions already in force are taken as history, upcoming material versions are announced",
                                          metadata: ["history": "\(noting.history)", "announced": "\(noting.created.count)"])
                        }
                        for campaign in noting.created {
                            logger.notice(campaign.state == .pending ? "campaign waiting for approval" : "campaign approved automatically", metadata: [
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
