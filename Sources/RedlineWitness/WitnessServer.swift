import Foundation
import Hummingbird
import Logging
import NIOCore

/// `redline witness`'s HTTP side: `POST /add-checkpoint` as c2sp.org/tlog-witness defines it,
/// and the witness's verifier key at `GET /key` for operators setting it up.
public enum WitnessServer {
    public static func make(witness: Witness, host: String, port: Int, logger: Logger) async -> some ApplicationProtocol {
        let router = Router()
        let vkey = await witness.verifier.vkey
        router.post("/add-checkpoint") { request, _ -> Response in
            let body: ByteBuffer
            do { body = try await request.body.collect(upTo: AddCheckpointRequest.maximumSize) } catch {
                return answer(.text(413, "the request is over \(AddCheckpointRequest.maximumSize) bytes"))
            }
            return answer(await witness.addCheckpoint(String(buffer: body)))
        }
        router.get("/key") { _, _ in answer(.init(status: 200, contentType: "text/plain; charset=utf-8", body: vkey + "\n")) }
        return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "redline-witness"),
                           logger: logger)
    }

    static func answer(_ answer: Witness.Answer) -> Response {
        Response(status: .init(code: answer.status), headers: [.contentType: answer.contentType, .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(string: answer.body)))
    }
}
