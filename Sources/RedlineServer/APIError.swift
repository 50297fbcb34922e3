import Foundation
import Hummingbird
import RedlineConsent

/// Every API failure, answered as `{"error": {"code", "message", "details"}}`. Messages
/// are written for the client; internal errors are logged and never echoed.
public struct APIError: HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String
    public let details: [FieldProblem]
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, code: String, message: String, details: [FieldProblem] = [], headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = try encoder.encode(Envelope(error: .init(code: code, message: message, details: details)))
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    private struct Envelope: Encodable {
        struct Body: Encodable {
            let code: String
            let message: String
            let details: [FieldProblem]
        }
        let error: Body
    }

    static func malformedJSON(_ reason: String) -> APIError {
        APIError(.badRequest, code: "malformed_json", message: "The body is not valid JSON: \(reason)")
    }

    static let bodyTooLarge = APIError(.contentTooLarge, code: "body_too_large",
                                       message: "The body is larger than \(ConsentRoutes.maxBodyBytes) bytes.")

    static func validation(_ problems: [FieldProblem]) -> APIError {
        APIError(.unprocessableContent, code: "validation_failed",
                 message: "The request has \(problems.count) problem\(problems.count == 1 ? "" : "s"); see details.", details: problems)
    }

    static func badRequest(_ what: String) -> APIError {
        APIError(.badRequest, code: "bad_request", message: what)
    }

    static func notFound(_ what: String) -> APIError {
        APIError(.notFound, code: "not_found", message: what)
    }

    /// The database did not answer in time. A write may or may not have been committed, so the
    /// client is told to retry with the same idempotency key, which makes a retry safe either way.
    static let databaseUnavailable = APIError(.serviceUnavailable, code: "database_unavailable",
                                              message: "The database is not answering; the decision may not be recorded. Send it again shortly with the same idempotencyKey.",
                                              headers: [.retryAfter: "5"])

    static let internalError = APIError(.internalServerError, code: "internal_error",
                                        message: "Something went wrong on our side; nothing was recorded. Try again.")
}
