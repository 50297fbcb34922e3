import Hummingbird
import NIOCore

/// Reading a JSON request body, the one way every public endpoint does it: refused before a byte
/// is read when its Content-Length is over the limit (413), refused when more than that arrives
/// anyway, and a parse error as a 400 that names the byte.
enum RequestBody {
    static func refuseDeclaredLength(of request: Request, over maxBytes: Int, tooLarge: APIError) throws {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBytes { throw tooLarge }
    }

    /// 415 unless the body is declared as `application/json`.
    static func requireJSONType(_ request: Request) throws {
        guard APIMiddleware.isJSON(contentType: request.headers[.contentType]) else {
            throw APIError(.unsupportedMediaType, code: "unsupported_media_type", message: "Send the body as application/json.")
        }
    }

    static func collect(_ request: Request, maxBytes: Int, tooLarge: APIError) async throws -> ByteBuffer {
        do {
            return try await request.body.collect(upTo: maxBytes)
        } catch is NIOTooManyBytesError {
            throw tooLarge
        }
    }

    static func json(_ buffer: ByteBuffer) throws -> JSONValue {
        do {
            return try JSONParser.parse(Array(buffer.readableBytesView))
        } catch {
            throw APIError.malformedJSON(error.message)
        }
    }
}
