import Foundation
import RedlineContent
import RedlineDiff
import RedlineMarkdown

/// `/<locale>/<id>/feed.xml`: the translations into one language, newest first.
struct TranslationFeed {
    let environment: RenderEnvironment
    let document: PolicyDocument
    let locale: String

    func atom() -> String {
        let urls = environment.urls
        let translations = document.translations(in: locale).reversed()
        let host = urls.tagAuthority
        let entries = translations.map { translation -> AtomFeed.Entry in
            let version = document.versions.first { $0.effective == translation.effective }
            return AtomFeed.Entry(id: "tag:\(host),\(translation.effective):\(urls.basePath.dropFirst())\(locale)/\(document.id)/\(translation.effective)",
                                  title: "\(translation.title), \(translation.effective)",
                                  link: urls.absolute(urls.policyVersion(document.id, translation.effective, locale: locale)),
                                  updated: "\(translation.effective)T00:00:00Z", category: version?.material == true ? "material" : "editorial",
                                  summary: translation.summary ?? translation.title)
        }
        return AtomFeed(id: "tag:\(host),2000-01-01:\(urls.basePath.dropFirst())\(locale)/\(document.id)", language: locale,
                        title: translations.first?.title ?? document.title(on: environment.now),
                        selfURL: urls.absolute(urls.policyFeed(document.id, locale: locale)),
                        alternateURL: urls.absolute(urls.policy(document.id, locale: locale)),
                        updated: translations.first.map { "\($0.effective)T00:00:00Z" } ?? "\(environment.now)T00:00:00Z",
                        author: environment.site.title, entries: entries).xml
    }
}
