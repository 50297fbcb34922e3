import Foundation
import OpenAPIKit
import OpenAPIKit30
import OpenAPIKitCompat
import RedlineContent
import Yams

/// A problem with an OpenAPI file, at a line of it when the YAML tells which.
public struct APISpecProblem: Error, Sendable, Equatable {
    public let line: Int?
    public let message: String

    public init(line: Int?, message: String) {
        self.line = line
        self.message = message
    }
}

/// Every problem found in one file.
public struct APISpecProblems: Error, Sendable, Equatable {
    public let problems: [APISpecProblem]

    public init(_ problems: [APISpecProblem]) {
        self.problems = problems
    }
}

/// Reads an OpenAPI 3.0 or 3.1 document (YAML or JSON) with OpenAPIKit: decoded, validated, every
/// `$ref` resolved, and turned into an ``APISpec``. Whatever is wrong comes back as problems
/// with the line they are on, all of them when OpenAPIKit reports several.
public enum APISpecReader {
    public static func read(_ text: String, json: Bool = false) throws(APISpecProblems) -> APISpec {
        // The node tree only finds lines for problems; JSON may not parse as YAML (tabs), which is fine.
        let tree: Node?
        do {
            tree = try Yams.compose(yaml: text)
        } catch {
            if !json { throw APISpecProblems([yamlProblem(error)]) }
            tree = nil
        }
        // Bounded first: everything after walks the tree or its resolved copy, aliases and $refs expanded.
        if let tree, let bomb = YAMLAliases.problem(in: tree) { throw APISpecProblems([APISpecProblem(line: bomb.line, message: bomb.message)]) }
        if let refTree = tree ?? (json ? RefExpansion.tree(ofJSON: text) : nil), let problem = RefExpansion.problem(in: refTree) {
            throw APISpecProblems([problem])
        }
        let lines = LineFinder(root: tree)
        let version = (tree?.mapping?["openapi"]?.string) ?? jsonVersion(text)
        guard let version else {
            throw APISpecProblems([APISpecProblem(line: 1, message: "not an OpenAPI 3.0 or 3.1 document: it has no 'openapi' field"
                                            + (tree?.mapping?["swagger"] != nil ? " (Swagger 2.0 is not supported: convert it to OpenAPI 3)" : ""))])
        }
        guard version.hasPrefix("3.0") || version.hasPrefix("3.1") || version.hasPrefix("3.2") else {
            throw APISpecProblems([APISpecProblem(line: lines.line(of: [Key("openapi")]),
                                                  message: "'openapi: \(version)' is not a version Redline reads: use 3.0.x or 3.1.x")])
        }
        let document = try decodeAndValidate(text, json: json, version: version, lines: lines)
        return try resolve(document, lines: lines)
    }

    /// The document decoded (3.0 converted to 3.1) and validated by OpenAPIKit.
    private static func decodeAndValidate(_ text: String, json: Bool, version: String, lines: LineFinder) throws(APISpecProblems) -> OpenAPIKit.OpenAPI.Document {
        let document: OpenAPIKit.OpenAPI.Document
        do {
            if version.hasPrefix("3.0") {
                let old: OpenAPIKit30.OpenAPI.Document = try decode(text, json: json)
                document = old.convert(to: .v3_1_1)
            } else {
                document = try decode(text, json: json)
            }
        } catch {
            let described = OpenAPIKit.OpenAPI.Error(from: error)
            throw APISpecProblems([APISpecProblem(line: lines.line(of: described.codingPath), message: described.localizedDescription)])
        }
        do {
            _ = try document.validate()
        } catch let collection as OpenAPIKit.ValidationErrorCollection {
            throw APISpecProblems(collection.values.map { APISpecProblem(line: lines.line(of: $0.codingPath), message: $0.reason) })
        } catch {
            throw APISpecProblems([APISpecProblem(line: nil, message: "\(error)")])
        }
        return document
    }

