/// What Redline shows of an OpenAPI document, every `$ref` resolved: the reference pages are
/// written from it and two of them are compared for the API's changes. Plain values, so pages
/// and the change classifier never see OpenAPIKit's types.
public struct APISpec: Sendable, Equatable {
    public var title: String
    public var version: String
    public var description: String?
    /// Server URLs, first the one examples use.
    public var servers: [String]
    /// Tags in the document's order, then tags only operations name; "Other" for untagged operations.
    public var tags: [APITag]
    /// Every operation, in the order of the document's paths.
    public var operations: [APIOperation]
    public var securitySchemes: [APISecurityScheme]

    public init(title: String, version: String, description: String? = nil, servers: [String] = [], tags: [APITag] = [],
                operations: [APIOperation] = [], securitySchemes: [APISecurityScheme] = []) {
        self.title = title
        self.version = version
        self.description = description
        self.servers = servers
        self.tags = tags
        self.operations = operations
        self.securitySchemes = securitySchemes
    }

    /// The operations a tag's page lists: those whose first tag it is.
    public func operations(of tag: APITag) -> [APIOperation] {
        operations.filter { ($0.tags.first ?? APITag.untaggedName) == tag.name }
    }
}

public struct APITag: Sendable, Equatable {
    public static let untaggedName = "Other"
    public var name: String
    public var description: String?

    public init(name: String, description: String? = nil) {
        self.name = name
        self.description = description
    }

    /// The tag's page, `reference/<slug>/`: lower-case letters, digits and hyphens.
    public var slug: String { APISpec.slug(name) }
}

public struct APIOperation: Sendable, Equatable {
    /// Upper case: `GET`, `POST`.
    public var method: String
    public var path: String
    public var operationID: String?
    public var summary: String?
    public var description: String?
    public var tags: [String]
    public var deprecated: Bool
    public var parameters: [APIParameter]
    public var requestBody: APIBody?
    public var responses: [APIResponse]
    /// Alternatives (any one suffices), each the schemes it needs together; empty means none.
    public var security: [[APISecurityUse]]

    public init(method: String, path: String, operationID: String? = nil, summary: String? = nil, description: String? = nil,
                tags: [String] = [], deprecated: Bool = false, parameters: [APIParameter] = [], requestBody: APIBody? = nil,
                responses: [APIResponse] = [], security: [[APISecurityUse]] = []) {
        self.method = method
        self.path = path
        self.operationID = operationID
        self.summary = summary
        self.description = description
        self.tags = tags
        self.deprecated = deprecated
        self.parameters = parameters
        self.requestBody = requestBody
        self.responses = responses
        self.security = security
    }

    /// `POST /v2/shipments`: what identifies an operation across versions.
    public var key: String { "\(method) \(path)" }
    /// The heading of the operation on its page.
    public var title: String { summary.flatMap { $0.isEmpty ? nil : $0 } ?? key }
}

public struct APIParameter: Sendable, Equatable {
    public var name: String
    /// `path`, `query`, `header` or `cookie`.
    public var location: String
    public var required: Bool
    public var deprecated: Bool
    public var description: String?
    public var schema: APISchema

    public init(name: String, location: String, required: Bool, deprecated: Bool = false, description: String? = nil, schema: APISchema) {
        self.name = name
        self.location = location
        self.required = required
        self.deprecated = deprecated
        self.description = description
        self.schema = schema
    }
}

public struct APIBody: Sendable, Equatable {
    public var required: Bool
    public var description: String?
    public var content: [APIMediaType]

    public init(required: Bool, description: String? = nil, content: [APIMediaType]) {
        self.required = required
        self.description = description
        self.content = content
    }
}

public struct APIMediaType: Sendable, Equatable {
    /// `application/json`.
    public var type: String
    public var schema: APISchema?
    /// The document's own example, as JSON text, when it gives one.
    public var example: String?

    public init(type: String, schema: APISchema?, example: String? = nil) {
        self.type = type
        self.schema = schema
        self.example = example
    }
}

