"""Consent by the law where the visitor is, in a real Chromium against `redline serve`: the opt-in
banner in the EEA with Google Consent Mode defaults denied before any tag, no blocking banner in
California with Global Privacy Control applied as an opt-out and said in the `usnat` GPP string
(decoded by gpp_decode.py, written from IAB's specification apart from the banner's encoder), the
strictest mode for a visitor of unknown region, and the region header believed only from a
trusted proxy."""
import json

import pytest

import gpp_decode
from browser import browsers_for
from conftest import ROOT
from helpers import request
from test_consent_server import current_versions

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
NOW = "2026-11-21"
SEVEN = {"ad_storage", "ad_user_data", "ad_personalization", "analytics_storage",
         "functionality_storage", "personalization_storage", "security_storage"}

# A local stand-in for gtag.js: it records the dataLayer as it was when Google's tag loaded.
STAND_IN = "window.gtagStandIn = JSON.parse(JSON.stringify(window.dataLayer || []));\n"


@pytest.fixture
def site(run, serve, workdir):
    (workdir / "templates/assets/gtag-stand-in.js").write_text(STAND_IN)
    site_yaml = workdir / "content/site.yaml"
    text = site_yaml.read_text()
    assert "    mode: advanced\n" in text
    site_yaml.write_text(text.replace("    mode: advanced\n", "    mode: advanced\n    tag: G-TEST123\n    tagURL: /assets/gtag-stand-in.js\n", 1))
    result = run("build", "--now", NOW)
    assert result.returncode == 0, result.stderr
    # Loopback is the trusted proxy: the browser's X-Visitor-Region stands for the proxy's.
    return serve(REDLINE_TRUSTED_PROXIES="127.0.0.1, ::1")


@pytest.fixture
def browsers(site):
    yield from browsers_for(site.base)


def consent_commands(browser, kind):
    """The dataLayer's `gtag('consent', kind, …)` entries, in order."""
    return [entry["2"] for entry in browser.js("return JSON.parse(JSON.stringify(window.dataLayer))")
            if entry.get("0") == "consent" and entry.get("1") == kind]


def gpp_ping(browser):
    return browser.driver.execute_async_script(
        "const done = arguments[arguments.length - 1]; window.__gpp('ping', (data, ok) => done({data, ok}));")


def records(site, subject):
    status, _, export = request("GET", site.base + f"/api/v1/subjects/{subject}/records")
    assert status == 200, export
    return [record["evidence"] for record in export["records"]]


def test_an_eea_visitor_is_asked_and_google_tags_start_with_everything_denied(site, browsers):
    browser = browsers(region="DE")
    browser.open("/privacy/")
    browser.wait_for_banner()
    browser.wait(lambda: browser.js("return Array.isArray(window.gtagStandIn)"), message="the Google tag did not load (advanced mode)")

    # When Google's tag ran, the defaults were already there, before anything else.
    at_load = browser.js("return window.gtagStandIn")
    assert at_load[0]["0"] == "consent" and at_load[0]["1"] == "default"
    defaults = [entry["2"] for entry in at_load if entry.get("0") == "consent"]
    assert all(entry["1"] == "default" for entry in at_load if entry.get("0") == "consent")
    eea = next(d for d in defaults if "DE" in d.get("region", []))
    assert {"FR", "NO", "IS", "LI"} <= set(eea["region"]) and "US-CA" not in eea["region"]
    assert SEVEN <= set(eea) and eea["wait_for_update"] == 500
    assert {k for k in SEVEN if eea[k] == "granted"} == {"security_storage", "functionality_storage"}
    california = next(d for d in defaults if "US-CA" in d.get("region", []))
    assert california["ad_storage"] == "granted" and california["analytics_storage"] == "granted"
    assert defaults[-1].get("region") is None, "the default for everywhere else comes last"
    assert ["set", "ads_data_redaction", True] == [at_load[i][k] for i in [next(i for i, e in enumerate(at_load) if e.get("1") == "ads_data_redaction")] for k in "012"]
    first_tag = next(i for i, entry in enumerate(at_load) if entry.get("0") in ("js", "config"))
    assert all(entry.get("0") != "consent" or entry.get("1") == "default" for entry in at_load[:first_tag])
    browser.screenshot(SCREENSHOTS / "region-eea-banner.png")

    browser.find("[data-action=accept-all]").click()
    browser.wait_for_receipt()
    assert all(consent_commands(browser, "update")[-1][signal] == "granted" for signal in SEVEN)
    subject = browser.cookie_state()["subject"]
    evidence = records(site, subject)[-1]
    assert evidence["jurisdiction"] == {"region": "DE", "mode": "opt-in"}
    assert "gpp" not in evidence, "usnat applies to US visitors only"

    # Withdrawing: the update says denied again, and the record says where.
    browser.find("[data-consent-open]").click()
    browser.find("[data-action=reject-all]").click()
    browser.wait(lambda: len(records(site, subject)) == 2, message="the withdrawal was not recorded")
    update = consent_commands(browser, "update")[-1]
    assert {k for k in SEVEN if update[k] == "granted"} == {"security_storage", "functionality_storage"}

    # A returning visitor's stored choice is an update at once: Google's tag finds it when it loads.
    browser.open("/terms/")
    browser.wait(lambda: browser.js("return Array.isArray(window.gtagStandIn)"), message="the Google tag did not load")
    at_load = browser.js("return window.gtagStandIn")
    first_update = next(entry["2"] for entry in at_load if entry.get("1") == "update")
    assert [e.get("1") for e in at_load].index("update") < [e.get("0") for e in at_load].index("js"), "before Google's tag starts"
    assert first_update["analytics_storage"] == "denied" and first_update["security_storage"] == "granted"
    browser.consent_ready()
    assert browser.banner() is None


