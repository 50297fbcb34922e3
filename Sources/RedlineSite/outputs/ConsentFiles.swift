import Crypto
import Foundation
import RedlineContent
import RedlineManifest

/// What the cookie banner and the consent server need from a build: the banner's
/// configuration, the manifest's `consent` section and the Global Privacy Control declaration.
struct ConsentFiles {
    let corpus: Corpus
    let urls: SiteURLs
    let now: Day

    private var settings: ConsentSettings { corpus.site.consent }

    /// The documents consent covers: site.yaml's list, else every policy.
    private var documents: [PolicyDocument] {
        guard let ids = settings.documents else { return corpus.publishedPolicies }
        return ids.compactMap { id in corpus.publishedPolicies.first { $0.id == id } }
    }

    /// Changes whenever a word the reader sees in the banner changes (in any language, the
    /// cookies listed included), so a record names the exact text.
    var noticeVersion: String {
        var words = [settings.bannerTitle, settings.bannerMessage]
        for category in settings.categories {
            words += [category.id, category.label, category.description, category.required ? "required" : "optional"]
            for cookie in category.cookies where cookie.listed(on: now) {
                words += [cookie.name, cookie.domain ?? "", cookie.duration, cookie.purpose, cookie.provider]
            }
        }
        for (locale, strings) in bannerText.sorted(by: { $0.key < $1.key }) {
            words.append(locale)
            words += strings.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] }
        }
        let digest = SHA256.hash(data: Data(words.joined(separator: "\u{1F}").utf8))
        return Hex.encode(digest.prefix(8))
    }

    var manifestSection: Manifest.Consent {
        Manifest.Consent(
            notice: .init(version: noticeVersion, locale: corpus.site.language, locales: bannerText.keys.sorted()),
            categories: settings.categories.map { .init(id: $0.id, label: $0.label, required: $0.required, gpc: $0.gpc) },
            documents: documents.map(\.id), allowedOrigins: settings.allowedOrigins, maxAgeDays: settings.maxAgeDays,
            configUrl: urls.absolute(urls.consentConfig), regions: settings.regions,
            loadsBeforeConsent: loadsBeforeConsent)
    }

    private var loadsBeforeConsent: [String]? {
        guard let google = settings.googleConsentMode, google.loading == .advanced else { return nil }
        let origins = Set(google.contentSecurityPolicy.values.joined()).sorted()
        return origins.isEmpty ? nil : origins
    }

    /// `consent/config.json`, read by `assets/consent.js`. Root-relative URLs, so the banner
    /// works on whatever host serves the site.
    func bannerConfig() throws -> Data {
        let config = BannerConfig(
            api: "/api/v1/consent", impressions: "/api/v1/consent/impressions",
            regions: settings.regions.map { .init(strictest: $0.strictest, api: "/api/v1/consent/region") },
            choicesUrl: urls.privacyChoices,
            cookie: .init(name: "redline_consent", path: urls.basePath, maxAgeDays: settings.maxAgeDays),
            notice: .init(version: noticeVersion, locale: corpus.site.language),
            title: settings.bannerTitle, message: settings.bannerMessage,
            categories: settings.categories.map { category in
                .init(id: category.id, label: category.label, description: category.description, required: category.required, gpc: category.gpc,
                      cookies: category.cookies.filter { $0.listed(on: now) }.map {
                          .init(name: $0.name, domain: $0.domain, duration: $0.duration, purpose: $0.purpose, provider: $0.provider)
                      })
            },
            text: bannerText,
            categoryText: settings.text.categories.mapValues { byID in
                byID.mapValues { BannerConfig.CategoryText(label: $0.label, description: $0.description) }
            },
            documents: documents.compactMap { document in
                guard let current = document.current(on: now) else { return nil }
                return BannerConfig.Document(
                    id: document.id, title: document.title(on: now), url: urls.policy(document.id),
                    current: current.effective.description, versions: document.versions.map(\.effective.description),
                    translations: Dictionary(grouping: document.translations, by: { $0.effective.description }).mapValues { $0.map(\.locale) },
                    material: document.versions.filter(document.isAnnounced).map { version in
                        .init(version: version.effective.description, inForce: document.timeline.hasTakenEffect(version.effective, on: now),
                              changesUrl: urls.policyChanges(document.id, version.effective),
                              translatedChangesUrls: Dictionary(uniqueKeysWithValues: document.locales.compactMap { locale in
                                  // A translated notice exists when the language translates this version and one before it.
                                  guard document.translation(of: version, in: locale) != nil,
                                        document.translations(in: locale).contains(where: { $0.effective < version.effective }) else { return nil }
                                  return (locale, urls.policyChanges(document.id, version.effective, locale: locale))
                              }))
                    })
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(config)
    }

    /// Every word of the banner by locale: English filled in where site.yaml gives none; the site's
    /// own language takes `banner.title` and `banner.message`.
    var bannerText: [String: [String: String]] {
        var text: [String: [String: String]] = [:]
        var own = BannerText.english.merging(settings.text.strings[corpus.site.language] ?? [:]) { $1 }
        own["title"] = settings.text.strings[corpus.site.language]?["title"] ?? settings.bannerTitle
        own["message"] = settings.text.strings[corpus.site.language]?["message"] ?? settings.bannerMessage
        text[corpus.site.language] = own
        for (locale, strings) in settings.text.strings where locale != corpus.site.language {
            text[locale] = BannerText.english.merging(strings) { $1 }
        }
        return text
    }

    /// `/.well-known/gpc.json`: this site honours Global Privacy Control.
    /// `lastUpdate` is the day the newest consent-relevant version took effect.
    func gpcDeclaration() -> String {
        let lastUpdate = documents.compactMap { $0.current(on: now)?.effective }.max() ?? now
        return "{\"gpc\": true, \"lastUpdate\": \"\(lastUpdate)\"}\n"
    }
}

/// The banner's view of the site; field names are read by `templates/assets/consent.js`.
private struct BannerConfig: Encodable {
    struct Regions: Encodable { let strictest: ConsentMode; let api: String }
    struct ConsentCookie: Encodable { let name: String; let path: String; let maxAgeDays: Int }
    struct Notice: Encodable { let version: String; let locale: String }
    struct Category: Encodable { let id, label, description: String; let required, gpc: Bool; let cookies: [Cookie] }
    /// A declared cookie: the banner lists it and deletes it when its category is refused.
    struct Cookie: Encodable { let name: String; let domain: String?; let duration, purpose, provider: String }
    struct CategoryText: Encodable { let label, description: String? }
    /// `current` as of the build; `versions` (every effective date) lets the banner work out the
    /// version in force on the reader's own date when the site is not rebuilt every day.
    /// `translations`: by effective date, the languages the version can be read in besides the site's.
    struct Document: Encodable { let id, title, url, current: String; let versions: [String]; let translations: [String: [String]]; let material: [MaterialVersion] }
    /// A material version; `inForce` as of the build, which the browser also checks against its own date.
    /// `translatedChangesUrls`: by locale, the notice in that language, for readers of a translated page.
    struct MaterialVersion: Encodable { let version: String; let inForce: Bool; let changesUrl: String; let translatedChangesUrls: [String: String] }

    let api: String
    /// Where the banner counts that it was shown (no identifier goes with it).
    let impressions: String
    /// Without it every visitor is asked (opt-in). With it, the banner asks the server which mode
    /// applies to the visitor; a static host has no such API, and the strictest mode applies.
    let regions: Regions?
    /// "Your Privacy Choices", where the banner puts the choices form.
    let choicesUrl: String
    let cookie: ConsentCookie
    let notice: Notice
    let title: String
    let message: String
    let categories: [Category]
    /// By locale, every word of the banner.
    let text: [String: [String: String]]
    /// By locale and category id, labels and descriptions in that language.
    let categoryText: [String: [String: CategoryText]]
    let documents: [Document]
}
