import Foundation

extension NoticeStore {
    /// A key presented by a local caller (the command line, tests): one budget for all of them.
    public func authenticate(_ presented: String) async throws -> APIKeyInfo? {
        try await authenticate(presented, client: "local")
    }
}
