import Foundation

/// How the law where the visitor is asks for consent.
public enum ConsentMode: String, Codable, Sendable, CaseIterable, Comparable {
    /// Ask before anything optional runs (GDPR, UK GDPR, the ePrivacy Directive): today's banner.
    case optIn = "opt-in"
    /// Optional categories run until the person opts out (US state laws); Global Privacy Control
    /// is an opt-out, applied without asking.
    case optOut = "opt-out"
    /// Information only: nothing to decide.
    case notice

    /// How much the mode holds back: where the region is not known, the strictest configured applies.
    public var strictness: Int {
        switch self {
        case .optIn: 2
        case .optOut: 1
        case .notice: 0
        }
    }

    public static func < (lhs: ConsentMode, rhs: ConsentMode) -> Bool { lhs.strictness < rhs.strictness }
}

/// site.yaml's `consent.regions`, with named groups expanded: the mode for each ISO 3166 code,
/// and for everywhere else. One lookup for the server (which knows the visitor's region from a
/// trusted proxy's header) and the banner (which reads the same table from its configuration).
public struct RegionRules: Codable, Sendable, Equatable {
    public static let defaultHeader = "X-Visitor-Region"

    /// By ISO 3166-1 (`DE`) or ISO 3166-2 (`US-CA`) code.
    public var modes: [String: ConsentMode]
    /// Places not listed.
    public var elsewhere: ConsentMode
    /// The request header a trusted proxy puts the visitor's region in.
    public var header: String

    public init(modes: [String: ConsentMode], elsewhere: ConsentMode = .optIn, header: String = RegionRules.defaultHeader) {
        self.modes = modes
        self.elsewhere = elsewhere
        self.header = header
    }

    /// The mode for `region`: its own entry, else its country's, else `elsewhere`; the strictest
    /// configured when the region is not known (no header, or one that names no place).
    public func mode(for region: String?) -> ConsentMode {
        guard let region = region.flatMap(RegionCatalog.normalized) else { return strictest }
        if let mode = modes[region] { return mode }
        if let dash = region.firstIndex(of: "-"), let mode = modes[String(region[..<dash])] { return mode }
        return elsewhere
    }

    public var strictest: ConsentMode { (Array(modes.values) + [elsewhere]).max() ?? elsewhere }
}

/// The ISO 3166 codes a region may be written as, and the named groups of them.
public enum RegionCatalog {
    /// Named groups an editor may write instead of listing countries.
    public static let groups: [String: [String]] = [
        "EU": euMembers,
        // The EU with Iceland, Liechtenstein and Norway: where the GDPR and Google's EEA consent rules apply.
        "EEA": euMembers + ["IS", "LI", "NO"],
    ]

    static let euMembers = ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT",
                            "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"]

    private static let countries = Set(RegionCodes.countries.split(whereSeparator: \.isWhitespace).map(String.init))
    private static let subdivisions = Set(RegionCodes.subdivisions.split(whereSeparator: \.isWhitespace).map(String.init))

    /// Whether `code` names a country or a subdivision ISO 3166 knows (upper case, as ISO writes it).
    public static func isKnown(_ code: String) -> Bool {
        countries.contains(code) || subdivisions.contains(code)
    }

    /// A header's value as a known code (`de` and ` US-CA ` are read as `DE` and `US-CA`), or nil.
    public static func normalized(_ value: String) -> String? {
        let code = value.trimmingCharacters(in: .whitespaces).uppercased()
        guard code.count <= 6, isKnown(code) else { return nil }
        return code
    }
}
