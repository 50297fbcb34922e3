import Foundation

/// Where a command is, as a shell would find it: a name with a `/` as it is, any other on PATH
/// (or, without one, the POSIX default).
public enum Executable {
    public static func path(of command: String) -> String? {
        if command.contains("/") { return command }
        return (ProcessInfo.processInfo.environment["PATH"] ?? "/bin:/usr/bin").split(separator: ":")
            .map { "\($0)/\(command)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
