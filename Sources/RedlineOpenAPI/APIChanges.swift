/// One difference between two versions of an API that a client developer must hear about.
public struct APIChange: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case operationAdded = "operation added"
        case operationRemoved = "operation removed"
        case operationDeprecated = "operation deprecated"
        case parameterAdded = "parameter added"
        case requiredParameterAdded = "required parameter added"
        case parameterRemoved = "parameter removed"
        case parameterMadeRequired = "parameter made required"
        case parameterMadeOptional = "parameter made optional"
        case parameterTypeChanged = "parameter type changed"
        case parameterEnumNarrowed = "parameter values removed"
        case parameterEnumWidened = "parameter values added"
        case requestBodyMadeRequired = "request body made required"
        case requestFieldAdded = "request field added"
        case requiredRequestFieldAdded = "required request field added"
        case requestFieldRemoved = "request field removed"
        case requestFieldMadeRequired = "request field made required"
        case requestFieldMadeOptional = "request field made optional"
        case requestFieldTypeChanged = "request field type changed"
        case requestEnumNarrowed = "request field values removed"
        case requestEnumWidened = "request field values added"
        case responseFieldAdded = "response field added"
        case responseFieldRemoved = "response field removed"
        case responseFieldMadeOptional = "response field made optional"
        case responseFieldTypeChanged = "response field type changed"
        case responseEnumNarrowed = "response field values removed"
        case responseEnumWidened = "response field values added"
        case responseRemoved = "response removed"
        case responseAdded = "response added"

        /// Whether a client written against the old version can fail against the new one.
        public var breaking: Bool {
            switch self {
            case .operationRemoved, .requiredParameterAdded, .parameterRemoved, .parameterMadeRequired, .parameterTypeChanged,
                 .parameterEnumNarrowed, .requestBodyMadeRequired, .requiredRequestFieldAdded, .requestFieldRemoved,
                 .requestFieldMadeRequired, .requestFieldTypeChanged, .requestEnumNarrowed, .responseFieldRemoved,
                 .responseFieldMadeOptional, .responseFieldTypeChanged, .responseEnumWidened, .responseRemoved:
                return true
            case .operationAdded, .operationDeprecated, .parameterAdded, .parameterMadeOptional, .parameterEnumWidened,
                 .requestFieldAdded, .requestFieldMadeOptional, .requestEnumWidened, .responseFieldAdded, .responseEnumNarrowed,
                 .responseAdded:
                return false
            }
        }
    }

    public let kind: Kind
    /// `POST /v2/shipments`.
    public let operation: String
    /// What changed in it, when not the operation itself: `` `carrier` `` (a field path), `` `limit` (query) ``.
    public let subject: String?
    /// Before and after, for changes of type or values: "string → integer".
    public let detail: String?

    public init(kind: Kind, operation: String, subject: String? = nil, detail: String? = nil) {
        self.kind = kind
        self.operation = operation
        self.subject = subject
        self.detail = detail
    }

    public var breaking: Bool { kind.breaking }

    /// One line: `POST /v2/shipments: required request field added: to.country`.
    public var summary: String {
        var text = "\(operation): \(kind.rawValue)"
        if let subject { text += ": \(subject)" }
        if let detail { text += " (\(detail))" }
        return text
    }
}

