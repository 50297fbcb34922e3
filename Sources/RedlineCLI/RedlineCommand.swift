import ArgumentParser

/// `redline`: publish legal policies and API docs, and prove what people agreed to.
public struct RedlineCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "redline",
        abstract: "Publish versioned legal policies and API docs, and keep proof of consent.",
        version: "0.1.0",
        subcommands: [BuildCommand.self, CheckCommand.self, DiffCommand.self, ServeCommand.self, ConsentCommand.self]
    )

    public init() {}
}
