import Foundation
@testable import RedlineOpenAPI
import Testing

/// Small files built to expand: each must be refused at a line, quickly, instead of hanging.
@Suite struct HostileSpecTests {
    static let header = """
    openapi: 3.1.0
    info: { title: Bomb, version: "1" }

    """

    /// Nine anchors of ten aliases each: 10⁹ nodes in a few hundred bytes.
    static let billionLaughs = (1...9).map { level in
        let name = "l\(level)", previous = "l\(level - 1)"
        return level == 1 ? "x-l1: &l1 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"
            : "x-\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]"
    }.joined(separator: "\n")

    /// Schema N uses schema N+1 three times: no cycle, 3³⁰ nodes once resolved.
    static func fanOut(levels: Int, uses: Int = 3) -> String {
        var text = header + "paths:\n  /a:\n    get:\n      responses:\n        \"200\":\n          description: ok\n"
            + "          content:\n            application/json:\n              schema: { $ref: \"#/components/schemas/S0\" }\n"
            + "components:\n  schemas:\n"
        for level in 0..<levels {
            let fields = (0..<uses).map { "f\($0): { $ref: \"#/components/schemas/S\(level + 1)\" }" }.joined(separator: ", ")
            text += "    S\(level): { type: object, properties: { \(fields) } }\n"
        }
        return text + "    S\(levels): { type: string }\n"
    }

    func firstProblem(_ text: String, json: Bool = false) -> APISpecProblem? {
        do {
            _ = try APISpecReader.read(text, json: json)
            return nil
        } catch {
            return error.problems.first
        }
    }

    @Test(.timeLimit(.minutes(1))) func aYAMLAliasBombIsRefusedAtItsAnchor() throws {
        let started = Date()
        let problem = try #require(firstProblem(Self.header + Self.billionLaughs + "\npaths: {}\n"))
        #expect(problem.message.contains("YAML alias bomb"), "\(problem.message)")
        #expect((4...12).contains(problem.line ?? 0), "the line of an anchor, not \(String(describing: problem.line))")
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test(.timeLimit(.minutes(1))) func refFanOutWithoutACycleIsRefusedAtItsRef() throws {
        let started = Date()
        let problem = try #require(firstProblem(Self.fanOut(levels: 30)))
        #expect(problem.message.contains("resolve to more than \(RefExpansion.maximumNodes) nodes"), "\(problem.message)")
        #expect(problem.message.contains("$ref '#/components/schemas/S"))
        #expect(problem.line != nil)
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test func aModestFanOutStillReads() throws {
        #expect(firstProblem(Self.fanOut(levels: 4)) == nil)
    }

    @Test(.timeLimit(.minutes(1))) func refFanOutInJSONIsRefusedToo() throws {
        var schemas: [String: Any] = ["S40": ["type": "string"]]
        for level in 0..<40 {
            let next = ["$ref": "#/components/schemas/S\(level + 1)"]
            schemas["S\(level)"] = ["type": "object", "properties": ["a": next, "b": next]]
        }
        let document: [String: Any] = [
            "openapi": "3.1.0", "info": ["title": "Bomb", "version": "1"],
            "paths": ["/a": ["get": ["responses": ["200": ["description": "ok", "content": ["application/json": ["schema": ["$ref": "#/components/schemas/S0"]]]]]]]],
            "components": ["schemas": schemas],
        ]
        // Tabs: libyaml refuses them, so the JSON path of the check is the one taken.
        let text = String(decoding: try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted]), as: UTF8.self)
            .replacingOccurrences(of: "  ", with: "\t")
        let problem = try #require(firstProblem(text, json: true))
        #expect(problem.message.contains("resolve to more than"), "\(problem.message)")
    }

    @Test func aChainOfRefsDeeperThanAnyAPIIsRefused() throws {
        var text = Self.fanOut(levels: 0).replacingOccurrences(of: "    S0: { type: string }\n", with: "")
        for level in 0..<100 { text += "    S\(level): { $ref: \"#/components/schemas/S\(level + 1)\" }\n" }
        text += "    S100: { type: string }\n"
        let problem = try #require(firstProblem(text))
        #expect(problem.message.contains("more than \(RefExpansion.maximumDepth) $refs"), "\(problem.message)")
    }
}
