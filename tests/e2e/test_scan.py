"""`redline scan`: the built site in headless Chromium through its real banner, against what
site.yaml declares. The sample site scans clean; a broken copy (an ungated third-party script,
and a gated one that sets a cookie nobody declared) is reported, and everything the scan started
is gone when it ends, also when it is stopped."""
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from helpers import LoopbackOrigin

NOW = "2026-11-21"
MISSING = ("redline scan: error: Chromium is needed for scan: install the Debian packages chromium and chromium-driver "
           "(apt-get install chromium chromium-driver)")

WIDGET = b"window.widgetRan = true;\n"
TRACKER = b'document.cookie = "pb_visitor=1; Path=/; Max-Age=3600";\n'


@pytest.fixture
def scan(redline_bin: Path, workdir: Path):
    """Runs `redline scan` with a temporary folder of its own, so that what it leaves is seen.
    A short path: Chromium's sockets live there, and a socket's path has at most 107 bytes."""
    scratch = Path(tempfile.mkdtemp(prefix="scan-", dir="/tmp"))

    def _scan(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
        result = subprocess.run([str(redline_bin), "scan", *args], cwd=workdir, capture_output=True, text=True, timeout=900,
                                env={**os.environ, "NO_COLOR": "1", "TMPDIR": str(scratch), **(env or {})})
        assert list(scratch.iterdir()) == [], "the scan left its temporary folder"
        assert browsers_of(scratch) == [], "the scan left a browser running"
        return result
    _scan.scratch = scratch
    yield _scan
    shutil.rmtree(scratch, ignore_errors=True)


def browsers_of(scratch: Path) -> list[str]:
    """Processes whose command line names the scratch folder: Chromium, with its profile there."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and str(scratch) in (entry / "cmdline").read_bytes().decode(errors="replace"):
                found.append(entry.name)
        except OSError:
            pass
    return found


@pytest.fixture
def broken_site(run, workdir, third_party):
    """The sample with an ungated third-party script on every page, and an analytics script
    (gated, as it should be) that sets a cookie site.yaml does not declare."""
    (workdir / "templates/partials/site-scripts.mustache").write_text(
        f'<script src="{third_party.origin}/widget.js"></script>\n'
        f'<script type="text/plain" data-category="analytics" data-src="{third_party.origin}/tracker.js"></script>\n')
    site_yaml = workdir / "content/site.yaml"
    site_yaml.write_text(site_yaml.read_text() + f"contentSecurityPolicy:\n  script-src: [{third_party.origin}]\n")
    result = run("build", "--now", NOW)
    assert result.returncode == 0, result.stderr
    return third_party


@pytest.fixture
def third_party():
    # A second origin serving the two scripts.
    party = LoopbackOrigin({"/widget.js": (WIDGET, "text/javascript"), "/tracker.js": (TRACKER, "text/javascript")})
    yield party
    party.stop()


def test_the_sample_site_scans_clean(run, scan):
    assert run("build", "--now", NOW).returncode == 0
    result = scan("--site", "public", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["clean"] is True and report["findings"] == []
    assert report["phases"] == ["first-visit", "reject-all", "accept-all", "withdraw"]
    assert report["baseURL"] == "https://legal.parcelbird.example/"
    assert report["pages"] > 10


def test_a_broken_copy_is_reported_with_both_findings(broken_site, scan):
    result = scan("--site", "public", "--pages", "3", "--json")
    assert result.returncode == 1, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["clean"] is False and report["pages"] == 3
    findings = {(finding["kind"], finding["phase"]): finding for finding in report["findings"]}
    cookie = findings[("undeclared-cookie", "accept-all")]
    assert cookie["cookie"] == "pb_visitor" and cookie["domain"] == "127.0.0.1" and cookie["page"] == "/"
    script = findings[("request-before-consent", "first-visit")]
    assert script["origin"] == broken_site.origin and script["url"] == f"{broken_site.origin}/widget.js"
    assert script["type"] == "script" and script["pages"] == 3
    # Refusing does not stop an ungated script either; the gated one never loads then.
    assert ("request-after-refusal", "reject-all") in findings and ("request-after-refusal", "withdraw") in findings
    assert all(finding.get("url", "").endswith("/widget.js") for finding in report["findings"] if "url" in finding)
    assert set(findings) == {("undeclared-cookie", "accept-all"), ("request-before-consent", "first-visit"),
                             ("request-after-refusal", "reject-all"), ("request-after-refusal", "withdraw")}


def test_the_report_for_a_person_groups_the_findings(broken_site, scan):
    result = scan("--site", "public", "--pages", "1")
    assert result.returncode == 1, result.stderr
    assert "Cookies not declared in site.yaml (1):\n  cookie pb_visitor (127.0.0.1) is not declared in site.yaml: after accept-all, on /" in result.stdout
    assert "Third-party requests before any choice (1):\n  script from " + broken_site.origin in result.stdout
    assert result.stdout.startswith("Scanned 1 page of https://legal.parcelbird.example/ ")


def test_without_chromium_one_line_names_the_packages(run, scan):
    assert run("build", "--now", NOW).returncode == 0
    for env in ({"PATH": "/nonexistent"}, {"REDLINE_CHROMIUM": "/nonexistent/chromium"}):
        result = scan("--site", "public", env=env)
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr.strip() == MISSING


def test_a_folder_that_is_not_a_built_site_is_refused_in_one_line(scan, workdir):
    (workdir / "empty").mkdir()
    for folder in ("empty", "nowhere"):
        result = scan("--site", folder)
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith("redline scan: error: ") and len(result.stderr.strip().splitlines()) == 1


def test_a_stopped_scan_leaves_nothing_running(redline_bin, run, workdir, scan):
    assert run("build", "--now", NOW).returncode == 0
    scratch = scan.scratch
    process = subprocess.Popen([str(redline_bin), "scan", "--site", "public"], cwd=workdir, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env={**os.environ, "TMPDIR": str(scratch)})
    try:
        deadline = time.monotonic() + 300
        while not browsers_of(scratch) and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.1)
        assert browsers_of(scratch), "the scan started no browser"
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 2, stderr
    assert "interrupted" in stderr
    deadline = time.monotonic() + 10
    while browsers_of(scratch) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert browsers_of(scratch) == [] and list(scratch.iterdir()) == []
