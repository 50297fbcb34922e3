import HTTPTypes
import Hummingbird

/// The request headers the site's file answers negotiate on: `Accept`-style lists with qualities,
/// and `If-None-Match`. One reading of each for the gzip copies and the Markdown twins.
enum HTTPNegotiation {
    /// Each item of an `Accept` or `Accept-Encoding` value, lower-cased, with its quality (1 without `q=`).
    static func qualities(_ header: String) -> [(value: String, quality: Double)] {
        header.split(separator: ",").compactMap { item in
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let value = parts.first else { return nil }
            return (value, parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1)
        }
    }

    /// Whether the request's `If-None-Match` names `etag`: the client holds this very file.
    static func isFresh(_ request: Request, etag: String) -> Bool {
        request.headers[.ifNoneMatch]?.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces) == etag } == true
    }
}
