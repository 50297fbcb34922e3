import Foundation
import RedlineContent
import RedlineOpenAPI

/// What the "Try it" console of an API reference page needs (site.yaml `docs.tryIt`): the
/// servers it may send to, and each operation of the page with its parameters, credentials and
/// example body. Written beside the page as `try-it.json`, which `assets/try-it.js` reads; the
/// page itself stays free of inline script.
struct TryItData: Encodable {
    struct Parameter: Encodable {
        let name: String
        /// `path`, `query` or `header`.
        let location: String
        let required: Bool
        let example: String
    }

    struct Operation: Encodable {
        /// The operation's heading on the page, after which the console goes.
        let anchor: String
        let method: String
        let path: String
        let parameters: [Parameter]
        let contentType: String?
        let body: String?
        /// `bearer`, `basic` or `header:<name>`: what the reader is asked for, kept in the page only.
        let credentials: [String]
    }

    let servers: [String]
    let operations: [Operation]

    static let fileName = "try-it.json"

    /// Where the reference of `spec` lets readers send requests: site.yaml's servers, else the document's.
    static func servers(site: SiteConfig, spec: APISpec) -> [String] {
        site.tryItServers.isEmpty ? spec.servers : site.tryItServers
    }

    /// The origins the Content-Security-Policy's `connect-src` must allow: exactly those of the
    /// servers of every version's reference, when the site turns "Try it" on.
    static func origins(site: SiteConfig, references: [APIReference]) -> [String] {
        guard site.tryIt else { return [] }
        var origins: [String] = []
        for server in references.flatMap({ servers(site: site, spec: $0.spec) }) {
            guard let url = URLComponents(string: server), let scheme = url.scheme?.lowercased(), let host = url.host?.lowercased() else { continue }
            let origin = "\(scheme)://\(host)" + (url.port.map { ":\($0)" } ?? "")
            if !origins.contains(origin) { origins.append(origin) }
        }
        return origins
    }

    /// The console's data for the reference page at `path`, or nil when it has no operation.
    init?(reference: APIReference, path: String, site: SiteConfig) {
        let spec = reference.spec
        let operations = spec.operations.compactMap { operation -> Operation? in
            guard let link = reference.operationLinks[operation.key], link.path == path else { return nil }
            let sample = APIRequestSample(operation, in: spec)
            let parameters = operation.parameters.filter { ["path", "query", "header"].contains($0.location) }.map {
                Parameter(name: $0.name, location: $0.location, required: $0.required || $0.location == "path",
                          example: APIExample.sampleText($0.schema, name: $0.name))
            }
            let credentials = sample.credentials.map { credential -> String in
                switch credential {
                case .bearer: "bearer"
                case .basic: "basic"
                case let .apiKeyHeader(name): "header:" + name
                }
            }
            return Operation(anchor: link.anchor, method: operation.method, path: operation.path, parameters: parameters,
                             contentType: sample.headers.first { $0.name == "Content-Type" }?.value, body: sample.body, credentials: credentials)
        }
        guard !operations.isEmpty else { return nil }
        self.servers = Self.servers(site: site, spec: spec)
        self.operations = operations
    }

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
