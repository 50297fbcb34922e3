/// `consent.googleConsentMode` of site.yaml: Google Consent Mode v2, which tells Google's tags
/// (gtag.js, Google Tag Manager) what the person allowed.
///
///     googleConsentMode:
///       mode: advanced          # or basic
///       tag: G-XXXXXXX          # optional: Redline loads gtag.js itself
///       signals:                # optional: which categories grant which signal
///         analytics_storage: [analytics]
public struct GoogleConsentMode: Sendable, Equatable {
    /// Basic: Google's tags are held back until consent, like any gated script. Advanced: they
    /// load at once with the defaults denied, and send cookieless pings until an update.
    public enum Loading: String, Sendable, CaseIterable {
        case basic, advanced
    }

    /// The seven signals of Consent Mode v2, as Google names them.
    public static let signalNames = ["ad_storage", "ad_user_data", "ad_personalization", "analytics_storage",
                                     "functionality_storage", "personalization_storage", "security_storage"]
    /// Always granted: it covers storage that keeps the site secure, which needs no consent.
    public static let alwaysGranted = "security_storage"
    public static let defaultTagURL = "https://www.googletagmanager.com/gtag/js"

    public var loading: Loading
    /// The Google tag id (`G-…`, `AW-…`, `GT-…`) Redline loads; nil when the site loads Google's tag itself.
    public var tag: String?
    /// Where gtag.js is loaded from (a stand-in in tests).
    public var tagURL: String
    /// How long (ms) Google's tags wait for the banner's update after the default.
    public var waitForUpdate: Int
    public var adsDataRedaction: Bool
    public var urlPassthrough: Bool
    /// By signal, the categories that must all be granted for it to be granted; an empty list is never granted.
    public var signals: [String: [String]]

    /// Today's mapping, for the categories the site has: analytics for analytics storage, marketing
    /// for advertising and personalisation, the required category for functionality.
    public static func defaultSignals(categories: [ConsentSettings.Category]) -> [String: [String]] {
        let ids = Set(categories.map(\.id))
        func ifPresent(_ id: String) -> [String] { ids.contains(id) ? [id] : [] }
        return [
            "analytics_storage": ifPresent("analytics"),
            "ad_storage": ifPresent("marketing"),
            "ad_user_data": ifPresent("marketing"),
            "ad_personalization": ifPresent("marketing"),
            "personalization_storage": ifPresent("marketing"),
            "functionality_storage": categories.first(where: \.required).map { [$0.id] } ?? [],
        ]
    }

    /// What the server's Content-Security-Policy must allow for the tag Redline loads: its script's
    /// origin, and for Google's own tag the origins Google documents for Analytics 4's collection.
    public var contentSecurityPolicy: [String: [String]] {
        guard tag != nil, tagURL.hasPrefix("https://"),
              let end = tagURL.dropFirst("https://".count).firstIndex(where: { $0 == "/" || $0 == "?" }) else { return [:] }
        let origin = String(tagURL[..<end])
        guard origin == "https://www.googletagmanager.com" else { return ["script-src": [origin]] }
        let collection = ["https://*.google-analytics.com", "https://*.analytics.google.com", "https://*.googletagmanager.com"]
        return ["script-src": ["https://*.googletagmanager.com"], "connect-src": collection,
                "img-src": ["https://*.google-analytics.com", "https://*.googletagmanager.com"]]
    }

    static let knownKeys: Set<String> = ["mode", "tag", "tagURL", "waitForUpdate", "adsDataRedaction", "urlPassthrough", "signals"]

    static func read(_ section: inout FieldReader, categories: [ConsentSettings.Category]) -> GoogleConsentMode? {
        guard section.fields["googleConsentMode"] != nil else { return nil }
        guard var reader = section.nested("googleConsentMode") else {
            section.error("googleConsentMode", "'googleConsentMode' must be a mapping, e.g. 'mode: advanced'")
            return nil
        }
        var settings = GoogleConsentMode(loading: .advanced, tag: nil, tagURL: defaultTagURL, waitForUpdate: 500,
                                         adsDataRedaction: false, urlPassthrough: false,
                                         signals: defaultSignals(categories: categories))
        if let name = reader.string("mode") {
            if let loading = Loading(rawValue: name) {
                settings.loading = loading
            } else {
                reader.error("mode", "'\(name)' is not a Consent Mode: use basic (Google's tags wait for consent) or advanced (they load with everything denied)")
            }
        }
        if let tag = reader.string("tag") {
            if tag.count <= 32, tag.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) { settings.tag = tag }
            else { reader.error("tag", "'\(tag)' is not a Google tag id such as 'G-ABC123XYZ'") }
        }
        if let url = reader.string("tagURL") {
            if url.hasPrefix("https://") || url.hasPrefix("/") || url.hasPrefix("http://127.0.0.1") || url.hasPrefix("http://localhost") {
                settings.tagURL = url
            } else {
                reader.error("tagURL", "'\(url)' must be an https:// URL or a path on this site")
            }
        }
        settings.waitForUpdate = reader.int("waitForUpdate", range: 0...10_000) ?? settings.waitForUpdate
        settings.adsDataRedaction = reader.bool("adsDataRedaction") ?? false
        settings.urlPassthrough = reader.bool("urlPassthrough") ?? false
        if reader.fields["signals"] != nil {
            settings.signals.merge(readSignals(&reader, categories: categories)) { _, configured in configured }
        }
        reader.warnAboutUnknownKeys(allowed: knownKeys)
        section.append(reader.diagnostics)
        return settings
    }

    private static func readSignals(_ reader: inout FieldReader, categories: [ConsentSettings.Category]) -> [String: [String]] {
        guard var signals = reader.nested("signals") else {
            reader.error("signals", "'signals' must map Consent Mode signals to categories, e.g. 'analytics_storage: [analytics]'")
            return [:]
        }
        var mapping: [String: [String]] = [:]
        let declared = Set(categories.map(\.id))
        for name in signals.fields.keys.sorted() {
            guard signalNames.contains(name) else {
                let closest = signalNames.min { $0.editDistance(to: name) < $1.editDistance(to: name) }
                let hint = closest.flatMap { $0.editDistance(to: name) <= 4 ? " (did you mean '\($0)'?)" : nil } ?? ""
                signals.error(name, "'\(name)' is not a signal Google defines\(hint); the signals are \(signalNames.joined(separator: ", "))")
                continue
            }
            guard name != alwaysGranted else {
                signals.error(name, "'\(alwaysGranted)' is always granted (it keeps the site secure) and cannot be mapped to categories")
                continue
            }
            let ids = signals.stringList(name) ?? []
            for id in ids where !declared.contains(id) {
                signals.error(name, "'\(name)' names category '\(id)', which is not declared in consent.categories (\(declared.sorted().joined(separator: ", ")))")
            }
            mapping[name] = ids.filter(declared.contains)
        }
        reader.append(signals.diagnostics)
        return mapping
    }
}
