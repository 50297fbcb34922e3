/// A problem found in content, site configuration or templates, located by file and line.
///
/// Printed as `path:line: error: message`, the form compilers use, so editors and CI
/// annotate the right line.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error, warning
    }

    public let severity: Severity
    public let path: String
    /// 1-based; nil when the problem concerns the file as a whole.
    public let line: Int?
    public let message: String

    public init(_ severity: Severity, path: String, line: Int?, _ message: String) {
        self.severity = severity
        self.path = path
        self.line = line
        self.message = message
    }

    public static func error(_ path: String, line: Int?, _ message: String) -> Diagnostic {
        Diagnostic(.error, path: path, line: line, message)
    }

    public static func warning(_ path: String, line: Int?, _ message: String) -> Diagnostic {
        Diagnostic(.warning, path: path, line: line, message)
    }

    /// The same problem as an error, for `--strict`.
    public var asError: Diagnostic { Diagnostic(.error, path: path, line: line, message) }

    public var description: String {
        let location = line.map { "\(path):\($0)" } ?? path
        return "\(location): \(severity.rawValue): \(message)"
    }
}

extension Array where Element == Diagnostic {
    public var errors: [Diagnostic] { filter { $0.severity == .error } }
    public var warnings: [Diagnostic] { filter { $0.severity == .warning } }
    public var hasErrors: Bool { contains { $0.severity == .error } }

    /// Sorted by path, then line, so output is stable whatever order files were read in.
    public func sortedByLocation() -> [Diagnostic] {
        sorted { ($0.path, $0.line ?? 0, $0.message) < ($1.path, $1.line ?? 0, $1.message) }
    }
}

/// Thrown when a step cannot go on; carries every problem found so far.
public struct DiagnosticsError: Error, CustomStringConvertible {
    public let diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public var description: String {
        diagnostics.sortedByLocation().map(\.description).joined(separator: "\n")
    }
}
