/// A string written as a JSON string literal, which is also a YAML double-quoted scalar and a
/// string literal in Python, JavaScript, Go and Java: the one writer of such literals.
public enum QuotedString {
    /// - Parameter escapingMarkup: write `<`, `>` and `&` as `\u003c`, `\u003e` and `\u0026`, so
    ///   that a reader that shows the text as Markdown or HTML obeys no tag in it.
    public static func json(_ text: String, escapingMarkup: Bool = false) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (escapingMarkup && "<>&".unicodeScalars.contains(scalar)) {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