def test_a_california_visitor_with_gpc_is_opted_out_without_a_banner(site, browsers):
    browser = browsers(region="US-CA", gpc=True)
    browser.open("/privacy/")
    state = browser.wait_for_receipt()
    assert browser.banner() is None, "an opt-out law has no blocking banner"
    status = browser.find("#consent-status").text
    assert "Global Privacy Control" in status and "opted you out" in status
    link = browser.find(".site-footer .consent-links a")
    assert link.text == "Your Privacy Choices" and link.get_attribute("href").endswith("/privacy-choices/")
    browser.screenshot(SCREENSHOTS / "region-california-gpc.png")

    ping = gpp_ping(browser)
    assert ping["ok"] and ping["data"]["applicableSections"] == [7] and ping["data"]["signalStatus"] == "ready"
    decoded = gpp_decode.decode(ping["data"]["gppString"])
    usnat = decoded["usnat"]
    assert decoded["sections"] == [7] and usnat["Version"] == 2
    assert (usnat["SaleOptOut"], usnat["SharingOptOut"], usnat["TargetedAdvertisingOptOut"]) == (1, 1, 1)
    assert usnat["SaleOptOutNotice"] == 1 and usnat["Gpc"] is True

    evidence = records(site, state["subject"])[-1]
    assert evidence["jurisdiction"] == {"region": "US-CA", "mode": "opt-out"} and evidence["method"] == "gpc"
    assert evidence["denied"] == ["marketing"] and "analytics" in evidence["granted"]
    assert gpp_decode.decode(evidence["gpp"])["usnat"]["SaleOptOut"] == 1
    update = consent_commands(browser, "update")[-1]
    assert update["ad_storage"] == "denied" and update["analytics_storage"] == "granted"

    browser.open("/privacy-choices/")
    browser.wait(lambda: browser.find_all("[data-privacy-choices] input"), message="the choices form did not appear")
    assert "Global Privacy Control" in browser.find(".consent-gpc-honoured").text
    assert browser.find("#choice-marketing").get_attribute("disabled") is not None
    assert browser.find("#choice-analytics").is_selected()
    browser.screenshot(SCREENSHOTS / "privacy-choices-gpc.png")
    assert browser.axe() == [], "Your Privacy Choices meets WCAG 2.2 AA"


