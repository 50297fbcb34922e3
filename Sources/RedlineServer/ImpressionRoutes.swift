import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RedlineConsent
import RedlineManifest

/// `POST /api/v1/consent/impressions`: the banner says it was shown. The body names only the
/// banner text's version; the server adds the day, the region a trusted proxy gave and the mode
/// that applies there, and counts one impression under those four. Nothing about the visitor is
/// kept (no identifier, cookie, address or user agent), and a refused beacon counts nothing.
struct ImpressionRoutes: Sendable {
    /// `{"notice": "<16 hex>"}` is 31 bytes; the rest is room for spaces, never for payloads.
    static let maxBodyBytes = 512

    let catalog: SiteCatalog
    let notices: ShownNotices
    let tally: ImpressionTally
    var clock = ServerClock.system

    func add(to router: Router<ServerContext>) {
        router.post("/api/v1/consent/impressions") { request, context in try await impression(request, context: context) }
    }

    func impression(_ request: Request, context: ServerContext) async throws -> Response {
        let version = try Self.noticeVersion(try await Self.readBody(request))
        let now = clock.now()
        guard notices.isShown(version: version, now: now) else {
            throw APIError.validation([FieldProblem(field: "notice", message: "is not a banner version this site shows or showed in the last "
                                                    + "\(Int(notices.grace / 3600)) hours; send the notice.version of consent/config.json")])
        }
        let jurisdiction = VisitorRegion.of(request, context: context, consent: catalog.manifest.consent)
        // The clock's UTC day, as a consent record's `occurredAt` is stamped: impressions and the
        // decisions that answer them fall on the same day in the statistics.
        tally.count(ImpressionKey(day: UTCTime.day(now), region: jurisdiction.region ?? "", mode: jurisdiction.mode, notice: version))
        return Response(status: .noContent, headers: [.cacheControl: "no-store"])
    }

    /// The body, refused before it is parsed when it is too large (413) or of a type a beacon
    /// does not send (415). `navigator.sendBeacon` sends a Blob's type, `text/plain` for a string,
    /// and none at all for some bodies: all three are taken.
    static func readBody(_ request: Request) async throws -> JSONValue {
        try RequestBody.refuseDeclaredLength(of: request, over: maxBodyBytes, tooLarge: tooLarge)
        if let type = request.headers[.contentType], !APIMiddleware.isJSON(contentType: type), !isPlainText(type) {
            throw APIError(.unsupportedMediaType, code: "unsupported_media_type", message: "Send the body as application/json or text/plain.")
        }
        return try RequestBody.json(try await RequestBody.collect(request, maxBytes: maxBodyBytes, tooLarge: tooLarge))
    }

    /// The one field a beacon has: a banner version as `consent/config.json` writes it.
    static func noticeVersion(_ body: JSONValue) throws -> String {
        guard case let .object(object) = body else {
            throw APIError.validation([FieldProblem(field: "body", message: "must be an object with 'notice'")])
        }
        var problems = ProblemList()
        let version = problems.string(object, "notice", maxLength: 64, pattern: { $0.allSatisfy(\.isHexDigit) },
                                      patternMessage: "must be the banner's version, in hexadecimal")
        for key in object.keys.sorted() where key != "notice" { problems.add(key, "is not a field of an impression") }
        guard problems.isEmpty, let version else { throw APIError.validation(problems.items) }
        return version
    }

    static func isPlainText(_ contentType: String) -> Bool {
        let mediaType = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return mediaType.trimmingCharacters(in: .whitespaces).lowercased() == "text/plain"
    }

    static let tooLarge = APIError(.contentTooLarge, code: "body_too_large", message: "An impression is at most \(maxBodyBytes) bytes.")
}
