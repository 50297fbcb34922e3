import Foundation
import Testing
@testable import RedlineOpenAPI

/// Every language's sample is the same request: method, URL, credentials from the environment,
/// headers and body. (The end-to-end suite runs each one against a server that checks.)
@Suite struct RequestSampleTests {
    static let spec = """
        openapi: 3.1.0
        info: { title: T, version: "1" }
        servers: [{ url: "https://api.example.test/v1/" }]
        security: [{ basic: [] }]
        paths:
          /notes/{id}:
            put:
              parameters:
                - { name: id, in: path, required: true, schema: { type: string, example: "n 1/2" } }
                - { name: q, in: query, required: true, schema: { type: string, example: "a&b=c" } }
                - { name: X-Trace, in: header, required: true, schema: { type: string, example: abc } }
              requestBody:
                content:
                  application/json:
                    example: { text: "say \\"hi\\" \\\\ back\\u002f", done: false, tags: null, quote: "'''", tick: "`", raw: "\\"\\"\\"#" }
              responses: { "200": { description: OK } }
        components:
          securitySchemes:
            basic: { type: http, scheme: basic }
        """

    func sample() throws -> APIRequestSample {
        let spec = try APISpecReader.read(Self.spec)
        return APIRequestSample(spec.operations[0], in: spec)
    }

    @Test func theRequestIsBuiltOnceForEveryLanguage() throws {
        let sample = try sample()
        #expect(sample.method == "PUT")
        #expect(sample.url == "https://api.example.test/v1/notes/n%201/2?q=a%26b%3Dc")
        #expect(sample.credentials == [.basic])
        #expect(sample.headers.map(\.name) == ["X-Trace", "Content-Type"])
        let body = try #require(sample.body)
        let decoded = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        #expect(decoded["text"] as? String == "say \"hi\" \\ back/")
    }

    @Test func everyLanguageNamesTheSameRequestAndNoSecret() throws {
        let sample = try sample()
        for language in APIRequestSample.Language.allCases {
            let code = sample.code(language)
            #expect(code.contains(language == .go || language == .python || language == .java || language == .swift || language == .javascript
                                  ? "\"PUT\"" : "-X PUT"), "\(language)")
            #expect(code.contains("notes/n%201/2?q=a%26b%3Dc"), "\(language)")
            #expect(code.contains("USERNAME") && code.contains("PASSWORD"), "\(language): credentials come from the environment")
            #expect(code.contains("X-Trace"), "\(language)")
        }
    }

    @Test func bodiesSurviveEachLanguagesQuoting() throws {
        let sample = try sample()
        // Python: JSON's literals become Python's; `\/` a plain slash.
        let python = sample.code(.python)
        #expect(python.contains("\"done\": False") && python.contains("\"tags\": None") && !python.contains("\\/"))
        // Go: a backquote in the body means a quoted string, not a raw one.
        #expect(sample.code(.go).contains("strings.NewReader(\"{\\n"))
        // Java: backslashes doubled inside the text block, and its delimiter never closed early.
        let java = sample.code(.java)
        #expect(java.contains("\\\\\"hi\\\\\"") && java.contains("\\\\\"\\\\\"\\\\\"#"))
        // Swift: a raw string with more #s than any `"#` run in the body.
        #expect(sample.code(.swift).contains("Data(##\"\"\"\n"))
    }
}
