import CRedlineCurl
import Foundation

/// Sends through an SMTP server with libcurl: `smtp://` (with STARTTLS when the server offers
/// it, or always with `startTLS: .required`), `smtps://` (TLS from the start), and AUTH from
/// the URL's user part or from `username`/`password`.
///
/// Credentials are taken out of the URL at once and kept where no log, description or
/// reflection (`String(describing:)` of a service holding the transport) can show them.
public struct SMTPTransport: MailTransport, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public enum StartTLS: String, Sendable { case opportunistic, required, off }

    /// The server's URL without user or password.
    public let url: String
    private let credentials: Credentials
    public var startTLS: StartTLS
    public var connectTimeoutSeconds = 10
    public var timeoutSeconds = 60

    var username: String? { credentials.username }
    var password: String? { credentials.password }

    /// A user name and password that never print.
    struct Credentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
        let username: String?
        let password: String?
        var description: String { "credentials(redacted)" }
        var debugDescription: String { description }
        var customMirror: Mirror { Mirror(self, children: []) }
    }

    public init(url: String, username: String? = nil, password: String? = nil, startTLS: StartTLS = .opportunistic) {
        var components = URLComponents(string: url)
        let user = username ?? components?.user
        let secret = password ?? components?.password
        components?.user = nil
        components?.password = nil
        // An unparsable URL is never kept as given: it may hold the password.
        self.url = components?.string ?? "smtp://invalid"
        credentials = Credentials(username: user, password: secret)
        self.startTLS = startTLS
    }

    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["url": url], displayStyle: .struct) }

    /// Whether `url` is something this transport can use.
    public static func isSupported(url: String) -> Bool {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else { return false }
        return (scheme == "smtp" || scheme == "smtps") && !(components.host ?? "").isEmpty
    }

    /// The URL without credentials, for logs.
    public var description: String { url }

    public func openSession() -> any MailSession { Session(transport: self) }

    /// Whether libcurl (Debian: libcurl4) can be loaded; it is opened on first use, not linked.
    public static var isAvailable: Bool { redline_curl_available() != 0 }

    /// One connection's worth of libcurl: an easy handle that keeps its connection open
    /// between messages, used from its own serial queue because libcurl blocks.
    final class Session: MailSession, @unchecked Sendable {
        private let transport: SMTPTransport
        private let queue = DispatchQueue(label: "redline.smtp")
        private var handle: UnsafeMutableRawPointer?

        init(transport: SMTPTransport) {
            self.transport = transport
        }

        func send(_ message: MailMessage) async -> DeliveryOutcome {
            await withCheckedContinuation { continuation in
                queue.async { continuation.resume(returning: self.perform(message)) }
            }
        }

        func close() {
            queue.sync {
                if let handle { redline_curl_easy_cleanup(handle) }
                handle = nil
            }
        }

        deinit {
            if let handle { redline_curl_easy_cleanup(handle) }
        }

        private func perform(_ message: MailMessage) -> DeliveryOutcome {
            if handle == nil { handle = redline_curl_easy_init() }
            guard let handle else {
                return .temporary(SMTPTransport.isAvailable ? "libcurl could not start a session" : "libcurl is not installed (Debian: libcurl4)")
            }
            let upload = UploadState(bytes: message.rendered())
            let uploadPointer = Unmanaged.passRetained(upload)
            defer { uploadPointer.release() }

            let recipients = redline_curl_slist_append(nil, "<\(message.to.address)>")
            defer { redline_curl_slist_free_all(recipients) }

            redline_curl_set_string(handle, CURLOPT_URL, transport.url)
            redline_curl_set_string(handle, CURLOPT_MAIL_FROM, "<\(message.from.address)>")
            redline_curl_set_list(handle, CURLOPT_MAIL_RCPT, recipients)
            redline_curl_set_long(handle, CURLOPT_UPLOAD, 1)
            redline_curl_set_read_function(handle, readBytes)
            redline_curl_set_pointer(handle, CURLOPT_READDATA, uploadPointer.toOpaque())
            redline_curl_set_long(handle, CURLOPT_VERBOSE, 1)
            redline_curl_set_debug_function(handle, recordReply)
            redline_curl_set_pointer(handle, CURLOPT_DEBUGDATA, uploadPointer.toOpaque())
            redline_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
            redline_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT, transport.connectTimeoutSeconds)
            redline_curl_set_long(handle, CURLOPT_TIMEOUT, transport.timeoutSeconds)
            let tls: curl_usessl = switch transport.startTLS {
            case .opportunistic: CURLUSESSL_TRY
            case .required: CURLUSESSL_ALL
            case .off: CURLUSESSL_NONE
            }
            redline_curl_set_long(handle, CURLOPT_USE_SSL, Int(tls.rawValue))
            if let username = transport.username { redline_curl_set_string(handle, CURLOPT_USERNAME, username) }
            if let password = transport.password { redline_curl_set_string(handle, CURLOPT_PASSWORD, password) }

            let code = redline_curl_easy_perform(handle)
            if code == CURLE_OK { return .sent }
            var reply = 0
            redline_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &reply)
            let detail = upload.lastReply.map { "\($0)" } ?? String(cString: redline_curl_easy_strerror(code))
            // A failed login is the operator's configuration, not the recipient's: keep the
            // messages queued so that fixing the credentials sends them.
            if (500..<600).contains(reply) && code != CURLE_LOGIN_DENIED { return .permanent(detail) }
            // After a failure the connection's state is unknown; start the next message afresh.
            redline_curl_easy_cleanup(handle)
            self.handle = nil
            return .temporary(detail)
        }
    }
}

/// The bytes being uploaded and the server's last error reply, shared with libcurl's callbacks.
private final class UploadState {
    let bytes: [UInt8]
    var offset = 0
    /// The last 4xx or 5xx line: the refusal itself, not the "221 Bye" that follows it.
    var lastReply: String?
    init(bytes: [UInt8]) { self.bytes = bytes }
}

private let readBytes: curl_read_callback = { buffer, size, count, context in
    guard let buffer, let context else { return 0 }
    let state = Unmanaged<UploadState>.fromOpaque(context).takeUnretainedValue()
    let length = min(size * count, state.bytes.count - state.offset)
    state.bytes.withUnsafeBufferPointer { source in
        buffer.withMemoryRebound(to: UInt8.self, capacity: length) { target in
            target.update(from: source.baseAddress! + state.offset, count: length)
        }
    }
    state.offset += length
    return length
}

private let recordReply: curl_debug_callback = { _, type, data, size, context in
    // Only refusals are kept: look at the first byte before making a string of the line.
    guard type == CURLINFO_HEADER_IN, let data, let context, size > 0, data[0] == 0x34 || data[0] == 0x35 else { return 0 }
    let state = Unmanaged<UploadState>.fromOpaque(context).takeUnretainedValue()
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
    state.lastReply = String(line.prefix(500))
    return 0
}
