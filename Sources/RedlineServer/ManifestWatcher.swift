import Foundation
import Logging
import RedlineManifest
import ServiceLifecycle

/// Re-reads manifest.json when a new build replaces it, so a deploy needs no restart.
struct ManifestWatcher: Service {
    let catalog: SiteCatalog
    /// Follows each new build's banner versions.
    let notices: ShownNotices
    let clock: ServerClock
    let interval: Duration
    let metrics: ServerMetrics
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if catalog.reloadIfChanged(logger: logger) != nil {
                    notices.update(from: catalog, now: clock.now())
                    metrics.manifestReloaded()
                }
            }
        }
    }
}
