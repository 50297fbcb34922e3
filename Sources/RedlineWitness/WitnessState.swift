import Foundation
import RedlineConsent
import RedlineTransparency

/// What a witness remembers of each log: the size and root of the last checkpoint it cosigned.
/// One small JSON file, replaced whole (written beside, synced, renamed), so a crash leaves the
/// old state or the new one, never a mix; and an append-only evidence file of every validly
/// signed checkpoint it refused because it contradicted what it had cosigned.
public struct WitnessState: Codable, Sendable, Equatable {
    public struct Head: Codable, Sendable, Equatable {
        public var size: Int
        /// Base64 root hash.
        public var root: String
        public var cosignedAt: UInt64
    }

    public var logs: [String: Head] = [:]

    public init() {}

    public static func load(_ path: String) throws -> WitnessState {
        guard FileManager.default.fileExists(atPath: path) else { return WitnessState() }
        guard let data = FileManager.default.contents(atPath: path) else { throw NoteError("\(path): cannot read the witness state") }
        do { return try JSONDecoder().decode(WitnessState.self, from: data) } catch {
            throw NoteError("\(path) is not a witness state file: \(error)")
        }
    }

    public func save(_ path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try SecureFile.replace(path, with: try encoder.encode(self) + Data("\n".utf8), permissions: 0o644)
    }

    public static func evidencePath(forState path: String) -> String { path + ".evidence" }
}
