"""Banner impressions: `POST /api/v1/consent/impressions` counted by day, region, mode and banner
text, and nothing else; the stats API, `redline consent stats` and the admin page report
impressions against decisions, per region and per banner text. On SQLite and on PostgreSQL."""
import json
import sqlite3
import time
from pathlib import Path

import pytest

from browser import Browser
from helpers import request

IMPRESSIONS = "/api/v1/consent/impressions"
SHOTS = Path(__file__).resolve().parents[2] / "bench" / "out"


@pytest.fixture
def site(run, workdir):
    result = run("build", "--output", "public", "--now", "2026-11-21")
    assert result.returncode == 0, result.stderr
    return json.loads((workdir / "public" / "manifest.json").read_text())


def version(site) -> str:
    return site["consent"]["notice"]["version"]


def beacon(server, body, region: str | None = None, content_type: str | None = "text/plain;charset=UTF-8"):
    headers = {"X-Visitor-Region": region} if region else {}
    if content_type:
        headers["Content-Type"] = content_type
    return request("POST", server.base + IMPRESSIONS, body if isinstance(body, str) else json.dumps(body), headers)


def decide(server, site, subject: str, method: str, region: str | None = None):
    policies = [{"id": doc["id"], "version": next(v["effective"] for v in doc["versions"] if v["status"] == "current")}
                for doc in site["documents"] if doc["id"] in ("privacy", "cookies")]
    granted, denied = (["analytics", "marketing"], []) if method == "accept-all" else ([], ["analytics", "marketing"])
    body = {"subject": subject, "granted": granted, "denied": denied, "method": method, "policies": policies,
            "notice": site["consent"]["notice"]}
    status, _, answer = request("POST", server.base + "/api/v1/consent", body, {"X-Visitor-Region": region} if region else {})
    assert status == 201, answer


def admin_stats(server, key: str) -> dict:
    status, _, stats = request("GET", server.base + "/api/v1/admin/consent/stats", headers={"Authorization": f"Bearer {key}"})
    assert status == 200, stats
    return stats


def by_region(stats: dict) -> dict:
    return {(r["region"], r["mode"]): r for r in stats["byRegion"]}


def count_and_refuse(server, site) -> None:
    """Six beacons a trusted proxy placed (DE x3, US-CA x2, none x1), and refusals that count nothing."""
    for region in ("DE", "DE", "de", "US-CA", "US-CA", None):
        status, headers, body = beacon(server, {"notice": version(site)}, region)
        assert status == 204, body
    assert beacon(server, {"notice": version(site)}, "FR", content_type=None)[0] == 204, "sendBeacon may send no type"
    assert beacon(server, {"notice": version(site)}, "FR", content_type="application/json")[0] == 204
    forged = beacon(server, {"notice": "0123456789abcdef"}, "FR")
    assert forged[0] == 422 and forged[2]["error"]["details"][0]["field"] == "notice", forged
    oversized = beacon(server, {"notice": version(site), "pad": "x" * 600}, "FR")
    assert oversized[0] == 413 and oversized[2]["error"]["code"] == "body_too_large", oversized
    assert beacon(server, '{"notice": ', "FR")[0] == 400
    assert beacon(server, {"notice": version(site), "subject": "someone"}, "FR")[0] == 422


def check_counts(stats: dict, site) -> None:
    regions = by_region(stats)
    assert regions[("DE", "opt-in")]["impressions"] == 3
    assert regions[("US-CA", "opt-out")]["impressions"] == 2
    assert regions[("FR", "opt-in")]["impressions"] == 2, "the forged, oversized and malformed beacons counted nothing"
    # No region from the proxy: counted as unknown, under the strictest mode configured.
    assert regions[("", "opt-in")]["impressions"] == 1
    assert stats["reach"]["impressions"] == 8
    germany = regions[("DE", "opt-in")]
    assert germany["decisions"] == 2 and germany["accepted"] == 1
    assert germany["interactionRate"] == pytest.approx(2 / 3) and germany["acceptanceRate"] == 0.5
    assert regions[("FR", "opt-in")]["decisions"] == 0 and regions[("FR", "opt-in")]["acceptanceRate"] is None
    notices = {n["notice"]: n for n in stats["byNotice"]}
    assert notices[version(site)]["impressions"] == 8 and notices[version(site)]["decisions"] == 3
    assert [d["impressions"] for d in stats["daily"]] == [8]
    for field in ("from", "to", "total", "byMethod", "byEvent", "byDay", "categories", "gpc"):
        assert field in stats, f"{field} is kept for the tools that read it"