def test_a_california_visitor_opts_out_on_your_privacy_choices(site, browsers):
    browser = browsers(region="US-CA")
    browser.open("/privacy-choices/")
    browser.wait(lambda: browser.find_all("[data-privacy-choices] input"), message="the choices form did not appear")
    assert browser.banner() is None and browser.cookie_state() is None, "nothing is asked or recorded before a choice"
    assert browser.find("#choice-marketing").is_selected(), "under an opt-out law optional categories are on until the person opts out"
    before = gpp_decode.decode(gpp_ping(browser)["data"]["gppString"])["usnat"]
    assert before["SaleOptOut"] == 2 and before["Gpc"] is False

    events = browser.js("window.gppEvents = []; window.__gpp('addEventListener', (e) => window.gppEvents.push(e.eventName)); return true;")
    assert events
    button = browser.find("[data-privacy-choices] [data-action=reject-all]")
    assert button.text == "Opt out of sale, sharing and targeted advertising"
    button.click()
    state = browser.wait_for_receipt()
    after = gpp_decode.decode(gpp_ping(browser)["data"]["gppString"])["usnat"]
    assert (after["SaleOptOut"], after["SharingOptOut"], after["TargetedAdvertisingOptOut"]) == (1, 1, 1)
    assert "sectionChange" in browser.js("return window.gppEvents")
    evidence = records(site, state["subject"])[-1]
    assert evidence["jurisdiction"] == {"region": "US-CA", "mode": "opt-out"} and evidence["method"] == "reject-all"
    assert evidence["gpp"] == gpp_ping(browser)["data"]["gppString"]


def test_a_visitor_of_unknown_region_gets_the_strictest_mode(site, browsers):
    browser = browsers()
    browser.open("/privacy/")
    browser.wait_for_banner()
    assert gpp_ping(browser)["data"]["applicableSections"] == [-1]
    browser.find("[data-action=reject-all]").click()
    evidence = records(site, browser.wait_for_receipt()["subject"])[-1]
    assert evidence["jurisdiction"] == {"mode": "opt-in"}


def test_a_visitor_where_only_notice_applies_is_informed_once(site, browsers):
    browser = browsers(region="JP")
    browser.open("/privacy/")
    browser.wait(lambda: browser.find_all("#consent-status"), message="no notice was shown")
    assert browser.banner() is None
    assert "cookie policy" in browser.find("#consent-status").text
    assert browser.cookie_state()["method"] == "notice"
    browser.open("/terms/")
    browser.consent_ready()
    assert browser.find_all("#consent-status") == [], "the notice is shown once"
    assert request("GET", site.base + f"/api/v1/subjects/{browser.cookie_state()['subject']}/records")[0] == 404, "nothing was decided"


def test_the_region_header_is_believed_only_from_a_trusted_proxy(site, serve):
    untrusted = serve()
    for header, expected in [("US-CA", {"region": "US-CA", "mode": "opt-out"}), ("de", {"region": "DE", "mode": "opt-in"}),
                             ("BR", {"region": "BR", "mode": "notice"}), ("ZZ", {"mode": "opt-in"}), ("US-CA, DE", {"mode": "opt-in"})]:
        status, headers, body = request("GET", site.base + "/api/v1/consent/region", headers={"X-Visitor-Region": header})
        assert status == 200 and body == expected, header
        assert headers["Cache-Control"] == "no-store"
    status, _, body = request("GET", untrusted.base + "/api/v1/consent/region", headers={"X-Visitor-Region": "US-CA"})
    assert status == 200 and body == {"mode": "opt-in"}, "an untrusted peer's region is ignored: the strictest mode applies"


def test_a_gpp_string_that_is_not_one_is_refused(site):
    manifest = json.loads((site.workdir / "public/manifest.json").read_text())
    body = {"subject": "gpp-check", "granted": [], "denied": [], "method": "reject-all",
            "policies": current_versions(manifest), "notice": manifest["consent"]["notice"]}
    for bad in ["not a gpp string", "AAAA~BVVq", "x" * 3000]:
        status, _, answer = request("POST", site.base + "/api/v1/consent", {**body, "gpp": bad})
        assert status in (400, 422) and any(p["field"] == "gpp" for p in answer["error"]["details"]), bad
    assert request("GET", site.base + "/api/v1/subjects/gpp-check/records")[0] == 404
    assert request("POST", site.base + "/api/v1/consent", {**body, "gpp": "DBABLA~CVQqAAAAAACA.QA"})[0] == 201


