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
        // The word so far as UTF-8, cut at `maximumLength` scalars, and how many scalars it had.
        // Bytes, not a scalar view: this runs over every indexed page and was a twelfth of a build.
        var current: [UInt8] = []
        current.reserveCapacity(4 * maximumLength)
        var length = 0
        func add(_ scalar: Unicode.Scalar) {
            length += 1
            if length <= maximumLength { current.append(contentsOf: UTF8.encode(scalar)!) }
        }
        func flush() {
            if length >= minimumLength { words.append(String(decoding: current, as: UTF8.self)) }
            current.removeAll(keepingCapacity: true)
            length = 0
        }
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value < 0x80 {
                switch value {
                case 0x30...0x39, 0x61...0x7A:
                    length += 1
                    if length <= maximumLength { current.append(UInt8(value)) }
                case 0x41...0x5A:
                    length += 1
                    if length <= maximumLength { current.append(UInt8(value + 0x20)) }
                default:
                    flush()
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
                    for lower in part.properties.lowercaseMapping.unicodeScalars { add(lower == "ς" ? "σ" : lower) }
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
