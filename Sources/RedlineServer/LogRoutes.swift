import Foundation
import Hummingbird
import NIOCore
import RedlineConsent
import RedlineTransparency

/// The consent log as a transparency log: its newest C2SP checkpoint, its key, consistency
/// proofs between sizes, and each receipt as a tlog-proof that verifies with nothing else.
/// Nothing here is secret: proofs are hashes, and a record's leaf holds no personal field.
struct LogRoutes {
    let keeper: LogKeeper
    let store: any ConsentStore
    let signer: ReceiptSigner

    func add(to router: Router<ServerContext>) {
        router.get("/api/v1/log/checkpoint") { _, _ -> Response in
            guard let checkpoint = await keeper.latest else { throw APIError.notFound("No checkpoint yet: no consent has been recorded.") }
            return Self.text(checkpoint.text)
        }
        router.get("/api/v1/log/key") { _, _ in
            Self.text(try signer.logVerifier(origin: keeper.log.origin).vkey + "\n")
        }
        router.get("/api/v1/log/consistency") { request, _ in try await consistency(request) }
        router.get("/api/v1/consent/receipts/:receiptId/proof") { _, context -> Response in
            let receiptId = try context.parameters.require("receiptId")
            guard let row = try await store.storedRow(recordId: receiptId) else {
                throw APIError.notFound("No consent record has receipt id \(receiptId).")
            }
            guard let proof = await keeper.proof(of: row) else {
                throw APIError.notFound("Record \(row.sequence) is not covered by a checkpoint yet; one is signed within seconds. Try again shortly.")
            }
            return Self.text(proof.text)
        }
    }

    /// `?old=A&size=B`: the RFC 6962 consistency proof, one base64 hash a line.
    private func consistency(_ request: Request) async throws -> Response {
        guard let old = request.uri.queryParameters.get("old", as: Int.self), let size = request.uri.queryParameters.get("size", as: Int.self),
              old >= 0, old <= size else {
            throw APIError.badRequest("Give two tree sizes, ?old=A&size=B with 0 ≤ A ≤ B.")
        }
        let log = keeper.log
        _ = try await log.catchUp()
        guard size <= (await log.size) else { throw APIError.notFound("The log has \(await log.size) entries, not \(size).") }
        let proof = await log.consistencyProof(old: old, size: size)
        return Self.text(proof.map { $0.base64 + "\n" }.joined())
    }

    static func text(_ body: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
