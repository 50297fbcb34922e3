import RedlineTestSupport
import Testing
@testable import RedlineContent

@Suite struct FrontMatterTests {
    @Test func parsesFieldsWithTheirFileLines() throws {
        let text = "---\ntitle: Privacy\n\neffective: 2026-04-17\n---\n\nBody here.\n"
        let frontMatter = try FrontMatter.parse(text, path: "p.md")
        #expect(frontMatter.fields["title"]?.line == 2)
        #expect(frontMatter.fields["effective"]?.line == 4)
        #expect(frontMatter.body == "\nBody here.\n")
        #expect(frontMatter.bodyStartLine == 6)
    }

    @Test func acceptsWindowsLineEndingsAndByteOrderMark() throws {
        let frontMatter = try FrontMatter.parse("\u{FEFF}---\r\ntitle: X\r\n---\r\nBody\r\n", path: "p.md")
        #expect(frontMatter.fields["title"]?.node.scalar?.string == "X")
        #expect(frontMatter.body == "Body\n")
    }

    @Test func missingFrontMatterIsLineOne() {
        #expect(throws: DiagnosticsError.self) { try FrontMatter.parse("# Just markdown\n", path: "p.md") }
        do {
            _ = try FrontMatter.parse("# Just markdown\n", path: "p.md")
        } catch {
            #expect(error.diagnostics.map(\.description) == ["p.md:1: error: missing front matter: the file must start with a '---' line, the fields, and another '---' line"])
        }
    }

    @Test func unclosedFrontMatterIsReported() {
        do {
            _ = try FrontMatter.parse("---\ntitle: X\nBody\n", path: "p.md")
            Issue.record("expected an error")
        } catch {
            #expect(error.diagnostics.first?.message.contains("not closed") == true)
        }
    }

    @Test func invalidYAMLPointsAtTheFileLine() {
        do {
            _ = try FrontMatter.parse("---\ntitle: X\nsummary: [unclosed\nmaterial: true\n---\n", path: "p.md")
            Issue.record("expected an error")
        } catch {
            let diagnostic = error.diagnostics[0]
            #expect(diagnostic.path == "p.md")
            #expect((3...5).contains(diagnostic.line ?? 0), "line \(diagnostic.line ?? 0) should point into the YAML block")
            #expect(diagnostic.message.hasPrefix("front matter is not valid YAML"))
        }
    }

    @Test func duplicateKeysAreErrorsAtTheSecondKey() {
        do {
            _ = try FrontMatter.parse("---\ntitle: A\nmaterial: true\ntitle: B\n---\n", path: "p.md")
            Issue.record("expected an error")
        } catch {
            #expect(error.diagnostics.map(\.description) == ["p.md:4: error: 'title' is given twice (first on line 2)"])
        }
    }
}

@Suite struct PolicyVersionParsingTests {
    func parse(_ text: String, fileName: String = "2026-04-17.md") -> (PolicyVersion?, [Diagnostic]) {
        let directory = TemporaryDirectory()
        let path = directory.write(fileName, text)
        let result = ContentLoader.parsePolicyVersion(documentID: "privacy", fileName: fileName,
                                                      source: SourceFile(displayPath: "content/policies/privacy/\(fileName)", absolutePath: path))
        return result
    }

    @Test func validVersionParses() throws {
        let (version, diagnostics) = parse("---\ntitle: Privacy\neffective: 2026-04-17\nmaterial: true\nsummary: New sharing.\npublished: 2026-03-01\n---\nText\n")
        #expect(diagnostics.isEmpty)
        let parsed = try #require(version)
        #expect(parsed.title == "Privacy")
        #expect(parsed.material)
        #expect(parsed.summary == "New sharing.")
        #expect(parsed.published == Day("2026-03-01"))
    }

    @Test func reportsEveryProblemAtItsLine() {
        let text = """
        ---
        effective: 2026-04-18
        material: maybe
        published: yesterday
        materail: true
        ---
        Text
        """
        let (version, diagnostics) = parse(text)
        #expect(version == nil)
        let lines = diagnostics.map(\.description)
        #expect(lines.contains("content/policies/privacy/2026-04-17.md:1: error: missing required field 'title'"))
        #expect(lines.contains("content/policies/privacy/2026-04-17.md:2: error: 'effective' is 2026-04-18 but the file name says 2026-04-17: they must match"))
        #expect(lines.contains("content/policies/privacy/2026-04-17.md:3: error: 'material' must be true or false, not 'maybe'"))
        #expect(lines.contains("content/policies/privacy/2026-04-17.md:4: error: 'published' is not a date: expected YYYY-MM-DD, got 'yesterday'"))
        #expect(lines.contains("content/policies/privacy/2026-04-17.md:5: warning: unknown field 'materail' is ignored (did you mean 'material'?)"))
    }

    @Test func materialVersionNeedsASummary() {
        let (version, diagnostics) = parse("---\ntitle: P\neffective: 2026-04-17\nmaterial: true\n---\nText\n")
        #expect(version == nil)
        #expect(diagnostics.map(\.description) == ["content/policies/privacy/2026-04-17.md:4: error: a material version needs a 'summary' that tells readers what changed"])
    }

    @Test func effectiveMustBeADate() {
        let (_, diagnostics) = parse("---\ntitle: P\neffective: 17 April 2026\nmaterial: false\n---\nText\n")
        #expect(diagnostics.map(\.description) == ["content/policies/privacy/2026-04-17.md:3: error: 'effective' is not a date: expected YYYY-MM-DD, got '17 April 2026'"])
    }

    @Test func fileNameMustBeADate() {
        let (version, diagnostics) = parse("---\ntitle: P\neffective: 2026-04-17\nmaterial: false\n---\nText\n", fileName: "latest.md")
        #expect(version == nil)
        #expect(diagnostics.contains { $0.message.contains("file name must be the effective date") })
    }
}
