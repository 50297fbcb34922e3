"""Files: the build reads only inside the folders it is given and replaces only what it made;
the server answers only with files of the site, and a rebuild never shows a reader a hole."""
import email
import email.policy
import http.client
import json
import os
import subprocess
import threading
import time
from pathlib import Path

import pytest

from helpers import approve_campaign, request


@pytest.fixture
def site(run, workdir):
    result = run("build", "--now", "2026-11-21")
    assert result.returncode == 0, result.stderr
    return workdir / "public"


def raw_get(base: str, path: str, method: str = "GET") -> tuple[int, dict, bytes]:
    """A request with the path sent exactly as given (urllib would re-encode it)."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.putrequest(method, path, skip_accept_encoding=True)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), body


# MARK: The build

@pytest.mark.parametrize("link, target", [
    ("content/docs/v2/leak.png", "/etc/passwd"),
    ("content/docs/v2/etc", "/etc"),
    ("content/policies/privacy/2027-05-01.md", "/etc/hostname"),
    ("templates/assets/leak.css", "/etc/passwd"),
    ("content/docs/v2/nowhere.png", "/no/such/file"),
])
def test_the_build_refuses_a_symlink_that_leads_outside_its_folder(run, workdir, link, target):
    (workdir / link).symlink_to(target)
    result = run("build", "--now", "2026-11-21")
    assert result.returncode == 1
    assert f"{link}: error: symlink" in result.stderr, result.stderr
    assert not (workdir / "public").exists()
    assert run("check", "--now", "2026-11-21").returncode == 1


def test_a_symlink_inside_the_content_folder_is_published_as_a_copy(run, workdir):
    images = workdir / "content" / "docs" / "v2" / "images"
    images.mkdir(exist_ok=True)
    (images / "logo.png").write_bytes(b"\x89PNG fake")
    (workdir / "content" / "docs" / "v2" / "logo-link.png").symlink_to("images/logo.png")
    result = run("build", "--now", "2026-11-21")
    assert result.returncode == 0, result.stderr
    published = workdir / "public" / "docs" / "v2" / "logo-link.png"
    assert published.read_bytes() == b"\x89PNG fake" and not published.is_symlink()
    assert not any(p.is_symlink() for p in (workdir / "public").rglob("*"))


def test_output_is_replaced_only_when_redline_made_it(run, workdir):
    theirs = workdir / "theirs"
    theirs.mkdir()
    (theirs / "manifest.json").write_text("{}")
    (theirs / "thesis.docx").write_text("precious")
    result = run("build", "--now", "2026-11-21", "--output", "theirs")
    assert result.returncode == 1 and "did not make" in result.stderr, result.stderr
    assert (theirs / "thesis.docx").read_text() == "precious"

    (theirs / ".redline-build").write_text("I promise this is a build\n")
    assert run("build", "--now", "2026-11-21", "--output", "theirs").returncode == 1
    assert (theirs / "thesis.docx").read_text() == "precious"

    assert run("build", "--now", "2026-11-21", "--output", "mine").returncode == 0
    assert run("build", "--now", "2026-11-21", "--output", "mine").returncode == 0, "its own output is replaced"


@pytest.mark.parametrize("output", ["content", ".", "..", "content/..", "templates"])
def test_the_output_may_not_be_the_content_a_folder_holding_it_or_the_current_folder(run, workdir, output):
    # A browser-extension project has a manifest.json of its own at the top.
    (workdir / "manifest.json").write_text('{"manifest_version": 3}')
    before = sorted(str(p.relative_to(workdir)) for p in workdir.rglob("*"))
    result = run("build", "--now", "2026-11-21", "--output", output)
    assert result.returncode == 1, result.stdout
    assert "refusing" in result.stderr, result.stderr
    assert sorted(str(p.relative_to(workdir)) for p in workdir.rglob("*")) == before


def test_raw_html_in_a_title_or_summary_is_escaped_everywhere(run, workdir, serve):
    trap = '<meta http-equiv=refresh content="0;url=https://evil.example/">'
    (workdir / "content" / "policies" / "privacy" / "2027-09-01.md").write_text(f"""---
title: 'Privacy {trap}'
effective: 2027-09-01
material: true
summary: 'We changed <b>this</b> {trap} and <script>alert(1)</script>.'
published: 2027-07-01
---

# Privacy Policy

## Information we collect

