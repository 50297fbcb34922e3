"""The banner holds back what it asks about: gated scripts and iframes in a real Chromium, under
the Content-Security-Policy site.yaml configures, and the declared cookies a withdrawal deletes."""

import pytest

from browser import Browser, browsers_for
from conftest import ROOT
from helpers import LoopbackOrigin, request

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"

NOW = "2026-11-21"

TRACKER = b"""document.cookie = "_pk_id.7f3a=visitor; Path=/; Max-Age=3600";
document.cookie = "_pk_ses.7f3a=1; Path=/; Max-Age=1800";
window.trackerRan = true;
"""


@pytest.fixture
def third_party():
    # A second origin serving an analytics script and an embeddable page.
    party = LoopbackOrigin({"/tracker.js": (TRACKER, "text/javascript"), "/embed.html": (b"<p>Product tour</p>", "text/html")})
    yield party
    party.stop()


@pytest.fixture
def site(run, serve, workdir, third_party):
    (workdir / "templates/partials/site-scripts.mustache").write_text(
        f'<script type="text/plain" data-category="analytics" data-src="{third_party.origin}/tracker.js"></script>\n'
        f'<iframe data-category="marketing" data-src="{third_party.origin}/embed.html" title="Product tour" width="300" height="150"></iframe>\n')
    site_yaml = workdir / "content/site.yaml"
    site_yaml.write_text(site_yaml.read_text() + f"contentSecurityPolicy:\n  script-src: [{third_party.origin}]\n  frame-src: [{third_party.origin}]\n")
    result = run("build", "--now", NOW)
    assert result.returncode == 0, result.stderr
    return serve()


@pytest.fixture
def browsers(site):
    yield from browsers_for(site.base)


def cookie_names(browser):
    return {cookie["name"] for cookie in browser.driver.get_cookies()}


def test_the_servers_policy_names_the_configured_origins_and_still_no_inline_script(site, third_party):
    csp = request("GET", site.base + "/privacy/")[1]["Content-Security-Policy"]
    assert f"script-src 'self' {third_party.origin}" in csp and f"frame-src 'self' {third_party.origin}" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


def test_gated_scripts_and_iframes_stay_inert_until_their_category_is_granted(site, browsers, third_party):
    browser = browsers()
    browser.open("/privacy/")
    browser.wait_for_banner()
    browser.screenshot(SCREENSHOTS / "banner-en.png")
    assert third_party.requests == [], "nothing gated loads before a choice"
    assert browser.js("return window.trackerRan === undefined")
    placeholder = browser.find(".consent-placeholder")
    assert "Product tour is not shown until you allow Marketing cookies." in placeholder.get_attribute("textContent")

    # Analytics only: the script runs, the marketing iframe stays a placeholder.
    browser.find("[data-action=choose]").click()
    browser.find("#consent-analytics").click()
    browser.find("[data-action=custom]").click()
    browser.wait(lambda: "/tracker.js" in third_party.requests, message="the granted script was not loaded")
    browser.wait(lambda: browser.js("return window.trackerRan === true"), message="the granted script did not run under the CSP")
    assert "/embed.html" not in third_party.requests
    assert {"_pk_id.7f3a", "_pk_ses.7f3a"} <= cookie_names(browser)
    errors = [entry for entry in browser.console_errors() if "Content Security Policy" in entry["message"]]
    assert errors == []

    # The placeholder's own button grants marketing, and that choice is recorded too.
    browser.find(".consent-allow").click()
    browser.wait(lambda: "/embed.html" in third_party.requests, message="the allowed iframe was not loaded")
    frame = browser.find("iframe[data-category=marketing]")
    assert frame.get_attribute("src") == f"{third_party.origin}/embed.html" and frame.is_displayed()
    assert browser.find_all(".consent-placeholder") == []
    browser.wait(lambda: "marketing" in (browser.cookie_state() or {}).get("granted", []))

    # Withdrawing analytics deletes its declared cookies at once; the next page runs nothing of it.
    browser.find("[data-consent-open]").click()
    browser.find("[data-action=choose]").click()
    browser.find("#consent-analytics").click()
    browser.find("[data-action=custom]").click()
    browser.wait(lambda: not ({"_pk_id.7f3a", "_pk_ses.7f3a"} & cookie_names(browser)), message="withdrawal left the analytics cookies")
    assert "redline_consent" in cookie_names(browser)
    asked = len([path for path in third_party.requests if path == "/tracker.js"])
    browser.open("/terms/")
    browser.consent_ready()
    browser.wait(lambda: "/embed.html" in third_party.requests[-1:] or third_party.requests.count("/embed.html") >= 2)
    assert len([path for path in third_party.requests if path == "/tracker.js"]) == asked, "a withdrawn category's script never runs again"


def test_reject_all_never_loads_anything_gated(site, browsers, third_party):
    browser = browsers()
    browser.open("/privacy/")
    browser.wait_for_banner().find_element("css selector", "[data-action=reject-all]").click()
    browser.wait_for_receipt()
    browser.open("/cookies/")
    browser.consent_ready()
    placeholder = browser.wait(lambda: browser.find_all(".consent-placeholder"))[0]
    assert third_party.requests == []
    browser.driver.execute_script("arguments[0].scrollIntoView()", placeholder)
    browser.screenshot(SCREENSHOTS / "gated-iframe-placeholder.png")
    assert browser.axe() == [], "the placeholder is accessible"


def test_global_privacy_control_keeps_a_marketing_embed_locked(site, browsers, third_party):
    browser = browsers(gpc=True)
    browser.open("/privacy/")
    browser.consent_ready()
    placeholder = browser.wait(lambda: browser.find_all(".consent-placeholder"))[0]
    assert not placeholder.find_element("css selector", ".consent-allow").is_enabled()
    assert "Global Privacy Control" in placeholder.text
    assert third_party.requests == []


def test_the_banner_speaks_the_pages_language(run, serve, workdir):
    site_yaml = workdir / "content/site.yaml"
    # A German site: German is its own language, so no longer one it is translated into.
    site_yaml.write_text(site_yaml.read_text().replace("language: en-GB", "language: de")
                         .replace("languages: [de, fr]", "languages: [fr]").replace("bindingLanguage: en-GB", "bindingLanguage: de"))
    (workdir / "content/policies/privacy/2026-06-01.de.md").unlink()
    assert run("build", "--now", NOW).returncode == 0
    server = serve()
    browser = Browser(server.base)
    try:
        browser.open("/privacy/")
        banner = browser.wait_for_banner()
        assert banner.find_element("css selector", "#consent-title").text == "Ihre Datenschutz-Einstellungen"
        assert banner.find_element("css selector", "[data-action=accept-all]").text == "Alle akzeptieren"
        browser.screenshot(SCREENSHOTS / "banner-de.png")
        banner.find_element("css selector", "[data-action=choose]").click()
        assert browser.find("label[for=consent-analytics]").text == "Statistik"
        browser.screenshot(SCREENSHOTS / "banner-de-choices.png")
        assert "_pk_id.*" in browser.find("#consent-analytics-description").text, "the declared cookies are listed"
        assert browser.find("[data-action=reject-all]").text == "Alle ablehnen"
        browser.find("[data-action=reject-all]").click()
        receipt = browser.wait_for_receipt()
        assert browser.find("[data-consent-open]").text == "Cookie-Einstellungen"
        assert receipt["receipt"]
    finally:
        browser.quit()