    /// Every `$ref` resolved, and the ``APISpec`` built from the result.
    private static func resolve(_ document: OpenAPIKit.OpenAPI.Document, lines: LineFinder) throws(APISpecProblems) -> APISpec {
        do {
            let resolved = try document.locallyDereferenced().resolved()
            let spec = APISpecBuilder(document: document, resolved: resolved).spec
            let undeclared = undeclaredPathParameters(spec, lines: lines)
            if !undeclared.isEmpty { throw APISpecProblems(undeclared) }
            return spec
        } catch let problems as APISpecProblems {
            throw problems
        } catch let error as OpenAPIKit.OpenAPI.Components.ReferenceError {
            switch error {
            case .missingOnLookup(let name, let key), .missingOnCreation(let name, let key):
                let reference = "#/components/\(key)/\(name)"
                throw APISpecProblems([APISpecProblem(line: lines.line(ofReference: reference), message: "$ref '\(reference)' points at nothing: there is no \(key) component '\(name)'")])
            case .cannotLookupRemoteReference:
                throw APISpecProblems([APISpecProblem(line: nil, message: "$refs to other files are not supported: keep the whole API in this one file")])
            }
        } catch let error as OpenAPIKit.OpenAPI.Components.ReferenceCycleError {
            throw APISpecProblems([APISpecProblem(line: lines.line(ofReference: error.ref),
                                            message: "$ref '\(error.ref)' refers back to itself; recursive schemas cannot be shown in the reference yet")])
        } catch {
            throw APISpecProblems([APISpecProblem(line: nil, message: "cannot resolve the document's $refs: \(error)")])
        }
    }

    /// `/shipments/{id}` with no `id` path parameter: clients could not build the URL.
    private static func undeclaredPathParameters(_ spec: APISpec, lines: LineFinder) -> [APISpecProblem] {
        var problems: [APISpecProblem] = []
        for operation in spec.operations {
            let declared = Set(operation.parameters.filter { $0.location == "path" }.map(\.name))
            var rest = Substring(operation.path)
            while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
                let name = String(rest[rest.index(after: open)..<close])
                if !declared.contains(name) {
                    problems.append(APISpecProblem(line: lines.line(of: [Key("paths"), Key(operation.path), Key(operation.method.lowercased())]),
                                                   message: "\(operation.key) has {\(name)} in its path but no path parameter '\(name)'"))
                }
                rest = rest[rest.index(after: close)...]
            }
        }
        return problems
    }

    private static func decode<Document: Decodable>(_ text: String, json: Bool) throws -> Document {
        if json { return try JSONDecoder().decode(Document.self, from: Data(text.utf8)) }
        // Yams keeps the order of maps, which is the order the reference shows.
        return try YAMLDecoder().decode(Document.self, from: text)
    }

    private static func jsonVersion(_ text: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return nil }
        return object["openapi"] as? String
    }

    private static func yamlProblem(_ error: Error) -> APISpecProblem {
        if let error = error as? YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
                return APISpecProblem(line: mark.line, message: "not valid YAML: \(problem)")
            default:
                break
            }
        }
        return APISpecProblem(line: nil, message: "not valid YAML: \(error)")
    }
}

private struct Key: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// Lines of the YAML where a coding path or a `$ref` leads.
struct LineFinder {
    let root: Node?

    /// The line of the deepest node of `path` that exists.
    func line(of path: [CodingKey]) -> Int? {
        guard var node = root else { return nil }
        var line = node.mark?.line
        for key in path {
            if let mapping = node.mapping, let pair = mapping.first(where: { $0.key.string == key.stringValue }) {
                // The key's line: a block value starts on the line after it.
                node = pair.value
                line = pair.key.mark?.line ?? line
            } else if let sequence = node.sequence, let index = key.intValue ?? Int(key.stringValue.replacingOccurrences(of: "Index ", with: "")),
                      index >= 0, index < sequence.count {
                node = sequence[index]
                line = node.mark?.line ?? line
            } else {
                break
            }
        }
        return line
    }

    /// The line of the first `$ref: <reference>`.
    func line(ofReference reference: String) -> Int? {
        guard let root else { return nil }
        return Self.find(reference, in: root)
    }

    private static func find(_ reference: String, in node: Node) -> Int? {
        if let mapping = node.mapping {
            for (key, value) in mapping {
                if key.string == "$ref", value.string == reference { return key.mark?.line }
                if let line = find(reference, in: value) { return line }
            }
        } else if let sequence = node.sequence {
            for element in sequence {
                if let line = find(reference, in: element) { return line }
            }
        }
        return nil
    }
}
