import Foundation
import RedlineOpenAPI

/// The API reference as Markdown, so that it goes through the same renderer as written docs:
/// anchors, the table of contents, highlighting, search and link checks come with it.
enum APIReferenceMarkdown {
    /// `reference/`: the API, its servers and authentication, and every tag with its operations.
    /// - Parameter fileName: the OpenAPI file's name, which readers can download beside the pages.
    static func index(_ spec: APISpec, fileName: String) -> String {
        var lines: [String] = []
        if let description = spec.description { lines += [description, ""] }
        lines += ["Version \(code(spec.version)) of the OpenAPI description ([download](../\(fileName))).", ""]
        if !spec.servers.isEmpty {
            lines += ["## Servers", ""] + spec.servers.map { "- \(code($0))" } + [""]
        }
        if !spec.securitySchemes.isEmpty {
            lines += ["## Authentication", ""]
            for scheme in spec.securitySchemes {
                lines.append("- \(code(scheme.name)): \(scheme.kind)" + (scheme.description.map { ". " + oneLine($0) } ?? ""))
            }
            lines.append("")
        }
        lines += ["## Operations", ""]
        for tag in spec.tags {
            lines.append("### [\(escaped(tag.name))](\(tag.slug)/)")
            lines.append("")
            // (The tag's description is on its own page only: a relative link in it means one place.)
            for operation in spec.operations(of: tag) {
                lines.append("- \(code(operation.key)): \(escaped(operation.title))" + (operation.deprecated ? " (deprecated)" : ""))
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }

    /// `reference/<tag>/`: every operation of the tag.
    static func tagPage(_ spec: APISpec, tag: APITag) -> String {
        var lines: [String] = []
        if let description = tag.description { lines += [description, ""] }
        for operation in spec.operations(of: tag) {
            lines += self.operation(operation, in: spec)
        }
        return lines.joined(separator: "\n")
    }

    private static func operation(_ operation: APIOperation, in spec: APISpec) -> [String] {
        var lines = ["## \(escaped(operation.title))", ""]
        lines.append("**\(code(operation.key))**" + (operation.deprecated ? " · **Deprecated**" : ""))
        lines.append("")
        if let description = operation.description { lines += [description, ""] }
        if !operation.security.isEmpty {
            let alternatives = operation.security.map { alternative in
                alternative.map { use -> String in
                    let kind = spec.securitySchemes.first { $0.name == use.scheme }?.kind
                    let scopes = use.scopes.isEmpty ? "" : " with scopes " + use.scopes.map(code).joined(separator: ", ")
                    return code(use.scheme) + (kind.map { " (\($0))" } ?? "") + scopes
                }.joined(separator: " and ")
            }
            lines += ["**Authentication:** " + alternatives.joined(separator: ", or "), ""]
        }
        if !operation.parameters.isEmpty {
            // Three columns, so the description keeps room on a phone.
            lines += ["**Parameters**", "", "| Parameter | Type | Description |", "|---|---|---|"]
            for parameter in operation.parameters {
                var description = parameter.description.map(oneLine) ?? ""
                let extras = details(parameter.schema)
                if !extras.isEmpty {
                    let sentence = extras.joined(separator: "; ")
                    description += description.isEmpty ? sentence.prefix(1).uppercased() + sentence.dropFirst() + "." : " " + sentence.prefix(1).uppercased() + sentence.dropFirst() + "."
                }
                if parameter.deprecated { description = "**Deprecated.** " + description }
                let name = code(parameter.name) + " · " + parameter.location + (parameter.required ? " · **required**" : "")
                lines.append("| \(name) | \(escaped(parameter.schema.typeText)) | \(cell(description)) |")
            }
            lines.append("")
        }
        if let body = operation.requestBody {
            lines += ["**Request body** (" + body.content.map { code($0.type) }.joined(separator: ", ") + (body.required ? ", required" : ", optional") + ")", ""]
            if let description = body.description { lines += [oneLine(description), ""] }
            if let schema = body.content.first?.schema { lines += fields(schema, indent: "") + [""] }
        }
        if !operation.responses.isEmpty {
            lines += ["**Responses**", ""]
            for response in operation.responses {
                let types = response.content.map { media in code(media.type) + (media.schema.map { ": " + escaped($0.name ?? $0.typeText) } ?? "") }
                lines.append("- \(code(response.status)) \(escaped(oneLine(response.description)))" + (types.isEmpty ? "" : " (" + types.joined(separator: ", ") + ")"))
                if response.status.hasPrefix("2"), let schema = response.content.first?.schema {
                    lines += fields(schema, indent: "  ")
                }
            }
            lines.append("")
        }
        lines += ["**Example request**", ""] + requestSamples(operation, in: spec)
        if let success = operation.responses.first(where: { $0.status.hasPrefix("2") }), let media = success.content.first,
           let body = APIExample.body(media) {
            lines += ["**Example response** (\(code(success.status)))", "", "```json", body, "```", ""]
        }
        return lines
    }

    /// The request in every language, as one group of code tabs (the reader's choice is remembered).
    static func requestSamples(_ operation: APIOperation, in spec: APISpec) -> [String] {
        let sample = APIRequestSample(operation, in: spec)
        return APIRequestSample.Language.allCases.flatMap { language in
            ["```\(language.fence) tab=\"\(language.label)\"", sample.code(language), "```", ""]
        }
    }

    /// An object's fields as a nested list; an array's items; each alternative of a `oneOf`.
    static func fields(_ schema: APISchema, indent: String, depth: Int = 0) -> [String] {
        guard depth < 10 else { return [] }
        switch schema.type {
        case "object":
            return schema.properties.flatMap { property -> [String] in
                var line = "\(indent)- \(code(property.name)) *\(escaped(property.schema.typeText))*"
                if property.required { line += " · **required**" }
                var notes = details(property.schema)
                if property.schema.readOnly { notes.insert("read-only", at: 0) }
                if property.schema.writeOnly { notes.insert("write-only", at: 0) }
                if property.schema.deprecated { notes.insert("deprecated", at: 0) }
                if !notes.isEmpty { line += " · " + notes.joined(separator: " · ") }
                if let description = property.schema.description { line += " — " + oneLine(description) }
                var lines = [line]
                lines += nested(property.schema, indent: indent + "  ", depth: depth + 1)
                return lines
            }
        default:
            return nested(schema, indent: indent, depth: depth)
        }
    }

    private static func nested(_ schema: APISchema, indent: String, depth: Int) -> [String] {
        switch schema.type {
        case "object": return schema.properties.isEmpty ? [] : fields(schema, indent: indent, depth: depth)
        case "array": return schema.item.map { fields($0, indent: indent, depth: depth) } ?? []
        case "oneOf", "anyOf", "allOf":
            let word = schema.type == "allOf" ? "All of" : schema.type == "oneOf" ? "One of" : "Any of"
            var lines: [String] = []
            for (index, variant) in schema.variants.enumerated() {
                let name = variant.name ?? variant.typeText
                lines.append("\(indent)- \(index == 0 ? word + ": " : "")**\(escaped(name))**")
                lines += fields(variant, indent: indent + "  ", depth: depth + 1)
            }
            return lines
        default: return []
        }
    }

    /// Values, limits and defaults, as short phrases.
    private static func details(_ schema: APISchema) -> [String] {
        var notes: [String] = []
        if !schema.enumValues.isEmpty { notes.append("one of " + schema.enumValues.map(code).joined(separator: ", ")) }
        notes += schema.constraints.map { escapedKeepingCode($0) }
        if let value = schema.defaultValue { notes.append("default " + code(value)) }
        if let example = schema.example, schema.enumValues.isEmpty { notes.append("example " + code(example)) }
        return notes
    }

    /// Inline code that holds any text, backticks included.
    static func code(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        var fence = "`"
        while flat.contains(fence) { fence += "`" }
        let padding = flat.hasPrefix("`") || flat.hasSuffix("`") ? " " : ""
        return fence + padding + flat + padding + fence
    }

    /// Text from the document, on one line (for list items and table cells).
    private static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }

    private static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|")
    }

    /// Plain text that Markdown must not read as markup.
    static func escaped(_ text: String) -> String {
        var output = ""
        for character in oneLine(text) {
            if "\\`*_[]<>|#".contains(character) { output.append("\\") }
            output.append(character)
        }
        return output
    }

    /// A constraint phrase whose only markup is its code spans (`pattern `…``).
    private static func escapedKeepingCode(_ text: String) -> String {
        guard let start = text.firstIndex(of: "`"), let end = text.lastIndex(of: "`"), start < end else { return escaped(text) }
        return escaped(String(text[..<start])) + code(String(text[text.index(after: start)..<end]))
    }
}
