/// One problem with a field a client or an operator sent, named by its JSON path or column.
public struct FieldProblem: Codable, Sendable, Equatable {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// Consent subject ids and user ids: letters, digits, '-', '_', '.' and ':', so that one can
/// stand in a URL path, a log line or a CSV field as it is.
public enum Identifier {
    // Byte checks: `CharacterSet` lookups cost a dynamic cast per character on every request.
    public static func hasAllowedCharacters(_ text: String) -> Bool {
        text.utf8.allSatisfy { isASCIIAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ":") }
    }

    private static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
