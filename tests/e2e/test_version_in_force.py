"""A version takes effect on its day without a rebuild: the real server under faketime, the
sample site built months before."""
import json
import os
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

import processes

from conftest import free_port
from helpers import request


@pytest.fixture
def site(run, workdir):
    result = run("build", "--now", "2026-11-21")
    assert result.returncode == 0, result.stderr
    return json.loads((workdir / "public" / "manifest.json").read_text())


class FakeTimeServer:
    def __init__(self, redline_bin: Path, workdir: Path, day: str):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "REDLINE_SITE": str(workdir / "public"), "REDLINE_DB": str(workdir / "data" / "redline.sqlite"),
               "REDLINE_PORT": str(self.port), "FAKETIME_DONT_FAKE_MONOTONIC": "1"}
        self.log = workdir / f"serve-{day}.log"
        # faketime forks the server: both live in the group that stop() ends.
        self.process = processes.spawn(["faketime", f"{day} 09:00:00", str(redline_bin), "serve"], cwd=workdir, env=env,
                                       stdout=self.log.open("w"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            assert self.process.poll() is None, self.log.read_text()
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("no /healthz")

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.base + path, timeout=10) as response:
            return response.read().decode()

    def stop(self):
        processes.stop(self.process)


def test_build_server_and_banner_agree_on_the_day_a_version_takes_effect(site, redline_bin, workdir):
    privacy = next(d for d in site["documents"] if d["id"] == "privacy")
    upcoming = next(v for v in privacy["versions"] if v["status"] == "upcoming" and v["material"])
    current = next(v for v in privacy["versions"] if v["status"] == "current")
    assert site["asOf"] and upcoming["effective"] in site["asOf"]

    before = FakeTimeServer(redline_bin, workdir, "2026-12-01")
    try:
        assert f"datetime=\"2026-11-21\"" in before.get("/privacy/")
        assert "Upcoming" in before.get(f"/privacy/{upcoming['effective']}/")
        body = {"subject": "clock-subject", "granted": ["analytics"], "denied": ["marketing"], "method": "custom",
                "policies": [{"id": "privacy", "version": current["effective"]},
                             {"id": "cookies", "version": next(v["effective"] for v in next(d for d in site["documents"] if d["id"] == "cookies")["versions"] if v["status"] == "current")}],
                "notice": site["consent"]["notice"]}
        status, _, receipt = request("POST", before.base + "/api/v1/consent", body)
        assert status == 201, receipt
        assert request("GET", before.base + "/api/v1/consent/clock-subject")[2]["reconsentRequired"] is False
    finally:
        before.stop()

    # The same build, the same database, the day the version takes effect.
    after = FakeTimeServer(redline_bin, workdir, upcoming["effective"])
    try:
        page = after.get("/privacy/")
        assert f"datetime=\"{upcoming['effective']}\"" in page
        assert "In force" in after.get(f"/privacy/{upcoming['effective']}/")
        manifest = json.loads(after.get("/manifest.json"))
        statuses = {v["effective"]: v["status"] for v in next(d for d in manifest["documents"] if d["id"] == "privacy")["versions"]}
        assert statuses[upcoming["effective"]] == "current" and statuses[current["effective"]] == "archived"
        banner = json.loads(after.get("/consent/config.json"))
        doc = next(d for d in banner["documents"] if d["id"] == "privacy")
        assert doc["current"] == upcoming["effective"]
        assert next(m for m in doc["material"] if m["version"] == upcoming["effective"])["inForce"] is True
        state = request("GET", after.base + "/api/v1/consent/clock-subject")[2]
        assert state["reconsentRequired"] is True and state["changes"][0]["toVersion"] == upcoming["effective"]
        # Docs are the same on every day: served from the site itself.
        assert "Authentication" in after.get("/docs/v2/authentication/")
    finally:
        after.stop()
