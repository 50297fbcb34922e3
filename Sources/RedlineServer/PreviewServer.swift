import Foundation
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// What the preview tells open pages: reload after a good build, or show the problems of a bad
/// one over the page (the last good build stays served).
public final class PreviewEvents: Sendable {
    public enum Event: Sendable, Equatable {
        case reload
        case problems(String)
    }

    private let listeners = Mutex<[UUID: AsyncStream<Event>.Continuation]>([:])
    /// The latest problems, for pages opened after they were found; nil after a good build.
    private let pending = Mutex<String?>(nil)

    public init() {}

    public func reloaded() {
        pending.withLock { $0 = nil }
        send(.reload)
    }

    public func failed(_ problems: String) {
        pending.withLock { $0 = problems }
        send(.problems(problems))
    }

    public var currentProblems: String? { pending.withLock { $0 } }

    func stream() -> AsyncStream<Event> {
        let (stream, continuation) = AsyncStream<Event>.makeStream(bufferingPolicy: .bufferingNewest(8))
        let id = UUID()
        listeners.withLock { $0[id] = continuation }
        continuation.onTermination = { [weak self] _ in _ = self?.listeners.withLock { $0.removeValue(forKey: id) } }
        if let problems = currentProblems { continuation.yield(.problems(problems)) }
        return stream
    }

    /// Ends every open event stream, so a stopping server is not held open by them.
    public func finish() {
        for continuation in listeners.withLock({ Array($0.values) }) { continuation.finish() }
    }

    private func send(_ event: Event) {
        for continuation in listeners.withLock({ Array($0.values) }) { continuation.yield(event) }
    }
}

/// `redline preview`'s HTTP side: the built folder, every HTML page with a small script that
/// listens for rebuilds (server-sent events at `/__redline/events`), and nothing else: no consent
/// API, no database. Never for production.
public enum PreviewServer {
    static let scriptPath = "/__redline/preview.js"
    static let eventsPath = "/__redline/events"

    public static func make(site: SiteFolder, events: PreviewEvents, host: String, port: Int, logger: Logger) -> some ApplicationProtocol {
        let router = Router(context: ServerContext.self)
        router.add(middleware: PreviewHostMiddleware(host: host, port: port))
        router.add(middleware: RequestPathMiddleware())
        router.get(RouterPath(eventsPath)) { _, _ in eventStream(events) }
        router.get(RouterPath(scriptPath)) { _, _ in
            Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "no-store"],
                     body: .init(byteBuffer: ByteBuffer(string: script)))
        }
        router.get("/") { _, _ in try page("/", site: site, events: events) }
        router.get("**") { request, _ in
            let path = request.uri.path.removingPercentEncoding ?? request.uri.path
            // As `redline serve` does: a page's Markdown twin for a client that prefers Markdown.
            if path.hasSuffix("/"), MarkdownTwinMiddleware.prefersMarkdown(request.headers[.accept]), site.contents(path + "index.md") != nil {
                return try page(path + "index.md", site: site, events: events)
            }
            return try page(path, site: site, events: events)
        }
        return Application(router: router, configuration: .init(address: .hostname(host, port: port), serverName: "redline-preview"),
                           logger: logger)
    }

    static func eventStream(_ events: PreviewEvents) -> Response {
        let stream = events.stream()
        let body = ResponseBody { writer in
            try await writer.write(ByteBuffer(string: "retry: 500\n\n"))
            for await event in stream {
                switch event {
                case .reload:
                    try await writer.write(ByteBuffer(string: "event: reload\ndata: {}\n\n"))
                case let .problems(text):
                    let data = text.split(separator: "\n", omittingEmptySubsequences: false).map { "data: \($0)" }.joined(separator: "\n")
                    try await writer.write(ByteBuffer(string: "event: problems\n\(data)\n\n"))
                }
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-store"], body: body)
    }

    static func page(_ path: String, site: SiteFolder, events: PreviewEvents) throws -> Response {
        // No consent service behind a preview: without its config the banner stays away.
        if path.hasSuffix("/consent/config.json") { return Response(status: .notFound) }
        var filePath = path
        if let folder = site.open(path), folder.isFolder {
            guard path.hasSuffix("/") else { return Response(status: .movedPermanently, headers: [.location: path + "/"]) }
            filePath = path + "index.html"
        }
        guard let (data, _) = site.contents(filePath) else {
            if let problems = events.currentProblems, site.open("/index.html") == nil {
                return html(ByteBuffer(string: "<!doctype html><html lang=\"en\"><title>Build failed</title><h1>The site has not built yet</h1><pre>\(problems.escapedForHTML)</pre>"), status: .ok)
            }
            let notFound = site.contents("/404.html")?.data ?? ByteBuffer(string: "<!doctype html><title>Not found</title><p>Not found.")
            return html(notFound, status: .notFound)
        }
        let fileExtension = String(filePath.split(separator: "/").last?.split(separator: ".").last ?? "")
        guard fileExtension == "html" else {
            let type = ServerApplication.textTypes[fileExtension]?.description
                ?? MediaType.getMediaType(forExtension: fileExtension)?.description ?? "application/octet-stream"
            return Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-store"], body: .init(byteBuffer: data))
        }
        return html(data, status: .ok)
    }

    /// The page with the preview script before `</body>` (or at the end).
    static func html(_ page: ByteBuffer, status: HTTPResponse.Status) -> Response {
        var text = String(buffer: page)
        let tag = "<script src=\"\(scriptPath)\"></script>"
        if let end = text.range(of: "</body>", options: .backwards) { text.insert(contentsOf: tag, at: end.lowerBound) } else { text += tag }
        return Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static let script = """
        (function () {
          "use strict";
          var overlay = null;
          function show(text) {
            if (!overlay) {
              overlay = document.createElement("div");
              overlay.id = "redline-preview-problems";
              overlay.setAttribute("role", "alert");
              overlay.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
                "background:#fff5f5;color:#6b0000;border-top:3px solid #b00020;padding:1rem 1.5rem;font:14px/1.5 ui-monospace,monospace;";
              document.body.appendChild(overlay);
            }
            overlay.textContent = "";
            var title = document.createElement("strong");
            title.textContent = "The last edit does not build; this page is the last good build.";
            var list = document.createElement("pre");
            list.style.cssText = "white-space:pre-wrap;margin:0.5rem 0 0";
            list.textContent = text;
            overlay.appendChild(title);
            overlay.appendChild(list);
          }
          var events = new EventSource("\(eventsPath)");
          events.addEventListener("reload", function () { location.reload(); });
          events.addEventListener("problems", function (event) { show(event.data); });
        })();
        """
}

/// Answers only requests addressed to the preview itself. Drafts are served without any login,
/// so a page elsewhere that rebinds its own name to 127.0.0.1 (DNS rebinding) could otherwise
/// read them: its requests carry its own name as Host, which is refused here with 421.
struct PreviewHostMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let allowed: Set<String>

    init(host: String, port: Int) {
        var names: Set<String> = ["127.0.0.1:\(port)", "localhost:\(port)", "[::1]:\(port)"]
        names.insert((host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host).lowercased() + ":\(port)")
        allowed = names
    }

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        guard let authority = request.head.authority?.lowercased(), allowed.contains(authority) else {
            return Response(status: .misdirectedRequest, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(string: "This preview answers only to http://127.0.0.1, localhost or [::1] on its own port.\n")))
        }
        return try await next(request, context)
    }
}

extension String {
    /// Safe as an element's text or a quoted attribute's value in the pages the server writes itself.
    var escapedForHTML: String {
        replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}
