import Foundation
import OpenAPIKit

/// OpenAPIKit's resolved document as an ``APISpec``.
struct APISpecBuilder {
    let document: OpenAPI.Document
    let resolved: ResolvedDocument

    /// Deeper than any real schema nests; a guard against documents built to be huge.
    private static let maximumDepth = 16

    var spec: APISpec {
        let operations = resolved.endpoints.map(operation)
        var tags = (document.tags ?? []).map { APITag(name: $0.name, description: $0.description) }
        for operation in operations {
            let name = operation.tags.first ?? APITag.untaggedName
            if !tags.contains(where: { $0.name == name }) { tags.append(APITag(name: name)) }
        }
        // A declared tag no operation uses would be an empty page.
        tags.removeAll { tag in !operations.contains { ($0.tags.first ?? APITag.untaggedName) == tag.name } }
        let schemes = document.components.securitySchemes.compactMap { key, value -> APISecurityScheme? in
            guard let scheme = value.b else { return nil }
            return APISecurityScheme(name: key.rawValue, kind: Self.kind(of: scheme), description: scheme.description)
        }
        return APISpec(title: document.info.title, version: document.info.version, description: document.info.description,
                       servers: document.servers.map { $0.urlTemplate.rawValue }, tags: tags, operations: operations,
                       securitySchemes: schemes)
    }

    private func operation(_ endpoint: ResolvedEndpoint) -> APIOperation {
        let parameters = endpoint.parameters.map { parameter -> APIParameter in
            let schema: DereferencedJSONSchema? = parameter.schemaOrContent.a?.schema ?? parameter.schemaOrContent.b?.values.first?.schema
            return APIParameter(name: parameter.name, location: parameter.location.rawValue, required: parameter.required,
                                deprecated: parameter.deprecated, description: parameter.description,
                                schema: schema.map { self.schema($0, depth: 0) } ?? APISchema(type: "any"))
        }
        let body = endpoint.requestBody.map { request in
            APIBody(required: request.required, description: request.description, content: content(request.content))
        }
        let responses = endpoint.responses.map { status, response in
            APIResponse(status: status.rawValue, description: response.underlyingResponse.description ?? "", content: content(response.content))
        }
        let security = endpoint.security.map { requirement in
            requirement.schemes.keys.sorted().map { name in APISecurityUse(scheme: name, scopes: requirement.schemes[name]?.requiredScopes ?? []) }
        }
        return APIOperation(method: endpoint.method.rawValue.uppercased(), path: endpoint.path.rawValue, operationID: endpoint.operationId,
                            summary: endpoint.endpointSummary ?? endpoint.routeSummary,
                            description: endpoint.endpointDescription ?? endpoint.routeDescription,
                            tags: endpoint.tags, deprecated: endpoint.deprecated, parameters: parameters, requestBody: body,
                            responses: responses, security: security.filter { !$0.isEmpty })
    }

    private func content(_ map: DereferencedContent.Map) -> [APIMediaType] {
        map.map { type, content in
            APIMediaType(type: type.rawValue, schema: content.schema.map { schema($0, depth: 0) }, example: content.example.flatMap(Self.json))
        }
    }

    func schema(_ schema: DereferencedJSONSchema, depth: Int) -> APISchema {
        let name = schema.vendorExtensions[OpenAPI.Components.componentNameExtension]?.value as? String
        let format = schema.formatString.flatMap { $0.isEmpty ? nil : $0 }
        var result = APISchema(type: "any", format: format, name: name, description: schema.description,
                               enumValues: (schema.allowedValues ?? []).compactMap(Self.json), nullable: schema.nullable,
                               deprecated: schema.deprecated, readOnly: schema.readOnly, writeOnly: schema.writeOnly,
                               defaultValue: schema.defaultValue.flatMap(Self.json), example: schema.examples.first.flatMap(Self.json))
        let deeper = depth + 1
        let nested = deeper < Self.maximumDepth
        switch schema {
        case .null: result.type = "null"
        case .boolean: result.type = "boolean"
        case .number(_, let numeric):
            result.type = "number"
            result.constraints = Self.bounds(minimum: numeric.minimum.map { ($0.value, $0.exclusive) }, maximum: numeric.maximum.map { ($0.value, $0.exclusive) })
        case .integer(_, let integer):
            result.type = "integer"
            result.constraints = Self.bounds(minimum: integer.minimum.map { (Double($0.value), $0.exclusive) },
                                             maximum: integer.maximum.map { (Double($0.value), $0.exclusive) })
        case .string(_, let string):
            result.type = "string"
            if string.minLength > 0 { result.constraints.append("at least \(string.minLength) characters") }
            if let maximum = string.maxLength { result.constraints.append("at most \(maximum) characters") }
            if let pattern = string.pattern { result.constraints.append("pattern `\(pattern)`") }
        case .object(_, let object):
            result.type = "object"
            if nested {
                result.properties = object.properties.map { name, property in
                    APIProperty(name: name, required: property.required, schema: self.schema(property, depth: deeper))
                }
                if case .b(let additional) = object.additionalProperties { result.items = [self.schema(additional, depth: deeper)] }
            }
        case .array(_, let array):
            result.type = "array"
            if nested, let items = array.items { result.items = [self.schema(items, depth: deeper)] }
            if array.minItems > 0 { result.constraints.append("at least \(array.minItems) items") }
            if let maximum = array.maxItems { result.constraints.append("at most \(maximum) items") }
        case .all(let schemas, _):
            result.type = "allOf"
            if nested { result.variants = schemas.map { self.schema($0, depth: deeper) } }
        case .one(let schemas, _):
            result.type = "oneOf"
            if nested { result.variants = schemas.map { self.schema($0, depth: deeper) } }
        case .any(let schemas, _):
            result.type = "anyOf"
            if nested { result.variants = schemas.map { self.schema($0, depth: deeper) } }
        case .not(let inner, _):
            result.type = "not"
            if nested { result.variants = [self.schema(inner, depth: deeper)] }
        case .fragment: result.type = "any"
        }
        return result
    }

    private static func bounds(minimum: (Double, Bool)?, maximum: (Double, Bool)?) -> [String] {
        var constraints: [String] = []
        if let (value, exclusive) = minimum { constraints.append((exclusive ? "> " : "≥ ") + number(value)) }
        if let (value, exclusive) = maximum { constraints.append((exclusive ? "< " : "≤ ") + number(value)) }
        return constraints
    }

    private static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    static func kind(of scheme: OpenAPI.SecurityScheme) -> String {
        switch scheme.type {
        case .apiKey(let name, let location):
            let place = switch location {
            case .header: "header"
            case .query: "query parameter"
            case .cookie: "cookie"
            }
            return "API key in the `\(name)` \(place)"
        case .http(let scheme, let bearerFormat):
            if scheme.lowercased() == "bearer" { return "HTTP bearer token" + (bearerFormat.map { " (\($0))" } ?? "") }
            return "HTTP \(scheme) authentication"
        case .oauth2: return "OAuth 2"
        case .openIdConnect: return "OpenID Connect"
        case .mutualTLS: return "Mutual TLS"
        }
    }

    /// A value of the document as compact JSON, keys sorted.
    static func json(_ value: AnyCodable) -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
