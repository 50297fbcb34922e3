import Foundation
import Hummingbird
import RedlineConsent

/// Operational endpoints: health, metrics, the receipt key and the API description.
struct ServiceRoutes: Sendable {
    let catalog: SiteCatalog
    let signer: ReceiptSigner
    let keyring: ReceiptKeyring
    let checkpoints: CheckpointKeeper
    let metrics: ServerMetrics
    let store: any ConsentStore

    func add(to router: Router<ServerContext>) {
        // Ready: the database answers a read (the manifest is loaded before the server listens:
        // it does not start without one). A proxy or an orchestrator sends traffic elsewhere
        // while it is not.
        router.get("/readyz") { _, _ in
            let headers: HTTPFields = [.contentType: "application/json", .cacheControl: "no-store"]
            do {
                try await store.checkReadable()
            } catch {
                var unready = headers
                unready[.retryAfter] = "5"
                return Response(status: .serviceUnavailable, headers: unready,
                                body: .init(byteBuffer: ByteBuffer(string: "{\"status\":\"unavailable\",\"reason\":\"the database does not answer\"}")))
            }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: "{\"status\":\"ready\"}")))
        }
        router.get("/healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                     body: .init(byteBuffer: ByteBuffer(string: "{\"status\":\"ok\"}")))
        }
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(string: metrics.render())))
        }
        router.get("/.well-known/redline-receipt-key") { _, _ in
            try ConsentRoutes.json(ReceiptKey(publicKey: signer.publicKeyBase64), status: .ok)
        }
        router.get("/.well-known/redline-receipt-keys") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-cache"],
                     body: .init(byteBuffer: ByteBuffer(bytes: keyring.json())))
        }
        router.get("/api/v1/consent/checkpoint") { _, _ in
            guard let checkpoint = await checkpoints.latest else {
                throw APIError.notFound("No checkpoint yet: no consent has been recorded.")
            }
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(bytes: checkpoint.jsonLine)))
        }
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-cache"],
                     body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
    }
}

/// How anyone can check a receipt without asking the operator.
struct ReceiptKey: Encodable {
    let algorithm = "Ed25519"
    /// Base64 of the 32-byte raw public key.
    let publicKey: String
    let signs = "the 32 bytes of a record's entryHash (hex-decoded); the signature is base64"
    let entryHash = "SHA-256 of the record's evidence as canonical JSON: keys sorted, no spaces, slashes unescaped"
}