def test_beacons_are_counted_by_trusted_region_and_refused_ones_count_nothing(site, serve, run, workdir):
    server = serve(REDLINE_TRUSTED_PROXIES="127.0.0.1")
    count_and_refuse(server, site)
    decide(server, site, "s-1", "accept-all", "DE")
    decide(server, site, "s-2", "reject-all", "DE")
    decide(server, site, "s-3", "accept-all", "US-CA")
    key = run("keys", "create", "--db", "data/redline.sqlite", "--name", "ops").stdout.strip()
    stats = admin_stats(server, key)
    check_counts(stats, site)
    assert by_region(stats)[("US-CA", "opt-out")]["interactionRate"] == 0.5

    # The same header from a peer that is not a trusted proxy is ignored: region unknown.
    server.stop()
    untrusted = serve()
    assert beacon(untrusted, {"notice": version(site)}, "US-CA")[0] == 204
    untrusted.stop()     # a graceful stop stores what is pending
    cli = run("consent", "stats", "--db", "data/redline.sqlite", "--json")
    assert cli.returncode == 0, cli.stderr
    from_cli = json.loads(cli.stdout)
    assert by_region(from_cli)[("", "opt-in")]["impressions"] == 2 and by_region(from_cli)[("US-CA", "opt-out")]["impressions"] == 2
    text = run("consent", "stats", "--db", "data/redline.sqlite")
    assert "Banner shown 9 times" in text.stdout and "region DE (opt-in): 3 shown, 2 decided (67 %)" in text.stdout, text.stdout

    # Only the key and the count are stored: no address, identifier or user agent.
    with sqlite3.connect(workdir / "data" / "redline.sqlite") as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(impression_count)")]
        rows = db.execute("SELECT * FROM impression_count").fetchall()
    assert columns == ["day", "region", "mode", "notice", "impressions"]
    assert not any("127.0.0.1" in str(row) for row in rows)


def test_impressions_on_postgres_sum_across_servers(site, serve, run, workdir, postgres):
    db = postgres.create_database("impressions")
    env = {"REDLINE_TRUSTED_PROXIES": "127.0.0.1", "REDLINE_RECEIPT_KEY": str(workdir / "keys" / "receipt-key")}
    first = serve(db, REDLINE_CHECKPOINT_LOG=str(workdir / "data" / "first.checkpoints"), **env)
    second = serve(db, REDLINE_CHECKPOINT_LOG=str(workdir / "data" / "second.checkpoints"), **env)
    count_and_refuse(first, site)
    decide(second, site, "s-1", "accept-all", "DE")
    decide(first, site, "s-2", "reject-all", "DE")
    decide(second, site, "s-3", "accept-all", "US-CA")
    for _ in range(4):
        assert beacon(second, {"notice": version(site)}, "BR")[0] == 204
    key = run("keys", "create", "--db", db, "--name", "ops").stdout.strip()
    stats = admin_stats(first, key)      # flushes the first server's counts; the second's within a second
    deadline = time.monotonic() + 30
    while by_region(stats).get(("BR", "notice"), {}).get("impressions") != 4 and time.monotonic() < deadline:
        time.sleep(0.5)
        stats = admin_stats(first, key)
    assert by_region(stats)[("BR", "notice")]["impressions"] == 4
    stats["byRegion"] = [r for r in stats["byRegion"] if r["region"] != "BR"]
    stats["reach"]["impressions"] -= 4
    stats["byNotice"][0]["impressions"] -= 4
    stats["daily"][0]["impressions"] -= 4
    check_counts(stats, site)
    cli = run("consent", "stats", "--db", db, "--json")
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout)["reach"]["impressions"] == 12


def test_the_admin_page_charts_the_stats_with_the_key(site, serve, run, workdir):
    server = serve(REDLINE_TRUSTED_PROXIES="127.0.0.1")
    count_and_refuse(server, site)
    decide(server, site, "s-1", "accept-all", "DE")
    decide(server, site, "s-2", "reject-all", "DE")
    decide(server, site, "s-3", "accept-all", "US-CA")
    key = run("keys", "create", "--db", "data/redline.sqlite", "--name", "ops").stdout.strip()
    status, headers, page = request("GET", server.base + "/admin/consent")
    assert status == 200 and key not in page and "<script src=" in page
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    browser = Browser(server.base)
    try:
        browser.open("/admin/consent")
        browser.find("#key").send_keys("wrong-key")
        browser.find("#stats-form button").click()
        browser.wait(lambda: "API key" in browser.find("#status").text, message="a wrong key is not reported")
        browser.find("#key").clear()
        browser.find("#key").send_keys(key)
        browser.find("#stats-form button").click()
        browser.wait(lambda: browser.find_all("#daily-chart svg rect.bar-impressions"), message="no chart was drawn")
        assert len(browser.find_all("#region-chart svg rect.bar-interaction")) == 4
        cells = [cell.get_attribute("textContent") for cell in browser.find_all("#region-table td, #region-table th")]
        assert "DE · opt-in" in cells and "67 %" in cells
        assert browser.find("#daily-chart svg").get_attribute("role") == "img"
        assert not [e for e in browser.console_errors() if "401" not in e["message"]], browser.console_errors()
        violations = browser.axe()
        assert not violations, violations
        browser.screenshot(SHOTS / "admin-consent-stats.png")
    finally:
        browser.quit()
