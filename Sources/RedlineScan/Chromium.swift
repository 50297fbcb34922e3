import Foundation

/// Where Chromium and its WebDriver are: Debian's `chromium` and `chromium-driver` packages.
/// Only `redline scan` needs them, so they are looked for when it runs, never at build time.
public struct Chromium: Sendable {
    public let browser: String
    public let driver: String

    /// The one line `redline scan` prints when either is missing.
    public static let missing = ScanError(
        "Chromium is needed for scan: install the Debian packages chromium and chromium-driver (apt-get install chromium chromium-driver)")

    /// `REDLINE_CHROMIUM` and `REDLINE_CHROMEDRIVER` name the programs (another build, or a
    /// missing one in a test); else `chromium` and `chromedriver` on PATH, and the driver where
    /// Debian installs it when it is not on PATH.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Chromium {
        let path = (environment["PATH"] ?? "/bin:/usr/bin").split(separator: ":").map(String.init)
        func find(_ name: String) -> String? {
            let candidates = name.contains("/") ? [name] : path.map { "\($0)/\(name)" }
            return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
        }
        let browser = find(environment["REDLINE_CHROMIUM"] ?? "chromium")
        let driver = find(environment["REDLINE_CHROMEDRIVER"] ?? "chromedriver")
            ?? (environment["REDLINE_CHROMEDRIVER"] == nil ? find("/usr/lib/chromium/chromedriver") : nil)
        guard let browser, let driver else { throw missing }
        return Chromium(browser: browser, driver: driver)
    }

    /// The browser's switches: headless, quiet (no updates, sync or first-run pages whose
    /// requests would look like the site's), and its profile in `profile`, a folder the scan
    /// removes, so nothing is left in /tmp when a run is cut short.
    func arguments(profile: String) -> [String] {
        ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900",
         "--no-first-run", "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--disable-extensions", "--disable-default-apps", "--mute-audio", "--user-data-dir=\(profile)"]
    }
}

/// chromedriver on a free loopback port, in a process group of its own with the browsers it starts.
final class ChromeDriver: Sendable {
    let process: ChildProcess
    let http: LoopbackHTTP

    /// Starts chromedriver and waits until it answers; its log goes to `folder/chromedriver.log`.
    init(_ chromium: Chromium, folder: String) async throws {
        let port = try LoopbackHTTP.freePort()
        let log = folder + "/chromedriver.log"
        // Chromium's own temporary files go in the scan's folder too, so they go with it.
        process = try ChildProcess([chromium.driver, "--port=\(port)", "--log-level=WARNING"], log: log, environment: ["TMPDIR": folder])
        http = LoopbackHTTP(port: port, timeout: .seconds(120))
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(30)
        while clock.now < deadline {
            if process.hasExited { break }
            if let status = try? await LoopbackHTTP(port: port, timeout: .seconds(2)).get("/status"), status.status == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.stop()
        let said = (try? String(contentsOfFile: log, encoding: .utf8))?.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        throw ScanError("chromedriver (\(chromium.driver)) did not start" + (said.isEmpty ? "" : ": \(said)"))
    }

    func stop() {
        process.stop()
    }
}