/// Compares two versions of an API operation by operation, parameter by parameter and field by field.
public enum APIChanges {
    public static func compare(_ old: APISpec, _ new: APISpec) -> [APIChange] {
        var changes: [APIChange] = []
        let oldByKey = Dictionary(old.operations.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let newKeys = Set(new.operations.map(\.key))
        for operation in old.operations where !newKeys.contains(operation.key) {
            changes.append(APIChange(kind: .operationRemoved, operation: operation.key))
        }
        for operation in new.operations {
            guard let before = oldByKey[operation.key] else {
                changes.append(APIChange(kind: .operationAdded, operation: operation.key))
                continue
            }
            changes += compare(before, operation)
        }
        return changes
    }

    static func compare(_ old: APIOperation, _ new: APIOperation) -> [APIChange] {
        var changes: [APIChange] = []
        if new.deprecated && !old.deprecated { changes.append(APIChange(kind: .operationDeprecated, operation: new.key)) }
        return changes + parameterChanges(old, new) + requestChanges(old, new) + responseChanges(old, new)
    }

    /// Parameters, by location and name (a header and a query parameter may share a name).
    private static func parameterChanges(_ old: APIOperation, _ new: APIOperation) -> [APIChange] {
        let key = new.key
        var changes: [APIChange] = []
        func id(_ parameter: APIParameter) -> String { "\(parameter.location) \(parameter.name)" }
        func label(_ parameter: APIParameter) -> String { "`\(parameter.name)` (\(parameter.location))" }
        let oldParameters = Dictionary(old.parameters.map { (id($0), $0) }, uniquingKeysWith: { first, _ in first })
        let newIDs = Set(new.parameters.map(id))
        for parameter in old.parameters where !newIDs.contains(id(parameter)) {
            changes.append(APIChange(kind: .parameterRemoved, operation: key, subject: label(parameter)))
        }
        for parameter in new.parameters {
            guard let before = oldParameters[id(parameter)] else {
                changes.append(APIChange(kind: parameter.required ? .requiredParameterAdded : .parameterAdded, operation: key, subject: label(parameter)))
                continue
            }
            if parameter.required && !before.required {
                changes.append(APIChange(kind: .parameterMadeRequired, operation: key, subject: label(parameter)))
            } else if !parameter.required && before.required {
                changes.append(APIChange(kind: .parameterMadeOptional, operation: key, subject: label(parameter)))
            }
            if typeKey(before.schema) != typeKey(parameter.schema) {
                changes.append(APIChange(kind: .parameterTypeChanged, operation: key, subject: label(parameter),
                                         detail: "\(before.schema.typeText) → \(parameter.schema.typeText)"))
            } else {
                changes += enumChanges(before.schema, parameter.schema, operation: key, subject: label(parameter),
                                       narrowed: .parameterEnumNarrowed, widened: .parameterEnumWidened)
            }
        }
        return changes
    }

    /// The request body: what a client sends.
    private static func requestChanges(_ old: APIOperation, _ new: APIOperation) -> [APIChange] {
        let key = new.key
        var changes: [APIChange] = []
        if let body = new.requestBody, body.required, !(old.requestBody?.required ?? false) {
            changes.append(APIChange(kind: .requestBodyMadeRequired, operation: key))
        }
        let oldBody = jsonSchema(old.requestBody?.content), newBody = jsonSchema(new.requestBody?.content)
        if let oldBody, let newBody, typeKey(oldBody) != typeKey(newBody) {
            // A body of another shape: one change, not one per field.
            return changes + [APIChange(kind: .requestFieldTypeChanged, operation: key, subject: "body",
                                        detail: "\(oldBody.name ?? oldBody.typeText) → \(newBody.name ?? newBody.typeText)")]
        }
        let oldRequest = fields(of: oldBody)
        let newRequest = fields(of: newBody)
        let retypedRequest = retyped(oldRequest, newRequest)
        for field in outermost(oldRequest.filter { field in !newRequest.contains { $0.path == field.path } }, besides: retypedRequest) {
            changes.append(APIChange(kind: .requestFieldRemoved, operation: key, subject: "`\(field.path)`"))
        }
        let addedRequest = Set(outermost(newRequest.filter { field in !oldRequest.contains { $0.path == field.path } }, besides: retypedRequest).map(\.path))
        for field in newRequest {
            guard let before = oldRequest.first(where: { $0.path == field.path }) else {
                // Inside a field that is new itself: that field says it.
                guard addedRequest.contains(field.path) else { continue }
                // A field inside an optional object is required only when the object is sent.
                changes.append(APIChange(kind: field.required ? .requiredRequestFieldAdded : .requestFieldAdded, operation: key, subject: "`\(field.path)`"))
                continue
            }
            changes += requestFieldChanges(before, field, operation: key)
        }
        return changes
    }

    private static func requestFieldChanges(_ before: Field, _ field: Field, operation key: String) -> [APIChange] {
        var changes: [APIChange] = []
        if field.required && !before.required {
            changes.append(APIChange(kind: .requestFieldMadeRequired, operation: key, subject: "`\(field.path)`"))
        } else if !field.required && before.required {
            changes.append(APIChange(kind: .requestFieldMadeOptional, operation: key, subject: "`\(field.path)`"))
        }
        if typeKey(before.schema) != typeKey(field.schema) {
            changes.append(APIChange(kind: .requestFieldTypeChanged, operation: key, subject: "`\(field.path)`",
                                     detail: "\(before.schema.typeText) → \(field.schema.typeText)"))
        } else {
            changes += enumChanges(before.schema, field.schema, operation: key, subject: "`\(field.path)`",
                                   narrowed: .requestEnumNarrowed, widened: .requestEnumWidened)
        }
        return changes
    }

    /// Responses: what a client reads.
    private static func responseChanges(_ old: APIOperation, _ new: APIOperation) -> [APIChange] {
        let key = new.key
        var changes: [APIChange] = []
        let newStatuses = Set(new.responses.map(\.status))
        let oldStatuses = Set(old.responses.map(\.status))
        for response in old.responses where !newStatuses.contains(response.status) && response.status.hasPrefix("2") {
            changes.append(APIChange(kind: .responseRemoved, operation: key, subject: "`\(response.status)`"))
        }
        for response in new.responses where !oldStatuses.contains(response.status) {
            changes.append(APIChange(kind: .responseAdded, operation: key, subject: "`\(response.status)`"))
        }
        for response in new.responses where response.status.hasPrefix("2") {
            guard let before = old.responses.first(where: { $0.status == response.status }) else { continue }
            let prefix = "`\(response.status)` "
            let oldBody = jsonSchema(before.content), newBody = jsonSchema(response.content)
            if let oldBody, let newBody, typeKey(oldBody) != typeKey(newBody) {
                changes.append(APIChange(kind: .responseFieldTypeChanged, operation: key, subject: prefix + "body",
                                         detail: "\(oldBody.name ?? oldBody.typeText) → \(newBody.name ?? newBody.typeText)"))
                continue
            }
            let oldFields = fields(of: oldBody)
            let newFields = fields(of: newBody)
            let retypedFields = retyped(oldFields, newFields)
            for field in outermost(oldFields.filter { field in !newFields.contains { $0.path == field.path } }, besides: retypedFields) {
                changes.append(APIChange(kind: .responseFieldRemoved, operation: key, subject: prefix + "`\(field.path)`"))
            }
            let added = Set(outermost(newFields.filter { field in !oldFields.contains { $0.path == field.path } }, besides: retypedFields).map(\.path))
            for field in newFields {
                guard let previous = oldFields.first(where: { $0.path == field.path }) else {
                    guard added.contains(field.path) else { continue }
                    changes.append(APIChange(kind: .responseFieldAdded, operation: key, subject: prefix + "`\(field.path)`"))
                    continue
                }
                if !field.required && previous.required {
                    changes.append(APIChange(kind: .responseFieldMadeOptional, operation: key, subject: prefix + "`\(field.path)`"))
                }
                if typeKey(previous.schema) != typeKey(field.schema) {
                    changes.append(APIChange(kind: .responseFieldTypeChanged, operation: key, subject: prefix + "`\(field.path)`",
                                             detail: "\(previous.schema.typeText) → \(field.schema.typeText)"))
                } else {
                    // A response that may now hold a value the client has never seen can break it.
                    changes += enumChanges(previous.schema, field.schema, operation: key, subject: prefix + "`\(field.path)`",
                                           narrowed: .responseEnumNarrowed, widened: .responseEnumWidened)
                }
            }
        }
        return changes
    }

    private static func enumChanges(_ old: APISchema, _ new: APISchema, operation: String, subject: String,
                                    narrowed: APIChange.Kind, widened: APIChange.Kind) -> [APIChange] {
        guard !old.enumValues.isEmpty || !new.enumValues.isEmpty else { return [] }
        var changes: [APIChange] = []
        // No enum means any value: gaining one narrows, losing one widens.
        let removed = new.enumValues.isEmpty ? [] : (old.enumValues.isEmpty ? ["any value"] : old.enumValues.filter { !new.enumValues.contains($0) })
        let added = old.enumValues.isEmpty ? [] : (new.enumValues.isEmpty ? ["any value"] : new.enumValues.filter { !old.enumValues.contains($0) })
        if !removed.isEmpty {
            changes.append(APIChange(kind: narrowed, operation: operation, subject: subject, detail: removed.joined(separator: ", ")))
        }
        if !added.isEmpty {
            changes.append(APIChange(kind: widened, operation: operation, subject: subject, detail: added.joined(separator: ", ")))
        }
        return changes
    }

    /// The JSON body's schema (or the first one).
    private static func jsonSchema(_ content: [APIMediaType]?) -> APISchema? {
        guard let content else { return nil }
        return (content.first { $0.type.contains("json") } ?? content.first)?.schema
    }

    /// What decides whether a value still fits: the type, and the items' type for arrays.
    private static func typeKey(_ schema: APISchema) -> String {
        switch schema.type {
        case "array": return "array<" + (schema.item.map(typeKey) ?? "any") + ">"
        case "oneOf", "anyOf", "allOf": return schema.type + "(" + schema.variants.map(typeKey).joined(separator: ",") + ")"
        default: return schema.type
        }
    }

    /// The fields none of whose enclosing fields is in the list too, or in `besides` (fields whose
    /// type changed: what is inside them is part of that one change).
    private static func outermost(_ fields: [Field], besides: Set<String> = []) -> [Field] {
        let paths = Set(fields.map(\.path)).union(besides)
        return fields.filter { field in
            !paths.contains { other in field.path.hasPrefix(other + ".") || field.path.hasPrefix(other + "[]") }
        }
    }

    /// Paths in both lists whose type differs.
    private static func retyped(_ old: [Field], _ new: [Field]) -> Set<String> {
        let oldTypes = Dictionary(old.map { ($0.path, typeKey($0.schema)) }, uniquingKeysWith: { first, _ in first })
        return Set(new.filter { field in oldTypes[field.path].map { $0 != typeKey(field.schema) } ?? false }.map(\.path))
    }

    struct Field {
        let path: String
        let required: Bool
        let schema: APISchema
    }

    /// Every field of a body, by path (`to.postcode`, `parcels[].weight`); a field is required
    /// when it and every object around it are.
    static func fields(of schema: APISchema?) -> [Field] {
        var fields: [Field] = []
        func walk(_ schema: APISchema, prefix: String, required: Bool, depth: Int) {
            guard depth < 12 else { return }
            switch schema.type {
            case "object":
                for property in schema.properties {
                    let path = prefix.isEmpty ? property.name : "\(prefix).\(property.name)"
                    let isRequired = required && property.required
                    if !fields.contains(where: { $0.path == path }) {
                        fields.append(Field(path: path, required: isRequired, schema: property.schema))
                    }
                    walk(property.schema, prefix: path, required: isRequired, depth: depth + 1)
                }
            case "array":
                if let item = schema.item { walk(item, prefix: prefix + "[]", required: required, depth: depth + 1) }
            case "allOf":
                for variant in schema.variants { walk(variant, prefix: prefix, required: required, depth: depth + 1) }
            case "oneOf", "anyOf":
                // Each alternative's fields apply only when the client picks it.
                for variant in schema.variants { walk(variant, prefix: prefix, required: false, depth: depth + 1) }
            default:
                break
            }
        }
        if let schema { walk(schema, prefix: "", required: true, depth: 0) }
        return fields
    }
}
