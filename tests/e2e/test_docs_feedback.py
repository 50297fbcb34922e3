"""Docs feedback ("Was this page helpful?") end to end, as readers and the operator meet it: two
Chromium sessions answer on a docs page served by `redline serve` (a No with a comment, a Yes
without), the operator reads the answers on the admin page, as JSON and as CSV; the API refuses
what is not feedback, and its per-client rate limit stops a flood. Nothing about a reader (address,
user agent) reaches the database or the log, and a comment is only ever shown as text."""
import csv
import io
import http.client
import itertools
import json
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from browser import WCAG_TAGS, Browser, axe_source, browsers_for
from helpers import request

PAGE = "/docs/v2/webhooks/"
ENDPOINT = "/api/v1/feedback"
READER = "198.51.100.23"    # the Chromium readers' address, as the trusted proxy reports it
COMMENT = "The retry schedule is not explained. <img src=x onerror=alert(1)>"
PATIENCE = 300              # a safety net for a busy machine, never what decides a result
SHOTS = Path(__file__).resolve().parents[2] / "bench" / "out"
ADDRESSES = (f"203.0.113.{n}" for n in itertools.count(1))   # scripted clients, one address each


@pytest.fixture
def site(run, workdir):
    # A draft docs page, built with --drafts, to show that drafts do not ask.
    (workdir / "content/docs/v2/retries.md").write_text("---\ntitle: Retries\ndraft: true\n---\n\nSoon.\n")
    result = run("build", "--drafts", "--now", "2026-11-21")
    assert result.returncode == 0, result.stderr
    return workdir


@pytest.fixture
def browsers(site, serve):
    # The trusted proxy (loopback) tells the server each client's address, so an address can be
    # looked for in what the server keeps, and clients can be told apart by the rate limit.
    server = serve(REDLINE_TRUSTED_PROXIES="127.0.0.1", REDLINE_LOG_LEVEL="trace")
    for opener in browsers_for(server.base):
        yield server, opener


def post(server, body, client: str | None = None, **dumps):
    text = body if isinstance(body, str) else json.dumps(body, **dumps)
    return request("POST", server.base + ENDPOINT, text, {"X-Forwarded-For": client or next(ADDRESSES)})


def admin(server, path: str, key: str | None):
    return request("GET", server.base + path, headers={"Authorization": f"Bearer {key}"} if key else {})


