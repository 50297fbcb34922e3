import Foundation
import Testing
@testable import RedlineServer

@Suite struct JSONParserTests {
    func parse(_ text: String) throws(JSONParser.Failure) -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    @Test func parsesEveryKindOfValue() throws {
        let value = try parse(#" {"a": [1, -2.5e3, true, false, null, "x\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"], "b": {}, "c": []} "#)
        #expect(value == .object([
            "a": .array([.number(1), .number(-2500), .bool(true), .bool(false), .null, .string("x\"\\/\u{08}\u{0C}\n\r\té😀")]),
            "b": .object([:]), "c": .array([]),
        ]))
        #expect(try parse("\"日本\"") == .string("日本"))
        #expect(try parse("0") == .number(0))
    }

    @Test(arguments: [
        ("", "unexpected end of input at byte 0"),
        ("{\"a\": [}", "unexpected character at byte 7"),
        ("{\"a\" 1}", "expected ':' after a member name at byte 5"),
        ("{a: 1}", "expected a member name in quotes at byte 1"),
        ("[1, 2", "unexpected end of input at byte 5"),
        ("[1 2]", "expected ',' or ']' at byte 3"),
        ("\"tab\there\"", "a control character must be escaped at byte 4"),
        ("\"\\x\"", "invalid escape at byte 3"),
        ("\"\\ud83d\"", "a high surrogate must be followed by a low one at byte 7"),
        ("01", "unexpected text after the JSON value at byte 1"),
        ("-", "invalid number at byte 1"),
        ("1.", "invalid number at byte 2"),
        ("tru", "unexpected character at byte 0"),
        ("{} {}", "unexpected text after the JSON value at byte 3"),
    ])
    func reportsWhereItStopped(text: String, message: String) {
        #expect(throws: JSONParser.Failure(message: message)) { try parse(text) }
    }

    @Test func invalidUTF8AndDeepNestingAreRefused() {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParser.Failure(message: "nested more than 64 levels deep at byte 64")) { try parse(deep) }
        let fine = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect((try? parse(fine)) != nil)
    }
}
