import Foundation

/// One operation's example request, the same in every language it is written in: the method,
/// the URL against the document's first server with example path and required query values, the
/// headers (credentials read from environment variables, never written in), and an example body.
public struct APIRequestSample: Sendable, Equatable {
    /// A credential the request carries, named by the environment variable(s) it is read from.
    public enum Credential: Sendable, Equatable {
        /// `Authorization: Bearer $TOKEN` (HTTP bearer, OAuth 2, OpenID Connect).
        case bearer
        /// `Authorization: Basic` of `$USERNAME:$PASSWORD`.
        case basic
        /// An API key in a header: `name: $API_KEY`.
        case apiKeyHeader(name: String)

        public static let tokenVariable = "TOKEN"
        public static let apiKeyVariable = "API_KEY"
        public static let usernameVariable = "USERNAME"
        public static let passwordVariable = "PASSWORD"
    }

    public struct Header: Sendable, Equatable {
        public let name: String
        public let value: String
    }

    /// `GET`, `POST`…
    public let method: String
    public let url: String
    public let credentials: [Credential]
    /// Headers with example values: required header parameters, then the body's Content-Type.
    public let headers: [Header]
    /// The body as JSON text, indented two spaces; nil without a body.
    public let body: String?

    public init(_ operation: APIOperation, in spec: APISpec) {
        var path = operation.path
        var query: [String] = []
        var headers: [Header] = []
        for parameter in operation.parameters {
            let value = APIExample.sampleText(parameter.schema, name: parameter.name)
            switch parameter.location {
            case "path": path = path.replacingOccurrences(of: "{\(parameter.name)}", with: Self.encoded(value, allowing: .urlPathAllowed))
            case "query" where parameter.required: query.append("\(Self.encoded(parameter.name, allowing: .queryValue))=\(Self.encoded(value, allowing: .queryValue))")
            case "header" where parameter.required: headers.append(Header(name: parameter.name, value: value))
            default: break
            }
        }
        let server = (spec.servers.first ?? "https://api.example.com").trimmingSuffix("/")
        url = server + path + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        method = operation.method
        credentials = (operation.security.first ?? []).compactMap { use in
            spec.securitySchemes.first { $0.name == use.scheme }.flatMap(Self.credential)
        }
        var body: String?
        if let requestBody = operation.requestBody, let media = requestBody.content.first(where: { $0.type.contains("json") }) ?? requestBody.content.first {
            headers.append(Header(name: "Content-Type", value: media.type))
            body = media.example.map(APIExample.pretty) ?? media.schema.map { APIExample.pretty(APIExample.sampleJSON($0, depth: 0, request: true)) } ?? "{}"
        }
        self.headers = headers
        self.body = body
    }

    static func credential(for scheme: APISecurityScheme) -> Credential? {
        let kind = scheme.kind
        if kind.hasPrefix("HTTP bearer") || kind == "OAuth 2" || kind == "OpenID Connect" { return .bearer }
        if kind.hasPrefix("HTTP basic") { return .basic }
        if kind.hasPrefix("API key in the `"), kind.hasSuffix("header"), let name = kind.split(separator: "`").dropFirst().first {
            return .apiKeyHeader(name: String(name))
        }
        return nil
    }

    private static func encoded(_ text: String, allowing allowed: CharacterSet) -> String {
        text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

extension CharacterSet {
    /// What a query name or value may hold unescaped: not `&`, `=`, `+` or `#`, which would change its meaning.
    static let queryValue = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+#"))
}
