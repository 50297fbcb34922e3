import RedlineContent
import RedlineTestSupport
import Testing
@testable import RedlineSite

/// A translated page speaks its reader's language all the way: summary, chrome and dates.
@Suite struct TranslatedNoticeTests {
    static let germanWords = """
    text:
      de:
        skipToContent: Zum Inhalt springen
        effective: Gültig ab
        summaryOfChanges: "Zusammenfassung der Änderungen:"
        sectionsChanged: Geänderte Abschnitte
        changeNotice: Änderungsmitteilung
        changesTitle: "{title}: Änderungen zum {date}"
        inTotal: "Insgesamt {words}."
        oneWord: "{n} Wort"
        manyWords: "{n} Wörter"
        wordsAdded: "{words} hinzugefügt"
        wordsRemoved: "{words} entfernt"
        sectionChanged: "Geändert: {words}"
        materialChange: Wesentliche Änderung
        builtFor: Richtlinien in der am
        builtForEnd: geltenden Fassung
        theVersionEffective: "die Fassung vom {date}"
        untilThen: Bis dahin gilt
        applies: ""
    """

    /// The standard fixture with its privacy policy translated into German, first and last versions.
    func site(words: String = TranslatedNoticeTests.germanWords) -> SiteFixture {
        let site = SiteFixture()
        site.directory.write("content/site.yaml", ContentFixture.siteYAML + "\nlanguages: [de]\n" + words + "\n")
        site.directory.write("content/policies/privacy/2026-01-01.de.md",
                             "---\ntitle: Datenschutzerklärung\nsummary: Erste Fassung.\n---\nEinleitung.\n\n## Information we collect\n\nE-Mail.\n\n## Sharing\n\nNiemand.\n")
        site.directory.write("content/policies/privacy/2026-09-01.de.md",
                             "---\ntitle: Datenschutzerklärung\nsummary: Wir geben Daten an Paketdienste weiter.\n---\nEinleitung.\n\n## Information we collect\n\nE-Mail.\n\n## Sharing\n\nPaketdienste.\n")
        return site
    }

    @Test func theTranslatedNoticeShowsItsOwnSummaryNotTheEnglishOne() throws {
        let fixture = site()
        try fixture.build()
        let notice = fixture.page("de/privacy/changes/2026-09-01/index.html")
        #expect(notice.contains("<html lang=\"de\">"))
        #expect(notice.contains("Wir geben Daten an Paketdienste weiter."))
        #expect(!notice.contains("We share with a carrier."), "the English summary is not the German readers' summary")
        #expect(notice.contains("<meta name=\"description\" content=\"Wir geben Daten an Paketdienste weiter.\">"))
    }

    @Test func theTranslatedNoticeChromeIsInItsLanguage() throws {
        let fixture = site()
        try fixture.build()
        let notice = fixture.page("de/privacy/changes/2026-09-01/index.html")
        #expect(notice.contains("<a class=\"skip-link\" href=\"#main\">Zum Inhalt springen</a>"))
        #expect(notice.contains("<p class=\"eyebrow\">Änderungsmitteilung</p>"))
        #expect(notice.contains("<h1>Datenschutzerklärung: Änderungen zum 1. September 2026</h1>"))
        #expect(notice.contains("<dt>Gültig ab</dt><dd><time datetime=\"2026-09-01\">1. September 2026</time></dd>"))
        #expect(notice.contains("<strong>Zusammenfassung der Änderungen:</strong>"))
        #expect(notice.contains("<h2 id=\"sections-changed\">Geänderte Abschnitte</h2>"))
        #expect(notice.contains("<p>Insgesamt 1 Wort hinzugefügt, 1 Wort entfernt.</p>"))
        #expect(notice.contains("<a href=\"#sharing\">Sharing</a>: Geändert: 1 Wort hinzugefügt, 1 Wort entfernt"))
        #expect(notice.contains("<span class=\"status-label\">Geändert: 1 Wort hinzugefügt, 1 Wort entfernt</span>"),
                "the redline's own section notes too")
        #expect(notice.contains("Wesentliche Änderung"))
        #expect(notice.contains("Richtlinien in der am <time datetime=\"2026-06-15\">15. Juni 2026</time> geltenden Fassung."))
        for english in ["Skip to content", "Summary of changes", "Sections changed", "in total", "Changed: ", "Material change", "June 2026",
                        "Changes to the", "Policies as in force on"] {
            #expect(!notice.contains(english), "English '\(english)' on a German page")
        }
        // Its language's navigation: the German text of each policy that has one.
        #expect(notice.contains("<a href=\"/de/privacy/\" aria-current=\"true\">Datenschutzerklärung</a>"))
    }

    @Test func translatedVersionPagesUseTheirLanguagesWordsAndDates() throws {
        let fixture = site()
        try fixture.build()
        let page = fixture.page("de/privacy/2026-09-01/index.html")
        #expect(page.contains("<dt>Gültig ab</dt><dd><time datetime=\"2026-09-01\">1. September 2026</time></dd>"))
        #expect(page.contains("<strong>Zusammenfassung der Änderungen:</strong> Wir geben Daten an Paketdienste weiter."))
        #expect(!page.contains("Summary of changes"))
    }

    @Test func withoutWordsForItsLanguageAPageFallsBackToEnglishChromeButNeverToTheEnglishSummary() throws {
        let fixture = site(words: "")
        fixture.directory.write("content/policies/privacy/2026-09-01.de.md",
                                "---\ntitle: Datenschutzerklärung\n---\nEinleitung.\n\n## Information we collect\n\nE-Mail.\n\n## Sharing\n\nPaketdienste.\n")
        try fixture.build()
        let notice = fixture.page("de/privacy/changes/2026-09-01/index.html")
        #expect(notice.contains("<h2 id=\"sections-changed\">Sections changed</h2>"))
        #expect(!notice.contains("We share with a carrier."))
        #expect(!notice.contains("change-summary"), "no summary rather than another language's")
        #expect(notice.contains("1. September 2026"), "dates are written in the page's language")
    }

    @Test func englishPagesKeepTheirWords() throws {
        let fixture = site()
        try fixture.build()
        let notice = fixture.page("privacy/changes/2026-09-01/index.html")
        #expect(notice.contains("<h1>Changes to the Privacy Policy, September 1, 2026</h1>"))
        #expect(notice.contains("<strong>Summary of changes:</strong> We share with a carrier."))
        #expect(notice.contains("<p>1 word added, 1 word removed in total.</p>"))
        #expect(notice.contains("<span class=\"status-label\">Changed: 1 word added, 1 word removed</span>"))
    }

    @Test func siteYAMLTextIsReadAndChecked() throws {
        let (config, diagnostics) = SiteConfig.parse(ContentFixture.siteYAML + "\nlanguages: [de]\ntext:\n  de:\n    effective: Gültig ab\n    applies: \"\"\n    efective: x\n",
                                                     path: "site.yaml")
        let text = try #require(config).text
        #expect(text.words(for: "de")["effective"] == "Gültig ab")
        #expect(text.words(for: "de-AT")["effective"] == "Gültig ab", "a regional tag reads its language's words")
        #expect(text.words(for: "de")["applies"] == "", "a part a language leaves empty stays empty")
        #expect(text.words(for: "fr")["effective"] == "Effective")
        #expect(diagnostics.contains { $0.message.contains("unknown field 'efective'") && $0.message.contains("'effective'") })
    }
}
