import Foundation
import RedlineManifest

/// The request in Go, Java and Swift: whole programs, each with the imports it needs.
extension APIRequestSample {
    func go() -> String {
        var lines: [String] = []
        for credential in credentials {
            switch credential {
            case .bearer: lines.append("req.Header.Set(\"Authorization\", \"Bearer \"+os.Getenv(\"\(Credential.tokenVariable)\"))")
            case .basic: lines.append("req.SetBasicAuth(os.Getenv(\"\(Credential.usernameVariable)\"), os.Getenv(\"\(Credential.passwordVariable)\"))")
            case let .apiKeyHeader(name): lines.append("req.Header.Set(\(Self.json(name)), os.Getenv(\"\(Credential.apiKeyVariable)\"))")
            }
        }
        lines += headers.map { "req.Header.Set(\(Self.json($0.name)), \(Self.json($0.value)))" }
        // A raw string keeps the JSON as it is, unless it holds a backquote.
        let bodyValue = body.map { $0.contains("`") ? "strings.NewReader(\(Self.json($0)))" : "strings.NewReader(`\($0)`)" } ?? "nil"
        let imports = ["fmt", "io", "net/http", "os"] + (body == nil ? [] : ["strings"])
        return """
            package main

            import (
            \(imports.map { "\t\"\($0)\"" }.joined(separator: "\n"))
            )

            func main() {
            \treq, err := http.NewRequest(\(Self.json(method)), \(Self.json(url)), \(bodyValue))
            \tif err != nil {
            \t\tpanic(err)
            \t}
            \(lines.map { "\t" + $0 }.joined(separator: "\n"))
            \tres, err := http.DefaultClient.Do(req)
            \tif err != nil {
            \t\tpanic(err)
            \t}
            \tdefer res.Body.Close()
            \tdata, _ := io.ReadAll(res.Body)
            \tfmt.Println(res.StatusCode, string(data))
            }
            """
    }

    func java() -> String {
        var lines: [String] = []
        for credential in credentials {
            switch credential {
            case .bearer: lines.append(".header(\"Authorization\", \"Bearer \" + System.getenv(\"\(Credential.tokenVariable)\"))")
            case .basic:
                lines.append(".header(\"Authorization\", \"Basic \" + java.util.Base64.getEncoder().encodeToString((System.getenv(\"\(Credential.usernameVariable)\") + \":\" + System.getenv(\"\(Credential.passwordVariable)\")).getBytes(java.nio.charset.StandardCharsets.UTF_8)))")
            case let .apiKeyHeader(name): lines.append(".header(\(Self.json(name)), System.getenv(\"\(Credential.apiKeyVariable)\"))")
            }
        }
        lines += headers.map { ".header(\(Self.json($0.name)), \(Self.json($0.value)))" }
        // A text block, its backslashes and quotes escaped: Java reads escapes inside one.
        let publisher = body.map { body in
            let text = body.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"\"\"", with: "\\\"\"\"")
            return "HttpRequest.BodyPublishers.ofString(\"\"\"\n" + text.split(separator: "\n", omittingEmptySubsequences: false)
                .map { "                " + $0 }.joined(separator: "\n") + "\"\"\")"
        } ?? "HttpRequest.BodyPublishers.noBody()"
        return """
            import java.net.URI;
            import java.net.http.HttpClient;
            import java.net.http.HttpRequest;
            import java.net.http.HttpResponse;

            public class Example {
                public static void main(String[] args) throws Exception {
                    HttpRequest request = HttpRequest.newBuilder(URI.create(\(Self.json(url))))
            \((lines + [".method(\(Self.json(method)), \(publisher))", ".build();"]).map { "            " + $0 }.joined(separator: "\n"))
                    HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
                    System.out.println(response.statusCode() + " " + response.body());
                }
            }
            """
    }

    func swift() -> String {
        var lines: [String] = []
        let environment = "ProcessInfo.processInfo.environment"
        for credential in credentials {
            switch credential {
            case .bearer:
                lines.append("request.setValue(\"Bearer \" + (\(environment)[\"\(Credential.tokenVariable)\"] ?? \"\"), forHTTPHeaderField: \"Authorization\")")
            case .basic:
                lines.append("let login = (\(environment)[\"\(Credential.usernameVariable)\"] ?? \"\") + \":\" + (\(environment)[\"\(Credential.passwordVariable)\"] ?? \"\")")
                lines.append("request.setValue(\"Basic \" + Data(login.utf8).base64EncodedString(), forHTTPHeaderField: \"Authorization\")")
            case let .apiKeyHeader(name):
                lines.append("request.setValue(\(environment)[\"\(Credential.apiKeyVariable)\"], forHTTPHeaderField: \(Self.json(name)))")
            }
        }
        lines += headers.map { "request.setValue(\(Self.json($0.value)), forHTTPHeaderField: \(Self.json($0.name)))" }
        if let body {
            // A raw string keeps the JSON's backslashes; enough #s that no run of quotes in it ends it.
            var hashes = "#"
            while body.contains("\"" + hashes) { hashes += "#" }
            lines.append("request.httpBody = Data(\(hashes)\"\"\"\n\(body)\n\"\"\"\(hashes).utf8)")
        }
        return """
            import Foundation
            #if canImport(FoundationNetworking)
            import FoundationNetworking
            #endif

            var request = URLRequest(url: URL(string: \(Self.json(url)))!)
            request.httpMethod = \(Self.json(method))
            \(lines.joined(separator: "\n"))
            let (data, response) = try await URLSession.shared.data(for: request)
            print((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
            """
    }

    /// A string as JSON writes it: a valid literal in Python, JavaScript, Go, Java and Swift alike
    /// for the text an OpenAPI document gives.
    static func json(_ text: String) -> String { QuotedString.json(text) }

    /// JSON as a Python literal: `true`, `false` and `null` outside strings become `True`, `False` and `None`.
    static func pythonLiteral(_ json: String) -> String {
        var out = ""
        var inString = false, escaped = false
        var word = ""
        func flush() {
            switch word {
            case "true": out += "True"
            case "false": out += "False"
            case "null": out += "None"
            default: out += word
            }
            word = ""
        }
        for character in json {
            if inString {
                // JSON's `\/` is a plain slash; Python would keep the backslash.
                if escaped && character == "/" { out.removeLast() }
                out.append(character)
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
            } else if character.isLetter {
                word.append(character)
            } else {
                flush()
                if character == "\"" { inString = true }
                out.append(character)
            }
        }
        flush()
        return out
    }

    static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
