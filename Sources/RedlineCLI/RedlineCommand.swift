import ArgumentParser

/// `redline`: publish legal policies and API docs, and prove what people agreed to.
public struct RedlineCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "redline",
        abstract: "Publish versioned legal policies and API docs as a static site.",
        version: "0.1.0",
        subcommands: [BuildCommand.self, CheckCommand.self, DiffCommand.self]
    )

    public init() {}
}
