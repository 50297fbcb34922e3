import RedlineContent

/// What `check` says about translations: one that fell behind the binding text, and a material
/// version that a language the policy is translated into does not have (an error with `--strict`).
enum TranslationReview {
    static func review(_ corpus: Corpus, now: Day) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for document in corpus.policies {
            guard let featured = document.featured(on: now) else { continue }
            for locale in document.locales {
                let translations = document.translations(in: locale)
                guard let latest = translations.last, let first = translations.first else { continue }
                if latest.effective < featured.effective {
                    diagnostics.append(.warning(latest.source.displayPath, line: nil,
                        "stale translation: '\(locale)' translates the version effective \(latest.effective), but the binding text "
                        + "has changed since (\(featured.source.displayPath)); its pages tell readers so until \(featured.effective).\(locale).md exists"))
                }
                for version in document.versions where document.isAnnounced(version) && version.effective > first.effective
                    && document.translation(of: version, in: locale) == nil {
                    diagnostics.append(.warning(version.source.displayPath, line: version.fieldLines["material"],
                        "material version without its '\(locale)' translation (\(version.effective).\(locale).md): "
                        + "readers in '\(locale)' are not told what changed in their language"))
                }
            }
        }
        return diagnostics
    }
}
