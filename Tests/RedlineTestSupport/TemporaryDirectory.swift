import Foundation

/// A fresh folder under the system temp directory, removed when the value is dropped.
public final class TemporaryDirectory: @unchecked Sendable {
    public let path: String

    public init(_ label: String = "redline-test") {
        path = NSTemporaryDirectory() + "\(label)-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `text` at `relativePath`, creating folders; returns the absolute path.
    @discardableResult
    public func write(_ relativePath: String, _ text: String) -> String {
        let url = URL(fileURLWithPath: "\(path)/\(relativePath)")
        try! FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try! Data(text.utf8).write(to: url)
        return url.path
    }

    public func read(_ relativePath: String) -> String? {
        FileManager.default.contents(atPath: "\(path)/\(relativePath)").flatMap { String(data: $0, encoding: .utf8) }
    }

    public func exists(_ relativePath: String) -> Bool {
        FileManager.default.fileExists(atPath: "\(path)/\(relativePath)")
    }

    public func subpath(_ relativePath: String) -> String { "\(path)/\(relativePath)" }

    /// Copies a folder of the repository (e.g. `templates`) into this one.
    public func copy(from source: String, to relativePath: String) {
        try! FileManager.default.copyItem(atPath: source, toPath: subpath(relativePath))
    }
}

/// Paths in this repository, found from this file's location so tests run from any directory.
public enum Repository {
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    public static var templates: String { "\(root)/templates" }
    public static var content: String { "\(root)/content" }
}

/// A minimal, valid content folder to build on in tests.
public enum ContentFixture {
    public static let siteYAML = """
    title: Example Legal
    baseURL: https://legal.example.com/
    language: en
    """

    public static func policy(title: String = "Privacy Policy", effective: String, material: Bool,
                              summary: String? = "What changed.", published: String? = nil, body: String) -> String {
        var text = "---\ntitle: \(title)\neffective: \(effective)\nmaterial: \(material)\n"
        if let summary { text += "summary: \(summary)\n" }
        if let published { text += "published: \(published)\n" }
        return text + "---\n" + body
    }

    public static func docsPage(title: String, weight: Int? = nil, body: String) -> String {
        "---\ntitle: \(title)\n" + (weight.map { "weight: \($0)\n" } ?? "") + "---\n" + body
    }

    /// Writes site.yaml, a privacy policy with an archived, a current and an upcoming version
    /// (for a build on 2026-06-15), and docs v1 and v2.
    public static func standard(in directory: TemporaryDirectory, at root: String = "content") {
        directory.write("\(root)/site.yaml", siteYAML)
        directory.write("\(root)/policies/privacy/2026-01-01.md", policy(effective: "2026-01-01", material: true, summary: "First version.",
                                                                         body: "Intro.\n\n## Information we collect\n\nEmail.\n\n## Sharing\n\nNobody.\n"))
        directory.write("\(root)/policies/privacy/2026-03-01.md", policy(effective: "2026-03-01", material: false, summary: nil,
                                                                         body: "Intro.\n\n## Information we collect\n\nEmail address.\n\n## Sharing\n\nNobody.\n"))
        directory.write("\(root)/policies/privacy/2026-09-01.md", policy(effective: "2026-09-01", material: true, summary: "We share with a carrier.",
                                                                         published: "2026-06-01",
                                                                         body: "Intro.\n\n## Information we collect\n\nEmail address.\n\n## Sharing\n\nCarriers.\n"))
        directory.write("\(root)/docs/v1/authentication.md", docsPage(title: "Authentication", weight: 1, body: "Query keys.\n\n## Keys\n\nSecret.\n"))
        directory.write("\(root)/docs/v1/legacy.md", docsPage(title: "Legacy", weight: 2, body: "Only in v1.\n"))
        directory.write("\(root)/docs/v2/authentication.md", docsPage(title: "Authentication", weight: 1, body: "Bearer tokens.\n\n## Keys\n\nSecret.\n"))
        directory.write("\(root)/docs/v2/guides/webhooks.md", docsPage(title: "Webhooks", body: "See [errors](../errors.md).\n"))
        directory.write("\(root)/docs/v2/errors.md", docsPage(title: "Errors", weight: 3, body: "Problem details.\n"))
    }
}
