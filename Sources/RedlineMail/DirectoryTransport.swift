import Foundation

/// Writes each message as `<Message-ID>.eml` into a directory, for machines without a mail
/// server (`make run`). A message sent twice has the same Message-ID and so the same file.
public struct DirectoryTransport: MailTransport {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    public var description: String { "files in \(directory)" }

    public func openSession() -> any MailSession { Session(directory: directory) }

    final class Session: MailSession {
        let directory: String
        init(directory: String) { self.directory = directory }

        func send(_ message: MailMessage) async -> DeliveryOutcome {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                let name = String(message.messageID.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" })
                let url = URL(fileURLWithPath: directory).appendingPathComponent(name + ".eml")
                try Data(message.rendered()).write(to: url, options: .atomic)
                return .sent
            } catch {
                return .temporary("cannot write to \(directory): \(error.localizedDescription)")
            }
        }

        func close() {}
    }
}
