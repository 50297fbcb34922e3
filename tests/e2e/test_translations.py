"""Policies in several languages: the sample privacy policy in German (current) and French (stale)."""
import hashlib
import json
import re

from browser import Browser
from helpers import request

NOW = "2026-11-21"


def page(workdir, path):
    return (workdir / "public" / path / "index.html").read_text()


def test_each_translation_has_its_permanent_url_hreflang_a_switcher_and_says_which_text_binds(run, workdir):
    assert run("build", "--now", NOW).returncode == 0
    german = page(workdir, "de/privacy/2026-06-01")
    assert '<html lang="de">' in german and "<h1>Datenschutzerklärung</h1>" in german
    # Its chrome is German too (site.yaml text.de), dates included; never English labels around German text.
    assert "Rechtsverbindlich ist allein der Text auf Englisch:" in german and 'href="/privacy/2026-06-01/"' in german
    assert "<dt>Gültig ab</dt><dd><time datetime=\"2026-06-01\">1. Juni 2026</time></dd>" in german
    assert '<a class="skip-link" href="#main">Zum Inhalt springen</a>' in german
    for english in ("Skip to content", "Summary of changes", "Effective</dt>", "Policies as in force on", "legally binding"):
        assert english not in german, english
    assert "newer version" not in german, "the German text is current"
    # hreflang on both languages' pages, each naming all of them and the binding text as x-default.
    for html in (german, page(workdir, "privacy/2026-06-01")):
        assert '<link rel="alternate" hreflang="de" href="https://legal.parcelbird.example/de/privacy/2026-06-01/">' in html
        assert '<link rel="alternate" hreflang="en-GB" href="https://legal.parcelbird.example/privacy/2026-06-01/">' in html
        assert '<link rel="alternate" hreflang="x-default" href="https://legal.parcelbird.example/privacy/2026-06-01/">' in html
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', german, re.S).group(0)
    assert '<a href="/privacy/2026-06-01/" hreflang="en-GB" lang="en-GB">English</a>' in switcher
    assert 'hreflang="de" lang="de" aria-current="page">Deutsch</a>' in switcher
    assert "<h1>Datenschutzerklärung</h1>" in page(workdir, "de/privacy"), "the language's own URL shows its text of the version in force"

    # The French text translates an older version: it says the binding text is newer, with a link.
    french = page(workdir, "fr/privacy")
    assert '<html lang="fr">' in french and "Politique de confidentialité" in french
    assert "Le texte qui fait foi a une version plus récente</strong>, en vigueur le 1 juin 2026" in french
    assert 'href="/privacy/2026-06-01/">lire la version plus récente</a>' in french
    assert not (workdir / "public/fr/privacy/2026-06-01").exists()

    # Evidence: each translation's hash, of the exact bytes published beside it.
    manifest = json.loads((workdir / "public/manifest.json").read_text())
    privacy = next(d for d in manifest["documents"] if d["id"] == "privacy")
    version = next(v for v in privacy["versions"] if v["effective"] == "2026-06-01")
    german_text = (workdir / "public/de/privacy/2026-06-01/text.txt").read_bytes()
    assert version["translations"]["de"] == {"title": "Datenschutzerklärung", "sha256": hashlib.sha256(german_text).hexdigest(),
                                              "url": "https://legal.parcelbird.example/de/privacy/2026-06-01/",
                                              "summary": re.search(r"^summary: (.*)$", (workdir / "content/policies/privacy/2026-06-01.de.md").read_text(), re.M).group(1)}
    assert version["sha256"] != version["translations"]["de"]["sha256"]
    terms = next(d for d in manifest["documents"] if d["id"] == "terms")
    assert all("translations" not in v for v in terms["versions"]), "untranslated documents keep the manifest's old shape"
    sitemap = (workdir / "public/sitemap.xml").read_text()
    assert "https://legal.parcelbird.example/de/privacy/2026-06-01/" in sitemap

    # Each language searches its own texts, from its own search page.
    def indexed(folder):
        return "".join(p.read_text() for p in (workdir / "public" / folder / "sections").glob("*.json"))
    assert '"u":"/de/privacy/"' in indexed("de/search") and "/fr/" not in indexed("de/search")
    assert "Aufbewahrung" in indexed("de/search")
    assert "/de/" not in indexed("search") and "/fr/" not in indexed("search")
    assert 'action="/de/search/"' in german
    assert '<html lang="de">' in page(workdir, "de/search") and 'data-index="/de/search/meta.json"' in page(workdir, "de/search")


