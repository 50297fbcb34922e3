import Foundation
import RedlineContent
import RedlineManifest
import RedlineSite
import RedlineTestSupport

/// A temp folder with the standard fixture content and the repository's real templates.
final class SiteFixture {
    let directory = TemporaryDirectory("redline-site")

    init() {
        ContentFixture.standard(in: directory)
        directory.copy(from: Repository.templates, to: "templates")
    }

    var content: String { directory.subpath("content") }
    var output: String { directory.subpath("public") }

    func options(now: String = "2026-06-15", baseURL: String? = nil) -> BuildOptions {
        BuildOptions(contentDirectory: content, outputDirectory: output, templatesDirectory: directory.subpath("templates"),
                     now: Day(now)!, baseURL: baseURL)
    }

    @discardableResult
    func build(now: String = "2026-06-15", baseURL: String? = nil) throws(BuildFailure) -> BuildReport {
        try SiteBuilder.build(options(now: now, baseURL: baseURL))
    }

    func page(_ relative: String) -> String {
        directory.read("public/\(relative)") ?? ""
    }

    func manifest() throws -> Manifest {
        try Manifest.decode(Data(page("manifest.json").utf8))
    }

    /// Sibling entries that a build leaves next to the output: staging, pending or retired folders
    /// (not the lock file, which stays on purpose).
    func leftovers() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasPrefix(".public.") && $0 != ".public.lock" }
    }
}

extension String {
    /// The text between `start` and the next `end`, or nil.
    func between(_ start: String, _ end: String) -> String? {
        guard let lower = range(of: start)?.upperBound, let upper = self[lower...].range(of: end)?.lowerBound else { return nil }
        return String(self[lower..<upper])
    }
}