def axe_inside(browser: Browser, selector: str) -> list:
    """axe-core's violations among the elements inside `selector` only (the rest of the page is
    other tests' business)."""
    if not browser.js("return typeof window.axe === 'object'"):
        browser.js(axe_source())
    return browser.driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(arguments[1], {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
        ".then(r => done(r.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))))"
        ".catch(e => done([{id: 'axe-error', help: String(e)}]));", WCAG_TAGS, selector)


def answer(browser: Browser, helpful: bool, comment: str = "", shot: str = "") -> None:
    """A reader on PAGE: answers the cookie banner (it keeps the page inert until then), then Yes
    or No, perhaps a comment, and Send, pressed twice as an impatient reader would."""
    browser.driver.execute_cdp_cmd("Network.enable", {})
    browser.driver.execute_cdp_cmd("Network.setExtraHTTPHeaders", {"headers": {"X-Forwarded-For": READER}})
    browser.open(PAGE)
    browser.wait(browser.banner, PATIENCE, "the banner").find_element(By.CSS_SELECTOR, "[data-action=reject-all]").click()
    form = browser.find("form.page-feedback")
    browser.wait(form.is_displayed, PATIENCE, "feedback.js shows the form")
    assert form.find_element(By.CSS_SELECTOR, "legend").text == "Was this page helpful?"
    more = form.find_element(By.CSS_SELECTOR, ".page-feedback-more")
    assert not more.is_displayed(), "the comment box waits for an answer"
    choice = form.find_element(By.CSS_SELECTOR, f"button[data-helpful={str(helpful).lower()}]")
    other = form.find_element(By.CSS_SELECTOR, f"button[data-helpful={str(not helpful).lower()}]")
    browser.js("arguments[0].scrollIntoView({block: 'center'})", choice)  # clear of the banner's passing status line
    choice.click()
    assert (choice.get_attribute("aria-pressed"), other.get_attribute("aria-pressed")) == ("true", "false")
    browser.wait(more.is_displayed, PATIENCE, "the comment box opens")
    textarea = form.find_element(By.CSS_SELECTOR, "textarea")
    assert browser.active() == textarea, "focus moves to the comment box"
    if comment:
        textarea.send_keys(comment)
        violations = axe_inside(browser, "form.page-feedback")
        assert not violations, violations
    send = more.find_element(By.CSS_SELECTOR, "button[type=submit]")
    browser.js("arguments[0].scrollIntoView({block: 'center'})", send)
    ActionChains(browser.driver).double_click(send).perform()
    status = form.find_element(By.CSS_SELECTOR, ".page-feedback-status[role=status]")
    browser.wait(lambda: status.text.startswith("Thank you"), PATIENCE, "the thanks")
    assert browser.js("return arguments[0].querySelector('fieldset').disabled", form), "answered once"
    assert not more.is_displayed()
    assert not axe_inside(browser, "form.page-feedback")
    assert not browser.console_errors(), browser.console_errors()
    if shot:
        browser.js("arguments[0].scrollIntoView({block: 'center'})", form)
        browser.screenshot(SHOTS / shot)


def test_readers_answer_and_the_operator_reads_the_answers_as_text(browsers, run, workdir):
    server, opener = browsers
    before = datetime.now(timezone.utc).date().isoformat()
    answer(opener(), helpful=False, comment=COMMENT, shot="docs-feedback-answered.png")
    answer(opener(), helpful=True)
    days = {before, datetime.now(timezone.utc).date().isoformat()}
    key = run("keys", "create", "--db", "data/redline.sqlite", "--name", "e2e").stdout.strip()

    # The JSON: one Yes and one No (the double click sent each answer once), the comment verbatim.
    status, _, summary = admin(server, "/api/v1/admin/feedback", key)
    assert status == 200, summary
    assert summary["pages"] == [{"page": PAGE, "version": "v2", "helpful": 1, "notHelpful": 1}]
    [kept] = summary["comments"]
    assert kept.pop("day") in days
    assert kept == {"page": PAGE, "version": "v2", "helpful": False, "comment": COMMENT}

    # The CSVs a spreadsheet opens.
    status, headers, counts = admin(server, "/api/v1/admin/feedback.csv", key)
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert list(csv.reader(io.StringIO(counts))) == [["page", "version", "helpful", "not_helpful"], [PAGE, "v2", "1", "1"]]
    status, headers, comments = admin(server, "/api/v1/admin/feedback/comments.csv", key)
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(comments)))
    assert rows[0] == ["page", "version", "helpful", "comment", "day"] and rows[1][:4] == [PAGE, "v2", "no", COMMENT]

    # The admin page: the comment's markup is shown as its characters and makes no element.
    operator = opener()
    operator.open("/admin/consent")
    operator.find("#key").send_keys(key)
    operator.find("#stats-form button").click()
    operator.wait(lambda: operator.find_all("#feedback-comments td"), PATIENCE, "the feedback tables")

    def cells(css: str) -> list[str]:
        return [cell.get_attribute("textContent") for cell in operator.find_all(css)]

    assert cells("#feedback-table tbody th, #feedback-table tbody td") == [PAGE, "v2", "1", "1"]
    page, day, *rest = cells("#feedback-comments tbody th, #feedback-comments tbody td")
    assert (page, day in days, rest) == (PAGE, True, ["not helpful", COMMENT])
    assert not operator.find_all("#feedback-comments img, #feedback-table img")
    assert not axe_inside(operator, "section[aria-labelledby=feedback-title]")
    operator.screenshot(SHOTS / "admin-docs-feedback.png")

    # Stored: the page, its version, the counts, the words and the day; nothing about a reader.
    with sqlite3.connect(workdir / "data/redline.sqlite") as db:
        assert [r[1] for r in db.execute("PRAGMA table_info(feedback_count)")] == ["page", "version", "helpful", "not_helpful"]
        assert [r[1] for r in db.execute("PRAGMA table_info(feedback_comment)")] == ["id", "page", "version", "helpful", "comment", "day"]
        assert db.execute("SELECT * FROM feedback_count").fetchall() == [(PAGE, "v2", 1, 1)]
        assert [row[1:5] for row in db.execute("SELECT * FROM feedback_comment")] == [(PAGE, "v2", 0, COMMENT)]
    server.stop()
    for kept_file in [server.log, *sorted((workdir / "data").glob("redline.sqlite*"))]:
        data = kept_file.read_bytes()
        assert READER.encode() not in data and b"HeadlessChrome" not in data, kept_file
    assert "retry schedule" not in server.log.read_text(), "the log holds no comment"


def test_only_published_docs_pages_ask(site, serve):
    server = serve()
    status, headers, html = request("GET", server.base + PAGE)
    assert status == 200
    assert f'<form class="page-feedback" data-endpoint="{ENDPOINT}" data-page="{PAGE}" hidden>' in html, \
        "hidden until feedback.js runs: without JavaScript nothing is offered"
    assert '<textarea id="page-feedback-comment" maxlength="1000"' in html and "/assets/feedback.js" in html
    assert "connect-src 'self'" in headers["Content-Security-Policy"]
    for path in ("/privacy/", "/terms/", "/cookies/", "/docs/v2/retries/"):
        status, _, html = request("GET", server.base + path)
        assert status == 200 and "page-feedback" not in html, path
    assert "DRAFT" in request("GET", server.base + "/docs/v2/retries/")[2]
    for page in ("/privacy/", "/docs/v2/retries/", "/docs/v9/webhooks/"):
        status, _, body = post(server, {"page": page, "helpful": True})
        assert status == 422 and body["error"]["details"][0]["field"] == "page", (page, body)


