import ArgumentParser
import Foundation
import RedlineConsent
import RedlineNotices

/// `redline users …`: the people change notices go to.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users",
        abstract: "Register the users who receive change notices.",
        subcommands: [Import.self, List.self, Count.self, Delete.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print active users as CSV (userId,email,locale,subject), in the order they were registered.")

        @OptionGroup var database: DatabaseOptions

        @Flag(help: "Only the users whose address bounced (userId,since,reason), to reach by other means: no notice is sent to them until their address changes.")
        var undeliverable = false

        func run() async throws {
            let store = try await database.noticeStore()
            if undeliverable {
                print("userId,since,reason")
                for user in try await store.undeliverableUsers() { print([user.userId, user.since, user.reason].map(UserCSV.field).joined(separator: ",")) }
                return
            }
            print("userId,email,locale,subject")
            var after: String?
            while true {
                let page = try await store.users(limit: 500, after: after)
                for user in page { print([user.userId, user.email, user.locale, user.subject ?? ""].map(UserCSV.field).joined(separator: ",")) }
                guard page.count == 500 else { return }
                after = page.last?.userId
            }
        }
    }

    struct Count: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print how many active users there are.")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            print(try await database.noticeStore().activeUserCount())
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete users: their address is erased and no further notice goes to them.")

        @Argument(help: "User ids.")
        var userIds: [String]

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let store = try await database.noticeStore()
            var missing: [String] = []
            for id in userIds where !(try await store.deleteUser(id)) { missing.append(id) }
            print("Deleted \(Console.count(userIds.count - missing.count, "user")).")
            for id in missing { Console.printError("error: no active user '\(id)'") }
            if !missing.isEmpty { throw ExitCode.failure }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create or update users from a CSV file.",
            discussion: """
                The first line names the columns: userId, email, locale and optionally subject, in any order. \
                Bad rows are reported as FILE:LINE: message and skipped; the good ones are imported. With \
                --all-or-nothing, one bad row means nothing is imported. Exits 1 when any row was bad.
                """)

        @Argument(help: "The CSV file.")
        var file: String

        @OptionGroup var database: DatabaseOptions

        @Flag(help: "Import nothing when any row is bad.")
        var allOrNothing = false

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                Console.printError("\(file): cannot be read")
                throw ExitCode.failure
            }
            guard let text = String(data: data, encoding: .utf8) else {
                Console.printError("\(file):1: error: the file is not UTF-8")
                throw ExitCode.failure
            }
            let (users, problems) = UserCSV.parse(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
            for problem in problems { Console.printError("\(file):\(problem.line): error: \(problem.message)") }
            if allOrNothing && !problems.isEmpty {
                Console.printError("\(Console.count(problems.count, "bad row")); nothing imported (--all-or-nothing)")
                throw ExitCode.failure
            }
            let store = try await database.noticeStore()
            let (created, updated) = try await store.putUsers(users)
            print("Imported \(Console.count(users.count, "user")) (\(created) new, \(updated) updated)"
                  + (problems.isEmpty ? "." : "; \(Console.count(problems.count, "bad row")) skipped."))
            if !problems.isEmpty { throw ExitCode.failure }
        }
    }
}

/// Users from CSV text: the good rows, and a problem per bad row with its line number.
enum UserCSV {
    /// A field as CSV writes it: quoted when it holds a comma, a quote or a line break.
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    struct Problem: Equatable {
        let line: Int
        let message: String
    }

    static func parse(_ text: String) -> (users: [UserInput], problems: [Problem]) {
        let (records, failures) = CSVReader.read(text)
        guard let header = records.first, failures.first.map({ $0.line > header.line }) ?? true else {
            let first = failures.first.map { Problem(line: $0.line, message: $0.message) }
            return ([], [first ?? Problem(line: 1, message: "the file is empty; expected a header: userId,email,locale,subject")])
        }
        let columns = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        let known = ["userId", "email", "locale", "subject"]
        var problems = columns.filter { !known.contains($0) }.map { Problem(line: header.line, message: "unknown column '\($0)'; columns are \(known.joined(separator: ", "))") }
        for required in known.dropLast() where !columns.contains(required) {
            problems.append(Problem(line: header.line, message: "the header has no '\(required)' column"))
        }
        guard problems.isEmpty else { return ([], problems) }
        let index = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, $0) })

        problems = failures.map { Problem(line: $0.line, message: $0.message) }
        var users: [UserInput] = []
        var firstLine: [String: Int] = [:]
        for record in records.dropFirst() {
            guard record.fields.count == columns.count else {
                problems.append(Problem(line: record.line, message: "has \(record.fields.count) fields; the header has \(columns.count)"))
                continue
            }
            func field(_ name: String) -> String? { index[name].map { record.fields[$0].trimmingCharacters(in: .whitespaces) } }
            let userId = field("userId") ?? "", email = field("email") ?? "", locale = field("locale") ?? ""
            let subject = field("subject").flatMap { $0.isEmpty ? nil : $0 }
            let found = UserValidation.problems(userId: userId, email: email, locale: locale, subject: subject)
            if !found.isEmpty {
                problems.append(Problem(line: record.line, message: found.map { "\($0.field) \($0.message)" }.joined(separator: "; ")))
                continue
            }
            if let earlier = firstLine[userId] {
                problems.append(Problem(line: record.line, message: "userId '\(userId)' appears already on line \(earlier)"))
                continue
            }
            firstLine[userId] = record.line
            users.append(UserInput(userId: userId, email: email, locale: locale, subject: subject))
        }
        return (users, problems.sorted { $0.line < $1.line })
    }
}
