"""`redline preview`: drafts included, a rebuild on every save, the open page reloads, and a
broken edit is shown as path:line over the last good build."""
import http.client
import os
import queue
import subprocess
import threading
import time
from pathlib import Path

import pytest

import processes

from browser import Browser, wait_until
from conftest import free_port

DRAFT = """---
title: Privacy Policy
effective: 2027-06-01
material: false
draft: true
---

# Privacy Policy

## Information we collect

A draft sentence nobody has published.
"""


class Preview:
    def __init__(self, redline_bin: Path, workdir: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = workdir / "preview.log"
        self.process = processes.spawn([str(redline_bin), "preview", "--port", str(self.port), "--now", "2026-11-21"], cwd=workdir,
                                       env={**os.environ, "NO_COLOR": "1"}, stdout=self.log.open("w"), stderr=subprocess.STDOUT)
        wait_until(lambda: self.get("/")[0] == 200, timeout=300, message="preview did not start")

    def get(self, path: str) -> tuple[int, str]:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read().decode()
        except OSError:
            return 0, ""

    def events(self) -> "queue.Queue[tuple[str, str]]":
        """Server-sent events as (event, data), read on a thread."""
        found: "queue.Queue[tuple[str, str]]" = queue.Queue()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.request("GET", "/__redline/events")
        response = connection.getresponse()
        assert response.getheader("Content-Type") == "text/event-stream"

        def read():
            event, data = "", []
            try:
                for raw in response:
                    line = raw.decode().rstrip("\n")
                    if line.startswith("event: "):
                        event = line[7:]
                    elif line.startswith("data: "):
                        data.append(line[6:])
                    elif line == "" and event:
                        found.put((event, "\n".join(data)))
                        event, data = "", []
            except OSError:
                pass

        threading.Thread(target=read, daemon=True).start()
        return found

    def stop(self):
        processes.stop(self.process)


@pytest.fixture
def preview(redline_bin, workdir):
    (workdir / "content" / "policies" / "privacy" / "2027-06-01.md").write_text(DRAFT)
    started = Preview(redline_bin, workdir)
    yield started
    started.stop()


def test_drafts_are_previewed_every_save_rebuilds_and_a_broken_edit_keeps_the_last_good_build(preview, workdir):
    status, page = preview.get("/privacy/2027-06-01/")
    assert status == 200 and "A draft sentence nobody has published." in page and "notice-draft" in page
    assert '<script src="/__redline/preview.js"></script>' in page
    events = preview.events()

    policy = workdir / "content" / "policies" / "privacy" / "2026-06-01.md"
    original = policy.read_text()
    policy.write_text(original.replace("## Information we collect", "## Information we collect\n\nEdited in preview.", 1))
    assert events.get(timeout=300)[0] == "reload"
    assert "Edited in preview." in preview.get("/privacy/2026-06-01/")[1]

    broken = workdir / "content" / "policies" / "privacy" / "2027-07-01.md"
    broken.write_text("---\ntitle: Broken\n---\nText.\n")
    event, data = events.get(timeout=300)
    assert event == "problems"
    assert "content/policies/privacy/2027-07-01.md:1: error: missing required field 'effective'" in data
    assert "Edited in preview." in preview.get("/privacy/2026-06-01/")[1], "the last good build stays served"
    assert "content/policies/privacy/2027-07-01.md:1: error: missing required field 'effective'" in preview.log.read_text()

    broken.unlink()
    assert events.get(timeout=300)[0] == "reload"
    assert not list(workdir.glob("public")), "preview never writes public/"


def test_an_open_page_reloads_itself_and_shows_problems_over_the_page(preview, workdir):
    browser = Browser(preview.base)
    try:
        browser.open("/privacy/2026-06-01/")
        policy = workdir / "content" / "policies" / "privacy" / "2026-06-01.md"
        time.sleep(0.5)
        policy.write_text(policy.read_text().replace("## Information we collect", "## Information we collect\n\nSeen without pressing reload.", 1))
        wait_until(lambda: "Seen without pressing reload." in browser.driver.page_source, timeout=300, message="the page did not reload")
        (workdir / "content" / "policies" / "privacy" / "2027-07-01.md").write_text("---\ntitle: Broken\n---\nText.\n")
        overlay = wait_until(lambda: browser.driver.find_elements("id", "redline-preview-problems"), timeout=300,
                             message="no overlay")[0]
        assert "2027-07-01.md:1: error: missing required field 'effective'" in overlay.text
        assert overlay.get_attribute("role") == "alert"
    finally:
        browser.quit()


def test_the_preview_answers_only_requests_addressed_to_itself(preview):
    """A DNS-rebinding page (evil.example resolved to 127.0.0.1) sends its own name as Host; the
    drafts must not be readable by it."""
    def get(host: str) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=10)
        connection.putrequest("GET", "/privacy/2027-06-01/", skip_host=True)
        connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read().decode()
        connection.close()
        return response.status, body

    for own in (f"127.0.0.1:{preview.port}", f"localhost:{preview.port}", f"[::1]:{preview.port}"):
        assert get(own)[0] == 200, own
    for hostile in (f"evil.example:{preview.port}", "evil.example", "127.0.0.1", f"127.0.0.1:{preview.port + 1}"):
        status, body = get(hostile)
        assert status == 421, hostile
        assert "A draft sentence nobody has published." not in body


def test_the_preview_serves_a_pages_markdown_twin_as_the_server_does(preview):
    """An editor checks what assistants will read before publishing: `Accept: text/markdown` on a
    page's URL, and the twin's own URL, answer Markdown, with the page's front matter."""
    def get(path: str, accept: str | None) -> tuple[int, str, str]:
        connection = http.client.HTTPConnection("127.0.0.1", preview.port, timeout=60)
        connection.request("GET", path, headers={"Accept": accept} if accept else {})
        response = connection.getresponse()
        body = response.read().decode()
        connection.close()
        return response.status, response.getheader("Content-Type"), body

    status, kind, body = get("/privacy/", "text/markdown")
    assert status == 200 and kind == "text/markdown; charset=utf-8" and body.startswith("---\ntitle: ")
    assert get("/privacy/index.md", None)[1] == "text/markdown; charset=utf-8"
    status, kind, body = get("/privacy/", "text/html,*/*;q=0.8")
    assert kind.startswith("text/html") and "<html" in body
