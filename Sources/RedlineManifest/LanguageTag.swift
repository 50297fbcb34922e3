/// The one check of a language tag, for site.yaml, file names, the banner and the consent API alike.
public enum LanguageTag {
    /// `de`, `en-GB`, `zh-Hant`: two or three letters, then subtags of two to eight letters and digits.
    public static func isValid(_ text: some StringProtocol) -> Bool {
        let parts = text.utf8.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        guard let first = parts.first, (2...3).contains(first.count), first.allSatisfy(isLetter) else { return false }
        return parts.dropFirst().allSatisfy { (2...8).contains($0.count) && $0.allSatisfy { isLetter($0) || isDigit($0) } }
    }

    /// Of `tags`, the one for a reader of `locale`: the same tag, else the same language (`de` for `de-AT`).
    public static func bestMatch<Tags: Collection<String>>(for locale: String, among tags: Tags) -> String? {
        let wanted = locale.lowercased()
        if let exact = tags.first(where: { $0.lowercased() == wanted }) { return exact }
        let language = primary(wanted)
        return tags.first { primary($0.lowercased()) == language }
    }

    private static func primary(_ tag: String) -> Substring {
        tag.split(separator: "-", omittingEmptySubsequences: false).first ?? Substring(tag)
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}
