import Foundation
import NIOHTTP1

/// One browser session through chromedriver, in the W3C WebDriver protocol, with the two
/// Chromium extensions the scan reads: DevTools commands (`goog/cdp/execute`: every cookie,
/// third parties' included) and the performance log (every request the page made).
struct WebDriverSession: Sendable {
    let driver: LoopbackHTTP
    let id: String

    /// Starts a browser with a fresh profile in `profile`.
    static func start(_ driver: LoopbackHTTP, chromium: Chromium, profile: String) async throws -> WebDriverSession {
        let capabilities: [String: Any] = [
            "capabilities": [
                "alwaysMatch": [
                    "browserName": "chrome",
                    "pageLoadStrategy": "normal",
                    "timeouts": ["pageLoad": 60_000, "script": 30_000, "implicit": 0],
                    "goog:chromeOptions": [
                        "binary": chromium.browser,
                        "args": chromium.arguments(profile: profile),
                        "perfLoggingPrefs": ["enableNetwork": true, "enablePage": false],
                    ] as [String: Any],
                    "goog:loggingPrefs": ["performance": "ALL"],
                ] as [String: Any],
            ],
        ]
        let answer = try await call(driver, .POST, "/session", capabilities)
        guard let value = answer as? [String: Any], let id = value["sessionId"] as? String else {
            throw ScanError("chromedriver started no browser session")
        }
        return WebDriverSession(driver: driver, id: id)
    }

    func quit() async {
        _ = try? await Self.call(driver, .DELETE, "/session/\(id)", nil)
    }

    /// Loads `url` and returns when its `load` event has fired.
    func navigate(to url: String) async throws {
        _ = try await command(.POST, "url", ["url": url])
    }

    /// The value a script returns (`return …`), run in the page.
    func execute(_ script: String) async throws -> Any? {
        try await command(.POST, "execute/sync", ["script": script, "args": [Any]()])
    }

    /// A real click, as a person's: on the element's centre, after scrolling it into view.
    func click(_ css: String) async throws {
        let found = try await command(.POST, "element", ["using": "css selector", "value": css])
        guard let element = (found as? [String: Any])?.values.first as? String else {
            throw ScanError("no element matches \(css)")
        }
        _ = try await command(.POST, "element/\(element)/click", [String: Any]())
    }

    /// A Chrome DevTools Protocol command's result.
    func devTools(_ method: String, _ parameters: [String: Any] = [:]) async throws -> [String: Any] {
        (try await command(.POST, "goog/cdp/execute", ["cmd": method, "params": parameters])) as? [String: Any] ?? [:]
    }

    /// The performance log's entries since the last call: DevTools events as JSON text.
    func performanceLog() async throws -> [String] {
        let entries = try await command(.POST, "se/log", ["type": "performance"]) as? [[String: Any]] ?? []
        return entries.compactMap { $0["message"] as? String }
    }

    private func command(_ method: HTTPMethod, _ path: String, _ body: [String: Any]) async throws -> Any? {
        try await Self.call(driver, method, "/session/\(id)/\(path)", body)
    }

    /// The `value` of a WebDriver answer; an error answer becomes a ``ScanError`` with its message.
    private static func call(_ driver: LoopbackHTTP, _ method: HTTPMethod, _ path: String, _ body: [String: Any]?) async throws -> Any? {
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        let answer = try await driver.send(method, path, json: data)
        let json = (try? JSONSerialization.jsonObject(with: answer.body, options: [.fragmentsAllowed])) as? [String: Any]
        let value = json?["value"]
        if answer.status != 200 {
            let error = value as? [String: Any]
            let message = (error?["message"] as? String)?.split(whereSeparator: \.isNewline).first.map(String.init) ?? "HTTP \(answer.status)"
            throw ScanError("the browser refused \(path.split(separator: "/").last ?? ""): \(message)")
        }
        return value is NSNull ? nil : value
    }
}
