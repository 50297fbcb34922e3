import Foundation
import Logging
import RedlineTransparency
import RedlineWitness
import ServiceLifecycle

/// Has each new log checkpoint cosigned by the witnesses, on its own loop: a slow or absent
/// witness delays cosignatures, never a consent. A checkpoint that has not yet been cosigned
/// by every witness is offered again each round until a newer one replaces it.
struct WitnessService: Service {
    let keeper: LogKeeper
    let client: WitnessClient
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await round()
                try? await Task.sleep(for: interval)
            }
        }
    }

    private func round() async {
        guard let checkpoint = await keeper.latest, await keeper.cosignerCount(checkpoint) < client.urls.count else { return }
        let log = keeper.log
        let started = ContinuousClock.now
        // The client asks only for sizes up to the checkpoint's, which the tree has.
        let signatures = await client.cosign(checkpoint) { old in await log.consistencyProof(old: old, size: checkpoint.size) }
        guard !signatures.isEmpty else { return }
        let elapsed = ContinuousClock.now - started
        do {
            try await keeper.add(signatures, to: checkpoint)
            logger.debug("log checkpoint cosigned", metadata: ["size": "\(checkpoint.size)", "cosignatures": "\(signatures.count)", "took": "\(elapsed)"])
        } catch {
            logger.error("could not record cosignatures; asking again", metadata: ["error": "\(error)"])
        }
    }
}
