/// How text becomes search terms. `assets/search.js` does the same to what a reader types,
/// so both sides must agree: NFKD, combining marks dropped, lower case, split at anything
/// that is not a letter or a digit, words cut at `maximumLength` scalars. "Données" and
/// "donnees" are the same term.
public enum SearchText {
    /// Shorter words (and single digits) match too much to be worth indexing.
    public static let minimumLength = 2
    /// Longer runs are hashes or identifiers; they are cut, and the script cuts queries alike.
    public static let maximumLength = 32

    public static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            if current.count >= minimumLength { words.append(String(String.UnicodeScalarView(current.prefix(maximumLength)))) }
            current = String.UnicodeScalarView()
        }
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                switch scalar.value {
                case 0x30...0x39, 0x61...0x7A: current.append(scalar)
                case 0x41...0x5A: current.append(Unicode.Scalar(scalar.value + 0x20)!)
                default: flush()
                }
                continue
            }
            for part in String(scalar).decomposedStringWithCompatibilityMapping.unicodeScalars {
                switch part.properties.generalCategory {
                case .nonspacingMark:
                    continue
                case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                     .decimalNumber, .letterNumber, .otherNumber:
                    // Final sigma is folded to sigma: JavaScript's toLowerCase picks by position, per scalar it cannot.
                    current.append(contentsOf: part.properties.lowercaseMapping.unicodeScalars.map { $0 == "ς" ? "σ" : $0 })
                default:
                    flush()
                }
            }
        }
        flush()
        return words
    }

    /// The opening of a section for a result list: whitespace collapsed, cut at a word
    /// boundary near `limit` characters.
    public static func snippet(_ text: String, limit: Int = 180) -> String {
        // Only the opening is ever shown; collapsing a whole long section was a third of the index's cost.
        let head = text.prefix(limit * 4)
        let collapsed = head.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let more = head.endIndex != text.endIndex
        guard collapsed.count > limit else { return more && !collapsed.isEmpty ? collapsed + "…" : collapsed }
        let cut = collapsed.prefix(limit)
        let end = cut.lastIndex(of: " ") ?? cut.endIndex
        return String(cut[..<end]) + "…"
    }
}