def test_the_api_counts_feedback_refuses_the_rest_and_limits_a_flood(site, serve, run):
    # One request a minute after a burst of two: each scripted client below has its own
    # address (ADDRESSES), so only the flood meets the limit.
    server = serve(REDLINE_TRUSTED_PROXIES="127.0.0.1", REDLINE_RATE_LIMIT="1", REDLINE_RATE_BURST="2")
    key = run("keys", "create", "--db", "data/redline.sqlite", "--name", "e2e").stdout.strip()
    status, headers, _ = post(server, {"page": PAGE, "helpful": True})
    assert status == 204 and "Set-Cookie" not in headers
    for body, field in [({"page": PAGE, "helpful": "yes"}, "helpful"), ({"page": PAGE}, "helpful"),
                        ({"page": PAGE, "helpful": True, "comment": 5}, "comment"),
                        ({"page": 7, "helpful": True}, "page"),
                        ({"page": PAGE, "helpful": True, "email": "reader@example.com"}, "email"),
                        ({"page": PAGE, "helpful": False, "comment": "x" * 1001}, "comment")]:
        status, _, reply = post(server, body)
        assert status == 422 and [d["field"] for d in reply["error"]["details"]] == [field], (body, reply)
    # A comment of 10 MB: refused on its Content-Length, before the server reads it (so the client
    # sends the head only, as a client expecting 100-continue would, and reads the answer).
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
    connection.putrequest("POST", ENDPOINT)
    for name, value in (("Content-Type", "application/json"), ("Content-Length", str(10 * 2**20)), ("X-Forwarded-For", next(ADDRESSES))):
        connection.putheader(name, value)
    connection.endheaders()
    answer = connection.getresponse()
    assert answer.status == 413 and json.loads(answer.read())["error"]["code"] == "body_too_large", "a comment of 10 MB"
    connection.close()
    status, _, reply = request("POST", server.base + ENDPOINT, json.dumps({"page": PAGE, "helpful": True}), {"Content-Type": "text/plain"})
    assert status == 415, "JSON only, as the consent API"
    # 1,000 characters are allowed however many bytes they take, raw or escaped as JSON encoders write them.
    assert post(server, {"page": PAGE, "helpful": False, "comment": "é" * 1000})[0] == 204
    assert post(server, {"page": PAGE, "helpful": False, "comment": "🙂" * 1000}, ensure_ascii=False)[0] == 204
    assert post(server, {"page": PAGE, "helpful": False, "comment": "👨‍👩‍👧‍👦" * 1000})[0] == 204
    # A cell that starts like a formula is defused in the CSV; the newest comment comes first.
    for comment in ("=HYPERLINK(\"http://evil.example\")", "+1", "-1", "@SUM(A1)"):
        assert post(server, {"page": "/docs/v1/errors/", "helpful": True, "comment": comment})[0] == 204
    _, _, summary = admin(server, "/api/v1/admin/feedback", key)
    assert [c["comment"] for c in summary["comments"]][:4] == ["@SUM(A1)", "-1", "+1", "=HYPERLINK(\"http://evil.example\")"]
    assert {(p["page"], p["version"]): (p["helpful"], p["notHelpful"]) for p in summary["pages"]} == \
        {(PAGE, "v2"): (1, 3), ("/docs/v1/errors/", "v1"): (4, 0)}
    rows = list(csv.reader(io.StringIO(admin(server, "/api/v1/admin/feedback/comments.csv", key)[2])))
    assert [row[3] for row in rows[1:5]] == ["'@SUM(A1)", "'-1", "'+1", "'=HYPERLINK(\"http://evil.example\")"]
    for path in ("/api/v1/admin/feedback", "/api/v1/admin/feedback.csv", "/api/v1/admin/feedback/comments.csv"):
        assert admin(server, path, None)[0] == 401, path

    # A flood from one client is answered 429 with Retry-After at the latest once its burst is
    # spent; what was refused counted nothing; another client is not held back by it.
    accepted = 0
    for _ in range(200):
        status, headers, body = post(server, {"page": PAGE, "helpful": True}, client="192.0.2.66")
        if status != 204:
            break
        accepted += 1
    assert status == 429 and body["error"]["code"] == "rate_limited" and int(headers["Retry-After"]) >= 1, body
    assert 2 <= accepted < 200
    assert post(server, {"page": PAGE, "helpful": True})[0] == 204
    _, _, summary = admin(server, "/api/v1/admin/feedback", key)
    assert {p["page"]: p["helpful"] for p in summary["pages"]}[PAGE] == 1 + accepted + 1
