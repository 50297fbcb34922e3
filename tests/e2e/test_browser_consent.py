"""The cookie banner in a real Chromium against `redline serve`, as a visitor uses it."""
import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from browser import Browser, browsers_for, wait_until
from helpers import request


@pytest.fixture
def server(run, serve):
    result = run("build", "--now", "2026-11-21")
    assert result.returncode == 0, result.stderr
    return serve()


@pytest.fixture
def browsers(server):
    yield from browsers_for(server.base)


def state(server, subject: str) -> dict:
    status, _, body = request("GET", f"{server.base}/api/v1/consent/{subject}")
    assert status == 200, body
    return body


def reloads(server) -> float:
    """How often the server has read manifest.json again, from its Prometheus metrics."""
    text = request("GET", server.base + "/metrics")[2]
    lines = [line for line in text.splitlines() if line.startswith("redline_manifest_reloads_total")]
    return float(lines[0].split()[-1]) if lines else 0


def press(browser: Browser, *keys) -> None:
    ActionChains(browser.driver).send_keys(*keys).perform()


def tab_to(browser: Browser, css: str, limit: int = 25) -> None:
    """Presses Tab, as a keyboard user would, until the element matching `css` has focus."""
    target = browser.find(css)
    for _ in range(limit):
        if browser.active() == target:
            return
        press(browser, Keys.TAB)
    raise AssertionError(f"Tab never reached {css}")


def test_first_visit_asks_and_reject_all_is_recorded_and_not_asked_again(server, browsers):
    browser = browsers()
    browser.open("/privacy/")
    banner = browser.wait_for_banner()
    assert banner.get_attribute("aria-modal") == "true"
    buttons = [b.text for b in banner.find_elements("css selector", ".consent-actions button") if b.is_displayed()]
    assert buttons == ["Accept all", "Reject all", "Choose"]

    banner.find_element("css selector", "[data-action=reject-all]").click()
    assert browser.banner() is None
    cookie = browser.wait_for_receipt()
    recorded = state(server, cookie["subject"])
    assert recorded["event"] == "refused" and recorded["method"] == "reject-all"
    assert recorded["granted"] == ["necessary"] and sorted(recorded["denied"]) == ["analytics", "marketing"]
    assert recorded["receiptId"] == cookie["receipt"]
    assert {p["id"]: p["version"] for p in recorded["policies"]} == {"privacy": "2026-06-01", "cookies": "2026-02-01"}
    assert "saved" in browser.find("#consent-status").text

    browser.open("/terms/")
    browser.consent_ready()
    assert browser.banner() is None
    browser.open("/docs/v2/webhooks/")
    browser.consent_ready()
    assert browser.banner() is None


def test_a_keyboard_only_visitor_chooses_categories_and_focus_returns(server, browsers):
    browser = browsers()
    browser.open("/cookies/")
    browser.wait_for_banner()
    assert browser.active() == browser.find(".consent-panel"), "the dialog takes focus, no button preselected"

    tab_to(browser, "[data-action=choose]")
    press(browser, Keys.ENTER)
    analytics = browser.find("#consent-analytics")
    assert browser.active() == analytics, "Choose moves focus to the first category"
    assert not analytics.is_selected()
    press(browser, Keys.SPACE)
    assert analytics.is_selected()
    assert browser.find("#consent-necessary").get_attribute("disabled") is not None

    # Tab stays inside the dialog: from the last control it wraps to the first.
    tab_to(browser, "[data-action=custom]")
    press(browser, Keys.TAB)
    assert browser.find(".consent").find_elements("css selector", ":focus"), "focus left the open dialog"
    tab_to(browser, "[data-action=custom]")
    press(browser, Keys.ENTER)
    assert browser.banner() is None
    recorded = state(server, browser.wait_for_receipt()["subject"])
    assert recorded["method"] == "custom" and recorded["event"] == "given"
    assert recorded["granted"] == ["necessary", "analytics"] and recorded["denied"] == ["marketing"]

    # Later, from the footer: open the settings with the keyboard, change the choice, and
    # focus comes back to the button that opened them.
    tab_to(browser, "[data-consent-open]", limit=80)
    opener = browser.active()
    press(browser, Keys.ENTER)
    browser.wait_for_banner()
    tab_to(browser, "[data-action=choose]")
    press(browser, Keys.ENTER)
    assert browser.find("#consent-analytics").is_selected(), "the dialog shows the stored choice"
    press(browser, Keys.SPACE)
    tab_to(browser, "[data-action=custom]")
    press(browser, Keys.ENTER)
    assert browser.banner() is None
    assert browser.active() == opener
    wait_until(lambda: state(server, browser.cookie_state()["subject"])["denied"] == ["analytics", "marketing"],
               message="the changed choice was not recorded")


def test_global_privacy_control_denies_marketing_without_asking(server, browsers):
    browser = browsers(gpc=True)
    browser.open("/privacy/")
    browser.consent_ready()
    cookie = browser.wait_for_receipt()
    assert browser.banner() is None, "GPC is an answer: no banner"
    recorded = state(server, cookie["subject"])
    assert recorded["method"] == "gpc"
    assert "marketing" in recorded["denied"] and "marketing" not in recorded["granted"]
    assert recorded["gpc"] == {"sent": True, "honoured": True}

    # The settings still open; marketing is locked off and says why.
    browser.find("[data-consent-open]").click()
    browser.wait_for_banner()
    browser.find("[data-action=choose]").click()
    marketing = browser.find("#consent-marketing")
    assert not marketing.is_selected() and marketing.get_attribute("disabled") is not None
    assert "Global Privacy Control" in browser.find("#consent-marketing-description").text


def test_a_material_version_asks_again_and_an_editorial_one_does_not(server, browsers, run, workdir):
    browser = browsers()
    browser.open("/privacy/")
    browser.wait_for_banner().find_element("css selector", "[data-action=accept-all]").click()
    subject = browser.wait_for_receipt()["subject"]

    # The upcoming privacy version (material) takes effect: rebuild for a later day.
    assert run("build", "--now", "2027-03-02").returncode == 0
    wait_until(lambda: state(server, subject)["reconsentRequired"], message="the server did not reload the manifest")
    browser.open("/terms/")
    banner = browser.wait_for_banner()
    change = banner.find_element("css selector", ".consent-change")
    assert "Privacy Policy changed on 1 March 2027" in change.text
    changes_url = change.find_element("css selector", "a").get_attribute("href")
    assert changes_url.endswith("/privacy/changes/2027-03-01/")
    banner.find_element("css selector", "[data-action=accept-all]").click()
    wait_until(lambda: state(server, subject)["reconsentRequired"] is False, message="the new consent was not recorded")
    assert request("GET", changes_url)[0] == 200, "the change notice the banner links to exists"

    # An editorial version later on: readers are not asked again.
    current = (workdir / "content/policies/privacy/2027-03-01.md").read_text()
    editorial = current.replace("material: true", "material: false").replace("effective: 2027-03-01", "effective: 2027-06-01")
    editorial = editorial.replace("published: 2026-11-16", "published: 2027-05-01").replace(" runs an API ", " operates an API ", 1)
    assert editorial != current
    (workdir / "content/policies/privacy/2027-06-01.md").write_text(editorial)
    result = run("build", "--now", "2027-06-02")
    assert result.returncode == 0, result.stderr
    wait_until(lambda: reloads(server) >= 2, message="the server did not reload the manifest")
    browser.open("/privacy/")
    browser.consent_ready()
    assert "operates an API" in browser.find("main").text, "the editorial version is the one in force"
    assert browser.banner() is None
    assert state(server, subject)["reconsentRequired"] is False
