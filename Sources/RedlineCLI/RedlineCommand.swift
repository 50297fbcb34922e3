import ArgumentParser

/// `redline`: publish legal policies and API docs, and prove what people agreed to.
@available(macOS 10.15, macCatalyst 13, iOS 13, tvOS 13, watchOS 6, *)
public struct RedlineCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "redline",
        abstract: "Publish versioned legal policies and API docs, and keep proof of consent.",
        version: "0.1.0",
        subcommands: [BuildCommand.self, CheckCommand.self, PreviewCommand.self, DiffCommand.self, ServeCommand.self, WitnessCommand.self, ScanCommand.self, ConsentCommand.self, DbCommand.self, KeysCommand.self,
                      UsersCommand.self, NotifyCommand.self]
    )

    public init() {}
}
