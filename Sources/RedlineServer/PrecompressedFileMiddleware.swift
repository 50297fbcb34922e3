import Foundation
import HTTPTypes
import Hummingbird

/// Sends `file.gz` in place of `file` to browsers that accept gzip, when the build wrote one
/// (the search index): a search then transfers a quarter of the bytes, and the server spends
/// no CPU compressing. Everything else falls through to the file middleware.
struct PrecompressedFileMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let site: SiteFolder

    static let mediaTypes = ["json": "application/json; charset=utf-8", "js": "text/javascript; charset=utf-8",
                             "css": "text/css; charset=utf-8"]

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        guard request.method == .get || request.method == .head,
              let path = Self.safePath(request.uri.path),
              let mediaType = Self.mediaTypes[String(path.split(separator: ".").last ?? "")],
              let file = site.open(path + ".gz"), !file.isFolder
        else { return try await next(request, context) }
        guard Self.acceptsGzip(request.headers[.acceptEncoding]) else {
            var response = try await next(request, context)
            response.headers[.vary] = "Accept-Encoding"
            return response
        }
        let size = file.size
        let modified = Int(file.modificationDate.timeIntervalSince1970 * 1000)
        let etag = "\"gz-\(size)-\(modified)\""
        var headers: HTTPFields = [.contentType: mediaType, .contentEncoding: "gzip", .vary: "Accept-Encoding",
                                   .cacheControl: "no-cache", .eTag: etag]
        if HTTPNegotiation.isFresh(request, etag: etag) {
            return Response(status: .notModified, headers: headers)
        }
        guard let data = file.read(offset: 0, count: size) else { return try await next(request, context) }
        headers[.contentLength] = String(data.readableBytes)
        return Response(status: .ok, headers: headers, body: request.method == .head ? .init() : .init(byteBuffer: data))
    }

    /// The path if it can only name a file inside the site: plain characters, no `..`, no `.gz` of its own.
    static func safePath(_ path: String) -> String? {
        guard path.hasPrefix("/"), !path.hasSuffix(".gz"), !path.contains(".."),
              path.utf8.allSatisfy({ byte in
                  (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || "/_.-".utf8.contains(byte)
              })
        else { return nil }
        return path
    }

    /// True unless gzip is absent or refused with `q=0`.
    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        for (coding, quality) in HTTPNegotiation.qualities(header) where coding == "gzip" || coding == "*" {
            if coding == "gzip" { return quality > 0 }
            if quality > 0 { return true }
        }
        return false
    }
}
