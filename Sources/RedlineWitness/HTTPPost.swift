import CRedlineCurl
import Foundation

/// One HTTP(S) POST through libcurl (opened on first use, like SMTP's): what a log needs to
/// reach its witnesses, wherever they are. Blocking, so it runs on a queue of its own.
public struct HTTPPost: Sendable {
    public struct Answer: Sendable {
        public let status: Int
        public let body: Data
    }

    public let timeoutSeconds: Int
    /// Answers larger than this are cut off and the request fails: a witness answers a few lines.
    static let maximumAnswer = 64 * 1024
    private static let queue = DispatchQueue(label: "redline.witness-http", attributes: .concurrent)

    public init(timeoutSeconds: Int = 10) {
        self.timeoutSeconds = timeoutSeconds
    }

    public func post(_ url: String, body: Data, contentType: String = "text/plain; charset=utf-8") async throws -> Answer {
        try await withCheckedThrowingContinuation { continuation in
            Self.queue.async { continuation.resume(with: Result { try perform(url, body: body, contentType: contentType) }) }
        }
    }

    private func perform(_ url: String, body: Data, contentType: String) throws -> Answer {
        guard redline_curl_available() != 0 else { throw HTTPPostError("libcurl is not installed (Debian: libcurl4)") }
        guard let handle = redline_curl_easy_init() else { throw HTTPPostError("libcurl could not start a session") }
        defer { redline_curl_easy_cleanup(handle) }
        var received = redline_curl_buffer(data: nil, length: 0, limit: Self.maximumAnswer, overflow: 0)
        defer { redline_curl_buffer_free(&received) }
        let headers = redline_curl_slist_append(redline_curl_slist_append(nil, "Content-Type: \(contentType)"), "Expect:")
        defer { redline_curl_slist_free_all(headers) }
        let code: CURLcode = body.withUnsafeBytes { bytes in
            redline_curl_set_string(handle, CURLOPT_URL, url)
            redline_curl_set_long(handle, CURLOPT_POST, 1)
            redline_curl_set_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
            redline_curl_set_long(handle, CURLOPT_POSTFIELDSIZE, bytes.count)
            redline_curl_set_list(handle, CURLOPT_HTTPHEADER, headers)
            redline_curl_receive_into(handle, &received)
            redline_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
            redline_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT, timeoutSeconds)
            redline_curl_set_long(handle, CURLOPT_TIMEOUT, timeoutSeconds)
            // Only http and https: a witness URL is never a file or another protocol.
            redline_curl_set_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
            return redline_curl_easy_perform(handle)
        }
        guard code == CURLE_OK else { throw HTTPPostError(String(cString: redline_curl_easy_strerror(code))) }
        var status = 0
        redline_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return Answer(status: status, body: received.data.map { Data(bytes: $0, count: received.length) } ?? Data())
    }
}

public struct HTTPPostError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
