/// An e-mail address as Redline accepts it: ASCII `local@domain`, no spaces, quotes, angle
/// brackets, commas or control characters. Stricter than RFC 5321 allows, on purpose: every
/// address ends up in a header and an SMTP command, and nothing in it may be able to add a
/// header, a recipient or a command.
public struct MailAddress: Sendable, Hashable, CustomStringConvertible {
    public let address: String
    /// The display name for `From`, e.g. "Parcelbird Legal"; never taken from users.
    public let displayName: String?

    public init?(_ address: String, displayName: String? = nil) {
        guard Self.isValid(address) else { return nil }
        self.address = address
        self.displayName = displayName.map { String($0.filter { !$0.isNewline && $0 != "\0" }) }
    }

    /// Parses `Name <local@domain>` or a bare address, as given in `--mail-from`.
    public init?(parsing text: String) {
        let trimmed = text.trimmingWhitespace()
        if trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") {
            let name = String(trimmed[..<open]).trimmingWhitespace().trimmingQuotes()
            self.init(String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]),
                      displayName: name.isEmpty ? nil : name)
        } else {
            self.init(trimmed)
        }
    }

    public var description: String { address }

    public var domain: String { String(address[address.index(after: address.lastIndex(of: "@")!)...]) }

    public static func isValid(_ address: String) -> Bool {
        let bytes = Array(address.utf8)
        guard bytes.count <= 254, let at = bytes.lastIndex(of: UInt8(ascii: "@")), at > 0, at <= 64, at < bytes.count - 1 else { return false }
        let local = bytes[..<at], domain = bytes[(at + 1)...]
        let localAllowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~.".utf8)
        guard local.allSatisfy(localAllowed.contains), local.first != UInt8(ascii: "."), local.last != UInt8(ascii: "."),
              !zip(local, local.dropFirst()).contains(where: { $0 == UInt8(ascii: ".") && $1 == UInt8(ascii: ".") }) else { return false }
        let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return labels.count >= 2 && labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63 && label.first != UInt8(ascii: "-") && label.last != UInt8(ascii: "-")
                && label.allSatisfy { isASCIIAlphanumeric($0) || $0 == UInt8(ascii: "-") }
        }
    }

    private static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
}

extension String {
    func trimmingWhitespace() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    fileprivate func trimmingQuotes() -> String {
        count >= 2 && hasPrefix("\"") && hasSuffix("\"") ? String(dropFirst().dropLast()) : self
    }
}
