import Foundation

/// The request written in each language the reference offers, as a program that runs as it is
/// (credentials from the environment) and prints the status and the body of the answer.
extension APIRequestSample {
    public enum Language: String, CaseIterable, Sendable {
        case curl, python, javascript, go, java, swift

        /// The tab's label, which the code tabs remember across pages.
        public var label: String {
            switch self {
            case .curl: "curl"
            case .python: "Python"
            case .javascript: "JavaScript"
            case .go: "Go"
            case .java: "Java"
            case .swift: "Swift"
            }
        }

        /// The fence's language, for highlighting.
        public var fence: String { self == .curl ? "bash" : rawValue }
    }

    public func code(_ language: Language) -> String {
        switch language {
        case .curl: curl()
        case .python: python()
        case .javascript: javascript()
        case .go: go()
        case .java: java()
        case .swift: swift()
        }
    }

    func curl() -> String {
        var lines = ["curl -X \(method) \(Self.shellQuoted(url))"]
        for credential in credentials {
            switch credential {
            case .bearer: lines.append("-H \"Authorization: Bearer $\(Credential.tokenVariable)\"")
            case .basic: lines.append("-u \"$\(Credential.usernameVariable):$\(Credential.passwordVariable)\"")
            case let .apiKeyHeader(name): lines.append("-H \"\(name): $\(Credential.apiKeyVariable)\"")
            }
        }
        lines += headers.map { "-H \(Self.shellQuoted("\($0.name): \($0.value)"))" }
        if let body { lines.append("-d \(Self.shellQuoted(body))") }
        return lines.joined(separator: " \\\n  ")
    }

    func python() -> String {
        var arguments = ["    " + Self.json(url)]
        var headerLines: [String] = []
        var auth: String?
        for credential in credentials {
            switch credential {
            case .bearer: headerLines.append("\"Authorization\": \"Bearer \" + os.environ[\"\(Credential.tokenVariable)\"]")
            case .basic: auth = "(os.environ[\"\(Credential.usernameVariable)\"], os.environ[\"\(Credential.passwordVariable)\"])"
            case let .apiKeyHeader(name): headerLines.append("\(Self.json(name)): os.environ[\"\(Credential.apiKeyVariable)\"]")
            }
        }
        headerLines += headers.map { "\(Self.json($0.name)): \(Self.json($0.value))" }
        if !headerLines.isEmpty { arguments.append("    headers={\n" + headerLines.map { "        \($0),\n" }.joined() + "    }") }
        if let auth { arguments.append("    auth=\(auth)") }
        if let body { arguments.append("    json=" + Self.pythonLiteral(body).replacingOccurrences(of: "\n", with: "\n    ")) }
        return """
            import os

            import requests

            response = requests.request(
                \(Self.json(method)),
            \(arguments.joined(separator: ",\n")),
            )
            print(response.status_code, response.text)
            """
    }

    func javascript() -> String {
        var headerLines: [String] = []
        for credential in credentials {
            switch credential {
            case .bearer: headerLines.append("Authorization: `Bearer ${process.env.\(Credential.tokenVariable)}`")
            case .basic:
                headerLines.append("Authorization: \"Basic \" + btoa(`${process.env.\(Credential.usernameVariable)}:${process.env.\(Credential.passwordVariable)}`)")
            case let .apiKeyHeader(name): headerLines.append("\(Self.json(name)): process.env.\(Credential.apiKeyVariable)")
            }
        }
        headerLines += headers.map { "\(Self.json($0.name)): \(Self.json($0.value))" }
        var options = ["  method: \(Self.json(method))"]
        if !headerLines.isEmpty { options.append("  headers: {\n" + headerLines.map { "    \($0),\n" }.joined() + "  }") }
        if let body { options.append("  body: JSON.stringify(" + body.replacingOccurrences(of: "\n", with: "\n  ") + ")") }
        return """
            const response = await fetch(\(Self.json(url)), {
            \(options.joined(separator: ",\n")),
            });
            console.log(response.status, await response.text());
            """
    }
}
