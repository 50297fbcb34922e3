import Foundation
import Logging
import ServiceLifecycle

/// Re-reads manifest.json when a new build replaces it, so a deploy needs no restart.
struct ManifestWatcher: Service {
    let catalog: SiteCatalog
    let interval: Duration
    let metrics: ServerMetrics
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                if catalog.reloadIfChanged(logger: logger) != nil { metrics.manifestReloaded() }
            }
        }
    }
}
