import Foundation

/// Keeps passwords out of anything printed about a URL (`--smtp-url`, `--db`): errors,
/// `--print-config`, descriptions. Read by hand rather than with URLComponents, because the
/// URLs that matter most here are the malformed ones: a password holding a raw `#`, `/`, `?` or
/// `@` makes URLComponents fail or read part of it as host, port, path or fragment, which the
/// message would then print.
public enum SecretText {
    /// Query parameters whose value is a secret (libpq's and the common spellings).
    static let secretParameters: Set<String> = ["password", "pass", "passwd", "pwd", "sslpassword", "secret", "token"]

    /// `text` with every password replaced by `***`: the userinfo's (everything after its first
    /// `:` up to the last `@`: masking part of a host by mistake is harmless, showing part of a
    /// password is not), a `password=` query parameter's, and, with no `@` at all, whatever
    /// follows a `:` that cannot be a port (`smtp://user:secret`, a forgotten host).
    public static func maskingPasswords(in text: String) -> String {
        let schemeEnd = text.range(of: "://")?.upperBound ?? text.startIndex
        let head = String(text[..<schemeEnd])
        // Malformed (no host, a raw delimiter in the userinfo): which part is the password
        // cannot be told, so nothing after the scheme is shown.
        guard hasUnambiguousUserInfo(text), let parsed = URLComponents(string: text), !(parsed.host ?? "").isEmpty || parsed.query != nil else {
            return head + "***"
        }
        var rest = String(text[schemeEnd...])
        if let at = rest.lastIndex(of: "@") {
            let userinfo = rest[..<at]
            if let colon = userinfo.firstIndex(of: ":") {
                rest = String(userinfo[..<colon]) + ":***" + String(rest[at...])
            }
        } else {
            rest = maskingNonPort(rest)
        }
        return maskingSecretParameters(head + rest)
    }

    /// Whether the userinfo of `text` reads the same to URLComponents as to a person: false when
    /// a raw `@`, `/`, `?`, `#`, `[` or `]` in the user name or password would be taken for a
    /// delimiter, so that part of the password would become host, path or fragment. Such a URL
    /// is refused (with ``maskingPasswords(in:)`` in the message) rather than half-parsed.
    public static func hasUnambiguousUserInfo(_ text: String) -> Bool {
        guard let schemeEnd = text.range(of: "://")?.upperBound else { return true }
        let rest = text[schemeEnd...]
        guard let at = rest.lastIndex(of: "@") else { return true }
        let userinfo = rest[..<at]
        // No ':' before the last '@': no password meant (an '@' in a query value, say).
        guard userinfo.contains(":") else { return true }
        return !userinfo.contains(where: { "@/?#[]".contains($0) })
    }

    /// `host:notaport…` → `host:***`; `host:5432/db` stays.
    private static func maskingNonPort(_ rest: String) -> String {
        let authority = rest.prefix { !"/?#".contains($0) }
        guard !authority.hasPrefix("["), let colon = authority.firstIndex(of: ":") else { return rest }
        let port = authority[authority.index(after: colon)...]
        if port.allSatisfy(\.isASCII) && port.allSatisfy(\.isNumber) { return rest }
        return String(rest[..<colon]) + ":***"
    }

    /// `?password=…` and `&password=…` up to the next `&` (or the end: a `#` may be the password's).
    private static func maskingSecretParameters(_ text: String) -> String {
        guard let query = text.firstIndex(of: "?") else { return text }
        let pairs = text[text.index(after: query)...].split(separator: "&", omittingEmptySubsequences: false)
        let masked = pairs.map { pair -> String in
            guard let equals = pair.firstIndex(of: "=") else { return String(pair) }
            let name = (pair[..<equals].removingPercentEncoding ?? String(pair[..<equals])).lowercased()
            return secretParameters.contains(name) ? String(pair[...equals]) + "***" : String(pair)
        }
        return String(text[...query]) + masked.joined(separator: "&")
    }
}