def test_check_reports_every_region_and_signal_mistake_at_once(run, workdir):
    site_yaml = workdir / "content/site.yaml"
    text = site_yaml.read_text()
    text = text.replace("    GB: opt-in\n", "    GB: opt-inn\n    XX: opt-in\n    us-ny: opt-out\n", 1)
    text = text.replace("      ad_storage: [marketing]\n", "      ad_storage: [marketing, profiling]\n      ads_storage: [marketing]\n", 1)
    site_yaml.write_text(text)
    result = run("check")
    assert result.returncode != 0
    lines = {line.split(": error: ")[1]: line for line in result.stderr.splitlines() if ": error: " in line}
    wanted = ["'opt-inn' is not a mode (did you mean 'opt-in'?)", "'XX' is not a region", "'us-ny' is not a region code: write it in capitals, 'US-NY'",
              "'ad_storage' names category 'profiling'", "'ads_storage' is not a signal Google defines (did you mean 'ad_storage'?)"]
    for message in wanted:
        found = [line for text, line in lines.items() if text.startswith(message)]
        assert found, f"{message!r} not in {result.stderr}"
        path, line = found[0].split(":")[:2]
        assert path.endswith("site.yaml") and int(line) > 1


def test_after_a_material_change_opt_out_informs_where_opt_in_asks(site, browsers, run):
    from browser import wait_until
    california = browsers(region="US-CA")
    california.open("/privacy-choices/")
    california.wait(lambda: california.find_all("[data-privacy-choices] [data-action=custom]"), message="no choices form")
    california.find("[data-privacy-choices] [data-action=custom]").click()
    subject = california.wait_for_receipt()["subject"]
    germany = browsers(region="DE")
    germany.open("/privacy/")
    germany.wait_for_banner().find_element("css selector", "[data-action=accept-all]").click()
    german = germany.wait_for_receipt()["subject"]

    # The upcoming privacy version (material) takes effect.
    assert run("build", "--now", "2027-03-02").returncode == 0
    state = lambda who: request("GET", site.base + f"/api/v1/consent/{who}")[2]  # noqa: E731
    wait_until(lambda: state(subject)["followUp"] == "inform", timeout=120, message="the server did not reload the manifest")
    assert state(subject)["reconsentRequired"] is False and state(subject)["jurisdiction"]["mode"] == "opt-out"
    assert state(german)["followUp"] == "ask" and state(german)["reconsentRequired"] is True

    california.open("/terms/")
    california.wait(lambda: california.find_all("#consent-status"), message="the change was not told")
    assert california.banner() is None, "an opt-out law is informed, not asked"
    status = california.find("#consent-status")
    assert "Privacy Policy changed on 1 March 2027" in status.text
    assert status.find_element("css selector", "a").get_attribute("href").endswith("/privacy/changes/2027-03-01/")
    assert california.cookie_state()["versions"]["privacy"] == "2027-03-01"
    california.open("/cookies/")
    california.consent_ready()
    assert california.find_all("#consent-status") == [], "told once"

    germany.open("/terms/")
    assert "Privacy Policy changed on 1 March 2027" in germany.wait_for_banner().text


def test_basic_mode_holds_googles_tag_back_until_a_category_it_needs_is_granted(run, serve, workdir):
    from browser import Browser
    (workdir / "templates/assets/gtag-stand-in.js").write_text(STAND_IN)
    site_yaml = workdir / "content/site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace(
        "    mode: advanced\n", "    mode: basic\n    tag: G-TEST123\n    tagURL: /assets/gtag-stand-in.js\n", 1))
    assert run("build", "--now", NOW).returncode == 0
    server = serve(REDLINE_TRUSTED_PROXIES="127.0.0.1, ::1")
    browser = Browser(server.base, region="DE")
    try:
        browser.open("/privacy/")
        browser.wait_for_banner()
        assert browser.js("return window.gtagStandIn === undefined && !document.querySelector('script[src*=gtag-stand-in]')")
        assert consent_commands(browser, "default"), "the defaults are set in basic mode too"
        browser.find("[data-action=choose]").click()
        browser.find("#consent-marketing").click()
        browser.find("[data-action=custom]").click()
        browser.wait(lambda: browser.js("return Array.isArray(window.gtagStandIn)"), message="the tag did not load once ad_storage was granted")
        at_load = browser.js("return window.gtagStandIn")
        update = [entry["2"] for entry in at_load if entry.get("1") == "update"][-1]
        assert update["ad_storage"] == "granted" and update["analytics_storage"] == "denied", "the tag loads after the update that allows it"
    finally:
        browser.quit()