def test_check_reports_the_stale_translation_and_strict_refuses_missing_material_ones(run, workdir):
    result = run("check", "--now", NOW)
    assert result.returncode == 0
    lines = result.stderr.splitlines()
    assert any(line.startswith("content/policies/privacy/2025-09-15.fr.md: warning: stale translation: 'fr' translates the version "
                               "effective 2025-09-15") for line in lines), result.stderr
    assert ("content/policies/privacy/2027-03-01.md:4: warning: material version without its 'de' translation (2027-03-01.de.md): "
            "readers in 'de' are not told what changed in their language") in lines
    strict = run("check", "--now", NOW, "--strict")
    assert strict.returncode == 1 and "content/policies/privacy/2027-03-01.md:4: error: material version without its 'de' translation" in strict.stderr

    # Broken translations are errors at their files.
    (workdir / "content/policies/privacy/2026-07-01.de.md").write_text("---\ntitle: X\n---\n\nText.\n")
    (workdir / "content/policies/terms/2026-06-01.it.md").write_text("---\ntitle: Termini\n---\n\nTesto.\n")
    result = run("check", "--now", NOW)
    assert result.returncode == 1
    assert "content/policies/privacy/2026-07-01.de.md: error: translates the version effective 2026-07-01, but there is no 2026-07-01.md beside it" in result.stderr
    assert "content/policies/terms/2026-06-01.it.md: error: 'it' is not one of site.yaml's languages" in result.stderr


def test_a_new_translation_gets_its_own_change_notice_and_feed_entry(run, workdir):
    english = (workdir / "content/policies/privacy/2027-03-01.md").read_text()
    german = (workdir / "content/policies/privacy/2026-06-01.de.md").read_text()
    (workdir / "content/policies/privacy/2027-03-01.de.md").write_text(
        german.replace("| Sendungsdaten | 25 Monate nach Erstellung des Etiketts |", "| Sendungsdaten | 36 Monate nach Erstellung des Etiketts |"))
    assert "2027-03-01" in english
    result = run("build", "--now", NOW)
    assert result.returncode == 0, result.stderr
    assert "without its 'de' translation" not in result.stderr
    notice = page(workdir, "de/privacy/changes/2027-03-01")
    assert '<html lang="de">' in notice
    assert "<del>25</del><ins>36</ins> Monate" in notice, "the redline compares the German texts"
    # The German notice: its own summary, its chrome, its dates and its section notes in German.
    summary = re.search(r"^summary: (.*)$", german, re.M).group(1)
    assert f"<strong>Zusammenfassung der Änderungen:</strong> {summary}" in notice
    english_summary = re.search(r"^summary: (.*)$", english, re.M).group(1)
    assert english_summary not in notice, "the English summary on the German notice"
    assert "<h1>Datenschutzerklärung: Änderungen zum 1. März 2027</h1>" in notice
    assert '<h2 id="sections-changed">Geänderte Abschnitte</h2>' in notice
    assert '<span class="status-label">Geändert: 1 Wort hinzugefügt, 1 Wort entfernt</span>' in notice
    for label in ("Sections changed", "Summary of changes", "Changed: ", "in total", "Full text with changes marked", "March 2027"):
        assert label not in notice, label
    assert 'href="/de/privacy/2027-03-01/"' in notice and 'href="/de/privacy/2026-06-01/"' in notice
    feed = (workdir / "public/de/privacy/feed.xml").read_text()
    assert feed.count("<entry>") == 2 and 'xml:lang="de"' in feed
    assert "https://legal.parcelbird.example/de/privacy/2027-03-01/" in feed
    # The German page of the version in force now links forward to the upcoming German text.
    assert 'href="/de/privacy/2027-03-01/" rel="next">Nächste Fassung: 1. März 2027 (künftig)</a>' in page(workdir, "de/privacy/2026-06-01")


