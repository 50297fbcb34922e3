import HTTPTypes
import Hummingbird
import RedlineConsent
import RedlineManifest

/// Where the visitor is, as far as the law that applies goes: the region a trusted proxy put in
/// site.yaml's region header (`X-Visitor-Region` unless it names another), and the mode of consent
/// site.yaml gives that region. From any other peer the header is ignored, as `X-Forwarded-For`
/// is; without a region the strictest configured mode applies. Nothing else about the visitor is
/// read: no address, no lookup.
enum VisitorRegion {
    static func of(_ request: Request, context: ServerContext, consent: Manifest.Consent?) -> Jurisdiction {
        let rules = consent?.regions
        guard let rules else {
            // No regions configured: everyone is asked, and a trusted region is still worth recording.
            return Jurisdiction(region: trustedRegion(request, context: context, header: RegionRules.defaultHeader), mode: .optIn)
        }
        let region = trustedRegion(request, context: context, header: rules.header)
        return Jurisdiction(region: region, mode: rules.mode(for: region))
    }

    private static func trustedRegion(_ request: Request, context: ServerContext, header: String) -> String? {
        guard context.peerIsTrustedProxy, let name = HTTPField.Name(header), let value = request.headers[name] else { return nil }
        return RegionCatalog.normalized(value)
    }
}

/// A Global Privacy Platform string as a browser's CMP API writes it: base64url segments joined by
/// `.` and `~`, whose header says it is one (type 3). The sections are the page's to describe; the
/// record keeps the string exactly as sent, so this only refuses what cannot be one.
enum GPPString {
    static let maxLength = 2048
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    static func problem(_ text: String) -> String? {
        guard text.count <= maxLength else { return "must be at most \(maxLength) characters" }
        guard text.allSatisfy({ alphabet.contains($0) || $0 == "." || $0 == "~" }) else {
            return "is not a GPP string: base64url segments joined by '.' and '~'"
        }
        let header = text.prefix { $0 != "~" }
        let values = header.prefix(2).compactMap { alphabet.firstIndex(of: $0) }
        // The header's first six bits are its type, 3; the next six its version, 1.
        guard values.count == 2, values[0] == 3, values[1] == 1 else { return "is not a GPP string: its header is not type 3, version 1" }
        return nil
    }
}
