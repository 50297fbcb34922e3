import ArgumentParser
import RedlineTestSupport
import Testing
@testable import RedlineCLI

@Suite struct CommandTests {
    @Test func buildCommandBuildsTheSite() throws {
        let directory = TemporaryDirectory()
        ContentFixture.standard(in: directory)
        var command = try RedlineCommand.parseAsRoot([
            "build", "--content", directory.subpath("content"), "--output", directory.subpath("out"),
            "--templates", Repository.templates, "--now", "2026-06-15", "--quiet",
        ])
        try command.run()
        #expect(directory.exists("out/manifest.json"))
        #expect(directory.exists("out/privacy/2026-09-01/index.html"))
    }

    @Test func checkFailsWithExitCodeOneOnBadContent() throws {
        let directory = TemporaryDirectory()
        ContentFixture.standard(in: directory)
        directory.write("content/policies/privacy/2026-10-01.md", "---\ntitle: X\n---\n")
        var command = try RedlineCommand.parseAsRoot(["check", "--content", directory.subpath("content"), "--templates", Repository.templates])
        do {
            try command.run()
            Issue.record("check should fail")
        } catch let exit as ExitCode {
            #expect(exit == ExitCode(1))
        }
    }

    @Test func nowMustBeADate() {
        #expect(throws: (any Error).self) { try RedlineCommand.parseAsRoot(["build", "--now", "tomorrow"]) }
    }

    @Test func theSampleContentChecksClean() throws {
        var command = try RedlineCommand.parseAsRoot(["check", "--content", Repository.content, "--templates", Repository.templates, "--now", "2026-11-21"])
        try command.run()
    }
}

@Suite struct DiffCommandTests {
    @Test func diffsTwoFilesAndVersionsByDate() throws {
        let directory = TemporaryDirectory()
        ContentFixture.standard(in: directory)
        let old = directory.subpath("content/policies/privacy/2026-03-01.md")
        let new = directory.subpath("content/policies/privacy/2026-09-01.md")
        for arguments in [[old, new], ["privacy", "2026-03-01", "2026-09-01", "--content", directory.subpath("content")]] {
            var command = try RedlineCommand.parseAsRoot(["diff"] + arguments + ["--format", "json"])
            try command.run()
        }
    }

    @Test func rejectsAMissingVersion() throws {
        let directory = TemporaryDirectory()
        ContentFixture.standard(in: directory)
        var command = try RedlineCommand.parseAsRoot(["diff", "privacy", "2026-03-01", "2030-01-01", "--content", directory.subpath("content")])
        #expect(throws: ValidationError.self) { try command.run() }
        #expect(throws: (any Error).self) { try RedlineCommand.parseAsRoot(["diff", "privacy", "yesterday", "2026-01-01"]) }
    }
}
