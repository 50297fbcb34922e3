"""tests/cases/timeline.json against the banner's rule in consent.js, run by Chromium: the same
cases Swift's TimelineCaseTests run against PolicyTimeline, so the banner and the server agree
on which version is in force and which change asks again."""
import json
from pathlib import Path

import pytest

from browser import Browser

ROOT = Path(__file__).resolve().parents[2]
CASES = json.loads((ROOT / "tests" / "cases" / "timeline.json").read_text())["cases"]
CONSENT_JS = (ROOT / "templates" / "assets" / "consent.js").read_text()


@pytest.fixture(scope="module")
def rule():
    """consent.js's rule object, loaded into a blank page as the script would be (without its
    data-config the page code stays away and only the rule is made)."""
    browser = Browser("about:blank")
    try:
        browser.driver.get("about:blank")
        browser.js("var module = {exports: {}}; " + CONSENT_JS + "\n; window.__rule = module.exports;")
        assert browser.js("return typeof window.__rule.changesSince") == "function"
        yield browser
    finally:
        browser.quit()


def banner_document(case: dict, built: str) -> dict:
    """The document as the build writes it into consent/config.json on `built`: the version then
    current, every version, and each announced version with whether it had taken effect."""
    then = case["days"][built]
    return {"current": then["current"],
            "versions": [v["effective"] for v in case["versions"]],
            "material": [{"version": v, "inForce": v in then["inForce"]} for v in case["announced"]]}


def pairs():
    for case in CASES:
        for built, then in sorted(case["days"].items()):
            if then["current"] is None:
                continue  # nothing in force yet: the build leaves the document out of the banner
            for read in sorted(case["days"]):
                yield pytest.param(case, built, read, id=f"{case['name']} / built {built} / read {read}")


@pytest.mark.parametrize("case,built,read", list(pairs()))
def test_the_banner_decides_as_the_table_says(rule, case, built, read):
    # The server's today is the later of its clock and the build day; the banner's rule must agree.
    expected = case["days"][max(built, read)]
    document = banner_document(case, built)
    current = rule.js("return window.__rule.currentVersion(arguments[0], arguments[1])", document, read)
    reconsent = rule.js("return window.__rule.changesSince(arguments[0], arguments[1], arguments[2]).map(function (v) { return v.version; })",
                        document, case["agreed"], read)
    assert current == expected["current"]
    assert reconsent == expected["reconsent"]