def test_consent_from_a_translated_page_names_its_language_and_hash(run, serve, workdir):
    assert run("build", "--now", NOW).returncode == 0
    server = serve()
    manifest = json.loads((workdir / "public/manifest.json").read_text())
    privacy = next(d for d in manifest["documents"] if d["id"] == "privacy")
    german_hash = next(v for v in privacy["versions"] if v["effective"] == "2026-06-01")["translations"]["de"]["sha256"]
    body = {"subject": "6d1f0c1e-7a44-4e0b-9a53-1f3a2b4c5d6e", "granted": ["necessary"], "denied": ["analytics", "marketing"],
            "method": "reject-all", "policies": [{"id": "privacy", "version": "2026-06-01", "locale": "de"}],
            "notice": {"version": manifest["consent"]["notice"]["version"], "locale": "de"}}
    status, _, answer = request("POST", server.base + "/api/v1/consent", body)
    assert status == 201, answer
    record = request("GET", f"{server.base}/api/v1/consent/{body['subject']}")[2]
    assert record["policies"] == [{"id": "privacy", "version": "2026-06-01", "locale": "de", "sha256": german_hash}]

    body["policies"] = [{"id": "privacy", "version": "2026-06-01", "locale": "fr"}]
    status, _, refused = request("POST", server.base + "/api/v1/consent", body)
    assert status == 422 and "'privacy' 2026-06-01 has no 'fr' text; it has de" in json.dumps(refused, ensure_ascii=False), refused

    # In a browser: switching language keeps the version, and a choice made on the German page records German.
    browser = Browser(server.base)
    try:
        browser.open("/privacy/2026-06-01/")
        browser.wait_for_banner().find_element("css selector", "[data-action=reject-all]").click()
        browser.wait_for_receipt()
        browser.find(".language-switcher a[hreflang=de]").click()
        browser.wait(lambda: browser.driver.current_url.endswith("/de/privacy/2026-06-01/"))
        browser.find(".language-switcher a[hreflang=en-GB]").click()
        browser.wait(lambda: browser.driver.current_url.endswith("/privacy/2026-06-01/") and "/de/" not in browser.driver.current_url)

        german = Browser(server.base)
        try:
            german.open("/de/privacy/")
            banner = german.wait_for_banner()
            assert banner.find_element("css selector", "#consent-title").text == "Ihre Datenschutz-Einstellungen"
            banner.find_element("css selector", "[data-action=reject-all]").click()
            state = german.wait_for_receipt()
            recorded = request("GET", f"{server.base}/api/v1/consent/{state['subject']}")[2]
            assert {"id": "privacy", "version": "2026-06-01", "locale": "de", "sha256": german_hash} in recorded["policies"]
            german.open("/de/search/?q=aufbewahrung")
            links = german.wait(lambda: german.find_all(".result-link"), message="the German search found nothing")
            assert links[0].get_attribute("href").endswith("/de/privacy/#aufbewahrung")
        finally:
            german.quit()
    finally:
        browser.quit()


def test_the_notice_e_mail_follows_the_users_language(run, serve, workdir, smtp_sink):
    from test_notices import approve, notice_env, wait_for

    german = (workdir / "content/policies/privacy/2026-06-01.de.md").read_text()
    (workdir / "content/policies/privacy/2027-03-01.de.md").write_text(
        german.replace("summary: Wir prüfen", "summary: Neu ab März – wir prüfen"))
    assert run("build", "--now", NOW).returncode == 0
    key = run("keys", "create", "--db", "data/redline.sqlite", "--name", "e2e").stdout.strip()
    server = serve(**notice_env(smtp_sink))
    auth = {"Authorization": f"Bearer {key}"}
    for user_id, email, locale in [("u-en", "ana@example.com", "en-GB"), ("u-de", "bo@example.org", "de-AT")]:
        status, _, body = request("PUT", f"{server.base}/api/v1/admin/users/{user_id}", {"email": email, "locale": locale}, auth)
        assert status == 201, body
    approve(run, server, key, "privacy", "2027-03-01")
    messages = wait_for(lambda: len(smtp_sink.messages()) == 2 and smtp_sink.messages())
    assert messages, "both users were to get the notice"
    by_recipient = {str(message["To"]): message for message in messages}
    german_mail = next(m for to, m in by_recipient.items() if "bo@example.org" in to)
    english_mail = next(m for to, m in by_recipient.items() if "ana@example.com" in to)
    german_text = german_mail.get_body(preferencelist=("plain",)).get_content()
    english_text = english_mail.get_body(preferencelist=("plain",)).get_content()
    assert "Datenschutzerklärung" in german_text and "https://legal.parcelbird.example/de/privacy/changes/2027-03-01/" in german_text, german_text
    assert "Neu ab März" in german_text
    # The whole message is German, text and HTML alike: the body around the title and summary too.
    german_html = german_mail.get_body(preferencelist=("html",)).get_content()
    assert "Guten Tag," in german_text and "Die neue Fassung gilt ab dem 1. März 2027." in german_text, german_text
    assert "Jede Änderung, Abschnitt für Abschnitt" in german_html and "Neu ab März" in german_html, german_html
    assert '<html lang="de-AT">' in german_html
    for english in ("Hello", "We are changing", "What changes", "takes effect", "March 2027"):
        assert english not in german_text and english not in german_html, english
    assert german_mail["Content-Language"] == "de", german_mail["Content-Language"]
    assert "Datenschutzerklärung" in str(german_mail["Subject"]) and "1. März 2027" in str(german_mail["Subject"])
    assert "Privacy Policy" in english_text and "/de/" not in english_text