We collect less now.
""")
    for now in ("2027-08-01", "2027-09-02"):
        result = run("build", "--now", now)
        assert result.returncode == 0, result.stderr
        for path in (workdir / "public").rglob("*"):
            if path.suffix in (".html", ".xml", ".txt", ".css", ".js", ".md"):
                text = path.read_text(errors="replace")
                assert "<meta http-equiv=refresh" not in text and "<script>alert" not in text, path
    # What `redline diff` writes for pull requests and e-mails.
    for form in ("markdown", "html"):
        diff = run("diff", "privacy", "2027-03-01", "2027-09-01", "--format", form)
        assert diff.returncode == 0, diff.stderr
        assert "<meta http-equiv=refresh" not in diff.stdout and "<script>alert" not in diff.stdout, form
    # The change notice e-mail, HTML part included.
    users = workdir / "users.csv"
    users.write_text("userId,email,locale\nu-1,ana@example.com,en\n")
    assert run("users", "import", str(users), "--db", "data/redline.sqlite").returncode == 0
    serve()
    # The site is built as of a day after 2027-09-01, so the version is in force: a late notice, by hand.
    assert run("notify", "privacy", "2027-09-01", "--db", "data/redline.sqlite", "--site", "public", "--force").returncode == 0
    approve_campaign(run, "privacy", "2027-09-01")
    outbox = workdir / "data" / "outbox"
    deadline = time.monotonic() + 300
    while not list(outbox.glob("*.eml")) and time.monotonic() < deadline:
        time.sleep(0.1)
    [eml] = list(outbox.glob("*.eml"))
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    html = message.get_body(("html",)).get_content()
    assert "<meta http-equiv=refresh" not in html and "<script>alert" not in html
    assert "&lt;meta http-equiv=refresh" in html


# MARK: The server

def test_the_server_never_answers_with_a_file_outside_the_site(site, serve, workdir):
    server = serve()
    (site / "passwd.txt").symlink_to("/etc/passwd")
    (site / "etc").symlink_to("/etc")
    (site / "key.txt").symlink_to(workdir / "data" / "redline.sqlite.receipt-key")
    (site / "inside.txt").symlink_to(site / "robots.txt")
    for path in ["/passwd.txt", "/etc/passwd", "/etc/", "/key.txt", "/../data/redline.sqlite.receipt-key",
                 "/%2e%2e/data/redline.sqlite", "/..%2fdata/redline.sqlite"]:
        status, _, body = raw_get(server.base, path)
        assert status in (400, 404), (path, status)
        assert b"root:" not in body and (workdir / "data" / "redline.sqlite.receipt-key").read_bytes().strip() not in body
    status, _, body = raw_get(server.base, "/inside.txt")
    assert status == 200 and body == (site / "robots.txt").read_bytes()


@pytest.mark.parametrize("path", ["/manifest.json%00.html", "/%00", "/index.html%0d%0aSet-Cookie:%20x=1", "/a%7f", "/%zz"])
def test_control_characters_and_bad_encoding_in_a_path_get_400(site, serve, path):
    server = serve()
    status, headers, body = raw_get(server.base, path)
    assert status == 400, (path, status, body[:200])
    assert "Set-Cookie" not in headers
    assert json.loads(body)["error"]["code"] == "bad_path"


@pytest.mark.parametrize("path", ["/healthz", "/metrics", "/openapi.json", "/.well-known/redline-receipt-key",
                                  "/.well-known/redline-receipt-keys", "/privacy/", "/manifest.json", "/no-such-page/",
                                  "/api/v1/consent/nobody", "/search/meta.json"])
def test_head_answers_every_get_route_with_the_same_status_and_no_body(site, serve, path):
    server = serve()
    get_status, get_headers, get_body = raw_get(server.base, path)
    head_status, head_headers, head_body = raw_get(server.base, path, method="HEAD")
    assert head_status == get_status, path
    assert head_body == b""
    assert head_headers.get("Content-Type") == get_headers.get("Content-Type")
    if path == "/metrics":
        assert int(head_headers["Content-Length"]) > 0  # counters move between the two requests
    elif "Content-Length" in head_headers:
        assert head_headers["Content-Length"] == str(len(get_body))


def test_a_rebuild_into_the_served_folder_never_shows_a_404_or_a_short_page(site, serve, run, workdir, redline_bin):
    server = serve()
    paths = ["/", "/privacy/", "/cookies/", "/docs/v2/", "/manifest.json", "/assets/style.css"]
    problems: list[str] = []
    stop = threading.Event()
    counts = {"requests": 0}

    def reader():
        while not stop.is_set():
            for path in paths:
                status, headers, body = raw_get(server.base, path)
                counts["requests"] += 1
                if status != 200:
                    problems.append(f"{path}: {status}")
                elif int(headers.get("Content-Length", len(body))) != len(body):
                    problems.append(f"{path}: {len(body)} of {headers['Content-Length']} bytes")

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for thread in threads:
        thread.start()
    for now in ["2026-11-22", "2027-03-02", "2026-11-23", "2027-06-02"]:
        assert run("build", "--now", now, "-q").returncode == 0
    # A build from scratch swaps the folder in one system call: it is exchanged, never moved away
    # and back. (The updates above moved their changed files in one rename each.)
    trace = workdir / "build.strace"
    traced = subprocess.run(["strace", "-f", "-qq", "-o", str(trace), "-e", "trace=rename,renameat,renameat2", str(redline_bin),
                             "build", "--now", "2026-11-24", "-q", "--force"], cwd=workdir, capture_output=True, text=True, timeout=120)
    assert traced.returncode == 0, traced.stderr
    stop.set()
    calls = [line for line in trace.read_text().splitlines() if "public" in line]
    assert any("RENAME_EXCHANGE" in line and line.endswith("= 0") for line in calls), calls
    assert not any(".retired-" in line for line in calls), calls
    for thread in threads:
        thread.join()
    assert counts["requests"] > 100
    assert problems == []
    assert not [p for p in workdir.iterdir() if p.name.startswith(".public.") and p.name != ".public.lock"], "the previous build was left behind"
