import RedlineManifest
import Yams

/// Reads typed values out of front matter or site.yaml, collecting every problem
/// instead of stopping at the first, each at the line of its key.
public struct FieldReader {
    public let path: String
    public let fields: [String: FrontMatter.Field]
    /// Where to report a missing key: the top of the block.
    public let blockLine: Int
    /// Added to libyaml's line numbers to get the file's: 1 for front matter, which starts on line 2.
    public let lineOffset: Int
    public private(set) var diagnostics: [Diagnostic] = []

    public init(path: String, fields: [String: FrontMatter.Field], blockLine: Int = 1, lineOffset: Int = 1) {
        self.path = path
        self.fields = fields
        self.blockLine = blockLine
        self.lineOffset = lineOffset
    }

    /// A reader over a nested mapping such as `docs:` in site.yaml.
    public func nested(_ key: String) -> FieldReader? {
        guard let field = fields[key], let mapping = field.node.mapping else { return nil }
        var nestedFields: [String: FrontMatter.Field] = [:]
        for (keyNode, value) in mapping {
            guard let name = keyNode.scalar?.string else { continue }
            nestedFields[name] = FrontMatter.Field(node: value, line: (keyNode.mark?.line ?? 0) + lineOffset)
        }
        return FieldReader(path: path, fields: nestedFields, blockLine: field.line, lineOffset: lineOffset)
    }

    /// Readers over a list of mappings such as `categories:` in site.yaml; nil (with an
    /// error) when the key holds something else.
    public mutating func mappingList(_ key: String) -> [FieldReader]? {
        guard let field = fields[key], !Self.isNull(field.node) else { return nil }
        guard let sequence = field.node.sequence else {
            error(key, "'\(key)' must be a list (lines starting with '- ')")
            return nil
        }
        var readers: [FieldReader] = []
        for item in sequence {
            let itemLine = (item.mark?.line ?? 0) + lineOffset
            guard let mapping = item.mapping else {
                diagnostics.append(.error(path, line: itemLine, "every entry of '\(key)' must be a mapping of 'key: value' settings"))
                continue
            }
            var itemFields: [String: FrontMatter.Field] = [:]
            for (keyNode, value) in mapping {
                guard let name = keyNode.scalar?.string else { continue }
                itemFields[name] = FrontMatter.Field(node: value, line: (keyNode.mark?.line ?? 0) + lineOffset)
            }
            readers.append(FieldReader(path: path, fields: itemFields, blockLine: itemLine, lineOffset: lineOffset))
        }
        return readers
    }

    public mutating func append(_ other: [Diagnostic]) {
        diagnostics += other
    }

    public func line(of key: String) -> Int {
        fields[key]?.line ?? blockLine
    }

    public mutating func error(_ key: String?, _ message: String) {
        diagnostics.append(.error(path, line: key.map(line(of:)) ?? blockLine, message))
    }

    public mutating func warning(_ key: String?, _ message: String) {
        diagnostics.append(.warning(path, line: key.map(line(of:)) ?? blockLine, message))
    }

    private mutating func scalar(_ key: String, required: Bool, expected: String) -> String? {
        guard let field = fields[key], !Self.isNull(field.node) else {
            if required { error(nil, "missing required field '\(key)'") }
            return nil
        }
        guard let scalar = field.node.scalar else {
            error(key, "'\(key)' must be \(expected), not a list or a mapping")
            return nil
        }
        return scalar.string
    }

    public mutating func string(_ key: String, required: Bool = false) -> String? {
        guard let value = scalar(key, required: required, expected: "text") else { return nil }
        let trimmed = value.trimmingSpaces()
        if trimmed.isEmpty {
            if required { error(key, "'\(key)' must not be empty") }
            return nil
        }
        return trimmed
    }

    public mutating func bool(_ key: String, required: Bool = false) -> Bool? {
        guard let value = scalar(key, required: required, expected: "true or false") else { return nil }
        switch value.lowercased() {
        case "true": return true
        case "false": return false
        default:
            error(key, "'\(key)' must be true or false, not '\(value)'")
            return nil
        }
    }

    public mutating func day(_ key: String, required: Bool = false) -> Day? {
        guard let value = scalar(key, required: required, expected: "a date") else { return nil }
        guard let day = Day(value) else {
            error(key, "'\(key)' is not a date: expected YYYY-MM-DD, got '\(value)'")
            return nil
        }
        return day
    }

    public mutating func int(_ key: String, required: Bool = false, range: ClosedRange<Int>? = nil) -> Int? {
        guard let value = scalar(key, required: required, expected: "a whole number") else { return nil }
        guard let number = Int(value) else {
            error(key, "'\(key)' must be a whole number, not '\(value)'")
            return nil
        }
        if let range, !range.contains(number) {
            error(key, "'\(key)' must be between \(range.lowerBound) and \(range.upperBound), not \(number)")
            return nil
        }
        return number
    }

    public mutating func double(_ key: String, range: ClosedRange<Double>) -> Double? {
        guard let value = scalar(key, required: false, expected: "a number") else { return nil }
        guard let number = Double(value), range.contains(number) else {
            error(key, "'\(key)' must be a number between \(range.lowerBound) and \(range.upperBound), not '\(value)'")
            return nil
        }
        return number
    }

    public mutating func stringList(_ key: String) -> [String]? {
        guard let field = fields[key], !Self.isNull(field.node) else { return nil }
        guard let sequence = field.node.sequence else {
            error(key, "'\(key)' must be a list (lines starting with '- ')")
            return nil
        }
        var values: [String] = []
        for item in sequence {
            guard let text = item.scalar?.string, !text.trimmingSpaces().isEmpty else {
                diagnostics.append(.error(path, line: (item.mark?.line ?? 0) + lineOffset, "every entry of '\(key)' must be text"))
                continue
            }
            values.append(text.trimmingSpaces())
        }
        return values
    }

    /// Warns about keys nobody reads, which are almost always typos (`materail: true`).
    public mutating func warnAboutUnknownKeys(allowed: Set<String>) {
        for key in fields.keys.sorted() where !allowed.contains(key) {
            let suggestion = allowed.min { $0.editDistance(to: key) < $1.editDistance(to: key) }
                .flatMap { $0.editDistance(to: key) <= 2 ? " (did you mean '\($0)'?)" : nil } ?? ""
            warning(key, "unknown field '\(key)' is ignored\(suggestion)")
        }
    }

    static func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar else { return false }
        return scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }
}

extension String {
    func editDistance(to other: String) -> Int {
        let a = Array(self), b = Array(other)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
