import Foundation

/// Example requests and bodies made from the document: its own examples where it gives them,
/// else values from each schema's example, default, first enum value or type.
public enum APIExample {
    /// The operation as a curl command against the first server.
    public static func curl(_ operation: APIOperation, in spec: APISpec) -> String {
        APIRequestSample(operation, in: spec).code(.curl)
    }

    /// A response's example body, pretty-printed, when it has JSON content.
    public static func body(_ media: APIMediaType) -> String? {
        guard media.type.contains("json") else { return nil }
        if let example = media.example { return pretty(example) }
        return media.schema.map { pretty(sampleJSON($0, depth: 0, request: false)) }
    }

    /// A value to put in a URL or header.
    public static func sampleText(_ schema: APISchema, name: String) -> String {
        let json = sampleJSON(schema, depth: 0, request: true)
        if json.hasPrefix("\""), let decoded = try? JSONDecoder().decode(String.self, from: Data(json.utf8)) { return decoded }
        return json == "null" ? "{\(name)}" : json
    }

    /// A JSON value the schema accepts.
    /// - Parameter request: leave out read-only properties, which the server sets and a request does not send.
    static func sampleJSON(_ schema: APISchema, depth: Int, request: Bool) -> String {
        if let example = schema.example { return example }
        if let value = schema.defaultValue { return value }
        if let first = schema.enumValues.first { return first }
        guard depth < 8 else { return "null" }
        switch schema.type {
        case "string":
            switch schema.format {
            case "date-time": return "\"2026-01-31T12:00:00Z\""
            case "date": return "\"2026-01-31\""
            case "email": return "\"user@example.com\""
            case "uri", "url": return "\"https://example.com\""
            case "uuid": return "\"3fa85f64-5717-4562-b3fc-2c963f66afa6\""
            default: return "\"string\""
            }
        case "integer": return "0"
        case "number": return "0.0"
        case "boolean": return "true"
        case "null": return "null"
        case "array": return "[" + (schema.item.map { sampleJSON($0, depth: depth + 1, request: request) } ?? "") + "]"
        case "object":
            let properties = schema.properties.filter { request ? !$0.schema.readOnly : !$0.schema.writeOnly }
            return "{" + properties.map { "\(jsonString($0.name)): \(sampleJSON($0.schema, depth: depth + 1, request: request))" }.joined(separator: ", ") + "}"
        case "oneOf", "anyOf": return schema.variants.first.map { sampleJSON($0, depth: depth + 1, request: request) } ?? "null"
        case "allOf":
            let merged = APISchema(type: "object", properties: schema.variants.flatMap(\.properties))
            return sampleJSON(merged, depth: depth + 1, request: request)
        default: return "null"
        }
    }

    private static func jsonString(_ text: String) -> String {
        let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// JSON text indented two spaces, keys in the order written.
    static func pretty(_ json: String) -> String {
        var output = ""
        var indent = 0
        var inString = false
        var escaped = false
        let characters = Array(json)
        var index = 0
        func newline() { output += "\n" + String(repeating: "  ", count: indent) }
        while index < characters.count {
            let character = characters[index]
            defer { index += 1 }
            if inString {
                output.append(character)
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
                continue
            }
            switch character {
            case "\"": inString = true; output.append(character)
            case "{", "[":
                let closing: Character = character == "{" ? "}" : "]"
                if index + 1 < characters.count, characters[index + 1] == closing {
                    output += String([character, closing]); index += 1
                } else {
                    output.append(character); indent += 1; newline()
                }
            case "}", "]": indent -= 1; newline(); output.append(character)
            case ",": output.append(","); newline()
            case ":": output += ": "
            case " ", "\n", "\t", "\r": break
            default: output.append(character)
            }
        }
        return output
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
