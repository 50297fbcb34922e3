import Foundation

/// The four moments a scan looks at the site, in the order it goes through them in one browser.
public enum ScanPhase: String, Codable, Sendable, CaseIterable {
    /// A first visit: the banner is open and nothing is chosen.
    case firstVisit = "first-visit"
    /// After "Reject all" in the banner.
    case rejectAll = "reject-all"
    /// After "Accept all" (the banner reopened from the footer's "Cookie settings").
    case acceptAll = "accept-all"
    /// After withdrawing: the banner reopened and "Reject all" chosen.
    case withdraw

    /// Whether the visitor has agreed to the optional categories in this phase.
    var consented: Bool { self == .acceptAll }

    public var title: String {
        switch self {
        case .firstVisit: "before any choice"
        case .rejectAll: "after reject-all"
        case .acceptAll: "after accept-all"
        case .withdraw: "after withdrawing"
        }
    }
}

/// A cookie in the browser, wherever it was set from.
public struct ObservedCookie: Hashable, Sendable {
    public var name: String
    /// As the browser keeps it: `127.0.0.1`, or `.youtube.com` for a domain cookie.
    public var domain: String

    public init(name: String, domain: String) {
        self.name = name
        self.domain = domain
    }
}

/// A request the page made: its URL and what it fetched (`script`, `image`, `frame`, `fetch`, …).
public struct ObservedRequest: Hashable, Sendable {
    public var url: String
    public var type: String

    public init(url: String, type: String) {
        self.url = url
        self.type = type
    }
}

/// What one page showed in one phase: the cookies present once it had settled, and the requests it made.
public struct PageVisit: Sendable {
    public var phase: ScanPhase
    /// The page's path on the site (`/privacy/`).
    public var page: String
    public var cookies: [ObservedCookie]
    public var requests: [ObservedRequest]

    public init(phase: ScanPhase, page: String, cookies: [ObservedCookie], requests: [ObservedRequest]) {
        self.phase = phase
        self.page = page
        self.cookies = cookies
        self.requests = requests
    }
}

/// The requests of a page as the browser's performance log tells them, and which are still
/// under way: a page has settled when none is and the log has been quiet for a moment.
struct NetworkActivity {
    private(set) var inFlight: Set<String> = []
    private(set) var requests: [(request: ObservedRequest, frame: String?)] = []

    private struct Event: Decodable {
        struct Message: Decodable {
            let method: String
            let params: Parameters
        }
        struct Parameters: Decodable {
            let requestId: String?
            let frameId: String?
            let type: String?
            let request: Request?
        }
        struct Request: Decodable {
            let url: String
        }
        let message: Message
    }

    /// Takes in log entries; true when any was a network event.
    mutating func read(_ entries: [String]) -> Bool {
        var saw = false
        for entry in entries {
            guard let event = try? JSONDecoder().decode(Event.self, from: Data(entry.utf8)),
                  let id = event.message.params.requestId else { continue }
            saw = true
            switch event.message.method {
            case "Network.requestWillBeSent":
                inFlight.insert(id)
                if let url = event.message.params.request?.url {
                    requests.append((ObservedRequest(url: url, type: Self.kind(event.message.params.type)), event.message.params.frameId))
                }
            case "Network.loadingFinished", "Network.loadingFailed":
                inFlight.remove(id)
            default:
                break
            }
        }
        return saw
    }

    /// The requests the page itself made (`mainFrame`), and the frames it embedded: what an
    /// embedded frame loads in turn is governed by that frame's own site, not by this one's declarations.
    func requests(ofMainFrame mainFrame: String?) -> [ObservedRequest] {
        requests.filter { $0.frame == mainFrame || mainFrame == nil || $0.request.type == "frame" }.map(\.request)
    }

    /// DevTools' resource types in the words of the report; a document is an embedded frame's.
    static func kind(_ type: String?) -> String {
        switch type {
        case "Document": "frame"
        case "XHR": "xhr"
        case nil: "other"
        case let type?: type.lowercased()
        }
    }
}
