"""The API reference's "Try it" console end to end: with `docs.tryIt` in site.yaml, Chromium on the
page served by `redline serve` sends an operation, prefilled from the OpenAPI examples, to a local
API server (which allows the site's origin by CORS) and shows its answer; the token typed in goes
in that request only and is stored nowhere; the Content-Security-Policy lets the page connect to
exactly the configured origin. Without the setting there is no console and no extra origin."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from browser import Browser
from helpers import request

TOKEN = "pb_test_console_secret"
PATIENCE = 300  # a safety net for a busy machine, never what decides the result


class API:
    """A stand-in for the operator's API: answers 201 with a JSON body, allows `origin` by CORS
    (preflight included), and keeps every request that is not a preflight."""

    def __init__(self):
        self.received: list[dict] = []
        self.origin = ""
        api = self

        class Handler(BaseHTTPRequestHandler):
            def _cors(self):
                self.send_header("Access-Control-Allow-Origin", api.origin)
                self.send_header("Access-Control-Allow-Headers", "Authorization, Content-Type")
                self.send_header("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE")

            def do_OPTIONS(self):
                self.send_response(204)
                self._cors()
                self.end_headers()

            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                api.received.append({"method": self.command, "path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                                     "body": self.rfile.read(length) if length else b""})
                payload = json.dumps({"id": "shp_e2e", "status": "created"}).encode()
                self.send_response(201)
                self._cors()
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def api():
    server = API()
    yield server
    server.stop()


def build(run, workdir: Path, settings: str = "") -> None:
    if settings:
        with (workdir / "content/site.yaml").open("a") as site:
            site.write(settings)
    result = run("build", "--now", "2026-11-21")
    assert result.returncode == 0, result.stderr


def test_the_console_sends_the_example_request_with_the_token_and_shows_the_answer(run, workdir, serve, api, tmp_path):
    build(run, workdir, f"docs:\n  tryIt: true\n  tryItServers: [{api.url}/v2]\n")
    server = serve()
    api.origin = server.base
    status, headers, _ = request("GET", server.base + "/docs/v2/reference/shipments/")
    assert status == 200
    assert f"connect-src 'self' {api.url};" in headers["Content-Security-Policy"], "exactly the configured origin"

    browser = Browser(server.base)
    try:
        browser.open("/docs/v2/reference/shipments/")
        # The reader answers the cookie banner first, as anyone would; it keeps the page inert until then.
        browser.wait(browser.banner, PATIENCE, "the banner").find_element(By.CSS_SELECTOR, "[data-action=reject-all]").click()
        operations = json.loads((workdir / "public/docs/v2/reference/shipments/try-it.json").read_text())["operations"]
        browser.wait(lambda: len(browser.find_all("details.try-it")) == len(operations) == 4, PATIENCE, "a console under each operation")
        panel = [p for p in browser.find_all("details.try-it") if "POST /shipments" in p.text][0]
        panel.find_element(By.CSS_SELECTOR, "summary").click()
        assert panel.find_element(By.CSS_SELECTOR, "select").get_attribute("value") == f"{api.url}/v2"
        body = json.loads(panel.find_element(By.CSS_SELECTOR, "textarea").get_attribute("value"))
        assert body["to"]["name"] == "Ada Lovelace", "prefilled from the OpenAPI example"
        panel.find_element(By.CSS_SELECTOR, "input[type=password]").send_keys(TOKEN)
        send = panel.find_element(By.CSS_SELECTOR, "button[type=submit]")
        browser.js("arguments[0].scrollIntoView({block: 'center'})", send)  # clear of the banner's passing status line
        send.click()
        answer = panel.find_element(By.CSS_SELECTOR, ".try-it-response")
        browser.wait(lambda: "201" in answer.text, PATIENCE, "the API's answer is shown")
        assert '"status": "created"' in answer.text
        browser.screenshot(tmp_path / "try-it.png")

        [sent] = api.received
        assert sent["method"] == "POST" and sent["path"] == "/v2/shipments"
        assert sent["headers"]["authorization"] == f"Bearer {TOKEN}"
        assert sent["headers"]["origin"] == server.base
        assert "cookie" not in sent["headers"], "the site's cookies stay on the site"
        assert json.loads(sent["body"]) == body
        # Typed into the page, kept by nothing: no storage, no cookie holds the token.
        stored = browser.js("return JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage), document.cookie])")
        assert TOKEN not in stored
        assert not browser.console_errors()
    finally:
        browser.driver.quit()


def test_without_the_setting_there_is_no_console_and_no_other_origin(run, workdir, serve):
    build(run, workdir)
    assert not (workdir / "public/docs/v2/reference/shipments/try-it.json").exists()
    assert "try-it.js" not in (workdir / "public/docs/v2/reference/shipments/index.html").read_text()
    server = serve()
    _, headers, _ = request("GET", server.base + "/docs/v2/reference/shipments/")
    assert "connect-src 'self';" in headers["Content-Security-Policy"]


def test_a_server_that_is_not_a_url_is_refused_by_the_build(run, workdir):
    with (workdir / "content/site.yaml").open("a") as site:
        site.write("docs:\n  tryIt: true\n  tryItServers: [sandbox.example.com]\n")
    result = run("build", "--now", "2026-11-21")
    assert result.returncode != 0
    assert "site.yaml:" in result.stderr and "tryItServers" in result.stderr and "sandbox.example.com" in result.stderr
