import Foundation

/// Checks an evidence bundle offline and names the first bad place: a changed record, a record
/// missing from the middle or cut from the end, a chain link that does not follow, a signature
/// that does not verify, a policy text that no longer matches, or a file changed after export.
/// The content is checked line by line first, so a change is named where it is; the file
/// digests and the seal over `bundle.json` come last and catch anything else.
public enum BundleVerifier {
    public struct Report: Sendable {
        public let records: Int
        /// Change notices sent, refused or bounced in the period.
        public let notices: Int
        public let links: Int
        public let policies: Int
        public let description: EvidenceBundle.Description?
        /// "file:line: reason" of the first problem, or nil when everything verifies.
        public let problem: String?
    }

    public struct OpenError: Error, CustomStringConvertible {
        public let description: String
    }

    /// - Parameter keyring: keys obtained apart from the bundle; nil trusts the bundle's own `receipt-keys.json`.
    public static func verify(path: String, keyring trusted: ReceiptKeyring? = nil) throws -> Report {
        var check = BundleCheck(files: try read(path))
        do throws(BundleCheck.Problem) {
            let keyring = try check.readDescription(trusting: trusted)
            try check.checkChain(keyring: keyring)
            try check.checkRecords()
            try check.checkNotices()
            try check.checkPolicies()
            try check.checkFiles(keyring: keyring)
            return check.report(problem: nil)
        } catch {
            return check.report(problem: error.text)
        }
    }

    static func signatureProblem(_ signature: String, hash: String, keyId: String?, at time: String, keyring: ReceiptKeyring) -> String? {
        guard let key = keyring.key(at: time) else { return "no receipt key was in use at \(time)" }
        if let keyId, keyId != key.keyId { return "signed by key \(keyId), but the key in use at \(time) was \(key.keyId)" }
        guard ReceiptSigner.verify(signature: signature, entryHash: hash, publicKeyBase64: key.publicKey) else {
            return "the signature is not valid for this entryHash under key \(key.keyId)"
        }
        return nil
    }

    static func lines(_ data: Data?) -> [Data] {
        guard let data else { return [] }
        return data.split(separator: 0x0A, omittingEmptySubsequences: true).map { Data($0) }
    }

    /// Every file of the ZIP by name, read within `BundleArchive`'s limits.
    static func read(_ path: String, limits: BundleArchive.Limits = .init()) throws -> [String: Data] {
        guard FileManager.default.fileExists(atPath: path) else { throw OpenError(description: "\(path): no such bundle") }
        do {
            return try BundleArchive.files(at: path, limits: limits)
        } catch let failure as BundleArchive.Failure {
            throw OpenError(description: "\(path) is not a bundle: \(failure.description)")
        }
    }
}
