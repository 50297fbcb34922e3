import CRedlineCurl
import Foundation

/// An IMAP folder read through libcurl (opened on first use, as for SMTP): the UIDs it holds
/// and each message's bytes. Reading a message marks it `\Seen`, as any mail client does;
/// nothing is moved or deleted. `imaps://` is TLS from the start; `imap://` uses STARTTLS when
/// the server offers it.
public struct IMAPMailbox: Sendable {
    /// `imap[s]://host[:port]/FOLDER`, without credentials.
    public let url: String
    let username: String?
    let password: String?
    public var timeoutSeconds = 30

    /// `url` may carry `user:password@`; `username` and `password` (from REDLINE_IMAP_USERNAME and
    /// REDLINE_IMAP_PASSWORD) win over it. Throws for anything but an imap:// or imaps:// URL with a folder.
    public init(url: String, username: String? = nil, password: String? = nil) throws {
        guard var parts = URLComponents(string: url), ["imap", "imaps"].contains(parts.scheme?.lowercased() ?? ""),
              let host = parts.host, !host.isEmpty, parts.path.count > 1 else {
            // Not echoed: a URL that does not parse may still hold a password.
            throw MailboxError("--imap must be the URL of an IMAP folder, such as imaps://mail.example.com/Bounces")
        }
        self.username = username ?? parts.user?.removingPercentEncoding
        self.password = password ?? parts.password?.removingPercentEncoding
        parts.user = nil
        parts.password = nil
        self.url = parts.string ?? url
    }

    /// Every message's UID, oldest first.
    public func uids() throws -> [Int] {
        let answer = String(decoding: try perform(url, command: "UID SEARCH ALL", limit: 1 << 20), as: UTF8.self)
        let line = answer.split(whereSeparator: \.isNewline).first { $0.hasPrefix("* SEARCH") } ?? ""
        return line.dropFirst("* SEARCH".count).split(separator: " ").compactMap { Int($0) }
    }

    /// The message with `uid`; throws ``MailboxError`` past `limit` bytes, without reading on.
    public func message(uid: Int, limit: Int) throws -> Data {
        try perform(url.hasSuffix("/") ? "\(url);UID=\(uid)" : "\(url)/;UID=\(uid)", command: nil, limit: limit)
    }

    private func perform(_ target: String, command: String?, limit: Int) throws -> Data {
        guard redline_curl_available() != 0 else { throw MailboxError("libcurl is not installed (Debian: libcurl4)") }
        guard let handle = redline_curl_easy_init() else { throw MailboxError("libcurl could not start a session") }
        defer { redline_curl_easy_cleanup(handle) }
        var received = redline_curl_buffer(data: nil, length: 0, limit: limit, overflow: 0)
        defer { redline_curl_buffer_free(&received) }
        redline_curl_set_string(handle, CURLOPT_URL, target)
        redline_curl_set_string(handle, CURLOPT_PROTOCOLS_STR, "imap,imaps")
        if let command { redline_curl_set_string(handle, CURLOPT_CUSTOMREQUEST, command) }
        if let username { redline_curl_set_string(handle, CURLOPT_USERNAME, username) }
        if let password { redline_curl_set_string(handle, CURLOPT_PASSWORD, password) }
        redline_curl_set_long(handle, CURLOPT_USE_SSL, Int(CURLUSESSL_TRY.rawValue))
        redline_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
        redline_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT, timeoutSeconds)
        redline_curl_set_long(handle, CURLOPT_TIMEOUT, timeoutSeconds)
        redline_curl_receive_into(handle, &received)
        let code = redline_curl_easy_perform(handle)
        if received.overflow != 0 { throw MailboxError("over \(limit) bytes: not a delivery report") }
        guard code == CURLE_OK else { throw MailboxError("\(url): \(String(cString: redline_curl_easy_strerror(code)))") }
        return received.data.map { Data(bytes: $0, count: received.length) } ?? Data()
    }
}

public struct MailboxError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
