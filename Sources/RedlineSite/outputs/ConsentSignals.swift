import Foundation
import RedlineContent
import RedlineManifest

/// `consent/signals.js`: the first script of every page, run before any other. It sets Google
/// Consent Mode's defaults (so no Google tag ever runs without them) and answers IAB's `__gpp`
/// API from the first moment; the banner updates both on every choice. Its code is
/// `templates/consent-signals.js`, a function the build calls with this site's configuration, so
/// that the defaults are there synchronously, without a request.
struct ConsentSignals {
    static let codeFile = "consent-signals.js"

    let settings: ConsentSettings

    func script(templatesDirectory: String) throws -> Data {
        let path = "\(templatesDirectory)/\(Self.codeFile)"
        guard let code = FileManager.default.contents(atPath: path) else {
            throw SignalsError(description: "\(path): missing; the build makes consent/signals.js from it (copy it from Redline's templates/)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // `<` escaped so that no value can close a script element if the file is ever inlined.
        let json = String(decoding: try encoder.encode(config), as: UTF8.self).replacingOccurrences(of: "<", with: "\\u003c")
        let body = String(decoding: code, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return Data("(\(body))(\(json));\n".utf8)
    }

    var config: Config {
        Config(cookie: "redline_consent",
               categories: settings.categories.map { .init(id: $0.id, required: $0.required, gpc: $0.gpc) },
               regions: settings.regions.map { .init(rules: $0) },
               consentMode: settings.googleConsentMode.map(Config.GoogleTags.init))
    }

    /// Field names are read by templates/consent-signals.js.
    struct Config: Encodable {
        struct Category: Encodable { let id: String; let required, gpc: Bool }
        struct Regions: Encodable {
            let modes: [String: ConsentMode]
            let elsewhere, strictest: ConsentMode
            init(rules: RegionRules) {
                modes = rules.modes
                elsewhere = rules.elsewhere
                strictest = rules.strictest
            }
        }
        /// Google Consent Mode, as `consentMode` in the script's configuration.
        struct GoogleTags: Encodable {
            let mode: String
            let tag: String?
            let tagURL: String
            let waitForUpdate: Int
            let adsDataRedaction, urlPassthrough: Bool
            let signals: [String: [String]]
            init(_ settings: GoogleConsentMode) {
                mode = settings.loading.rawValue
                tag = settings.tag
                tagURL = settings.tagURL
                waitForUpdate = settings.waitForUpdate
                adsDataRedaction = settings.adsDataRedaction
                urlPassthrough = settings.urlPassthrough
                signals = settings.signals
            }
        }
        let cookie: String
        let categories: [Category]
        let regions: Regions?
        let consentMode: GoogleTags?
    }

    struct SignalsError: Error, CustomStringConvertible {
        let description: String
    }
}