public struct APIResponse: Sendable, Equatable {
    /// `200`, `4XX`, `default`.
    public var status: String
    public var description: String
    public var content: [APIMediaType]

    public init(status: String, description: String, content: [APIMediaType] = []) {
        self.status = status
        self.description = description
        self.content = content
    }
}

public struct APISecurityScheme: Sendable, Equatable {
    public var name: String
    /// How to send it, for readers: "HTTP bearer token", "API key in the `X-Key` header", "OAuth 2".
    public var kind: String
    public var description: String?

    public init(name: String, kind: String, description: String? = nil) {
        self.name = name
        self.kind = kind
        self.description = description
    }
}

public struct APISecurityUse: Sendable, Equatable {
    public var scheme: String
    public var scopes: [String]

    public init(scheme: String, scopes: [String] = []) {
        self.scheme = scheme
        self.scopes = scopes
    }
}

/// A JSON Schema as readers see it: its type, constraints and, for objects and arrays, what is inside.
public struct APISchema: Sendable, Equatable {
    /// `string`, `integer`, `number`, `boolean`, `object`, `array`, `null`, or `any`; for
    /// `oneOf`/`anyOf`/`allOf`, the combinator, with the alternatives in ``variants``.
    public var type: String
    public var format: String?
    /// The component it came from (`Shipment` for `#/components/schemas/Shipment`).
    public var name: String?
    public var description: String?
    /// `enum`, as JSON text (`"royalmail"`, `3`).
    public var enumValues: [String]
    public var nullable: Bool
    public var deprecated: Bool
    public var readOnly: Bool
    public var writeOnly: Bool
    public var defaultValue: String?
    public var example: String?
    /// Limits as readers read them: `≥ 1`, `at most 100 characters`, `pattern ^[A-Z]{2}$`.
    public var constraints: [String]
    public var properties: [APIProperty]
    /// The schema of an array's items (one element), or of an object's additional properties.
    public var items: [APISchema]
    public var variants: [APISchema]

    public init(type: String, format: String? = nil, name: String? = nil, description: String? = nil, enumValues: [String] = [],
                nullable: Bool = false, deprecated: Bool = false, readOnly: Bool = false, writeOnly: Bool = false,
                defaultValue: String? = nil, example: String? = nil, constraints: [String] = [], properties: [APIProperty] = [],
                items: [APISchema] = [], variants: [APISchema] = []) {
        self.type = type
        self.format = format
        self.name = name
        self.description = description
        self.enumValues = enumValues
        self.nullable = nullable
        self.deprecated = deprecated
        self.readOnly = readOnly
        self.writeOnly = writeOnly
        self.defaultValue = defaultValue
        self.example = example
        self.constraints = constraints
        self.properties = properties
        self.items = items
        self.variants = variants
    }

    public var item: APISchema? { items.first }

    /// `string (date-time)`, `array of Parcel`, `one of`: the type as a reader reads it.
    public var typeText: String {
        var text: String
        switch type {
        case "array":
            if let item { text = "array of " + (item.name ?? item.typeText) } else { text = "array" }
        case "oneOf": text = "one of"
        case "anyOf": text = "any of"
        case "allOf": text = "all of"
        case "object": text = name ?? "object"
        default: text = type
        }
        if let format, !format.isEmpty { text += " (\(format))" }
        if nullable { text += ", nullable" }
        return text
    }
}

public struct APIProperty: Sendable, Equatable {
    public var name: String
    public var required: Bool
    public var schema: APISchema

    public init(name: String, required: Bool, schema: APISchema) {
        self.name = name
        self.required = required
        self.schema = schema
    }
}

extension APISpec {
    /// "Parcel tracking" → "parcel-tracking".
    public static func slug(_ text: String) -> String {
        var slug = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber, character.isASCII {
                slug.append(character)
            } else if !slug.isEmpty && slug.last != "-" {
                slug.append("-")
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        return slug.isEmpty ? "other" : slug
    }
}
