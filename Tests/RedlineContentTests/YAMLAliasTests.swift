import Foundation
import RedlineContent
import Testing

/// The alias bomb of an OpenAPI file, in front matter and site.yaml: refused at its anchor.
@Suite struct YAMLAliasTests {
    static let bomb = (1...9).map { level in
        level == 1 ? "x1: &l1 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"
            : "x\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]"
    }.joined(separator: "\n")

    @Test func frontMatterWithAnAliasBombIsAnErrorAtItsLine() {
        let text = "---\ntitle: Privacy\n\(Self.bomb)\n---\n# Privacy\n"
        do {
            _ = try FrontMatter.parse(text, path: "content/policies/privacy/2027-01-01.md")
            Issue.record("the bomb was read")
        } catch {
            let message = error.diagnostics.map(\.description).joined(separator: "\n")
            #expect(message.contains("content/policies/privacy/2027-01-01.md:"), "\(message)")
            #expect(message.contains("YAML alias bomb"), "\(message)")
        }
    }

    @Test func siteYAMLWithAnAliasBombIsAnError() {
        let (config, problems) = SiteConfig.parse("title: T\nbaseURL: https://example.com/\n\(Self.bomb)\n", path: "content/site.yaml")
        #expect(config == nil)
        #expect(problems.contains { $0.description.contains("YAML alias bomb") }, "\(problems)")
    }

    @Test func afewAliasesAreFine() {
        let text = "---\ntitle: &t Privacy\nsummary: *t\n---\nbody\n"
        #expect((try? FrontMatter.parse(text, path: "p.md")) != nil)
    }
}
