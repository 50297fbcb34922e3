"""`redline serve` against a real socket, a real SQLite file and the real sample site."""
import json
import sqlite3
import subprocess
import threading
import time
import urllib.error
import urllib.request

import pytest

from helpers import request


def current_versions(manifest: dict, documents=("privacy", "cookies")) -> list[dict]:
    by_id = {doc["id"]: doc for doc in manifest["documents"]}
    return [{"id": doc_id, "version": next(v["effective"] for v in by_id[doc_id]["versions"] if v["status"] == "current")}
            for doc_id in documents]


def consent(subject: str, manifest: dict, **overrides) -> dict:
    body = {"subject": subject, "granted": ["analytics"], "denied": ["marketing"], "method": "custom",
            "policies": current_versions(manifest), "notice": manifest["consent"]["notice"]}
    body.update(overrides)
    return body


@pytest.fixture
def site(run, workdir):
    result = run("build", "--now", "2026-11-21")
    assert result.returncode == 0, result.stderr
    return json.loads((workdir / "public" / "manifest.json").read_text())


def test_acknowledged_writes_survive_a_killed_process_and_the_chain_verifies(site, serve, run, workdir):
    server = serve()
    receipts = []
    for index in range(20):
        status, _, receipt = request("POST", server.base + "/api/v1/consent", consent(f"crash-{index}", site, idempotencyKey=f"k{index}"))
        assert status == 201, receipt
        receipts.append(receipt)
    server.kill()

    restarted = serve()
    for index, receipt in enumerate(receipts):
        status, _, state = request("GET", f"{restarted.base}/api/v1/consent/crash-{index}")
        assert status == 200
        assert state["receiptId"] == receipt["receiptId"]
    # The same key after the crash is the same record, not a second one.
    status, _, again = request("POST", restarted.base + "/api/v1/consent", consent("crash-0", site, idempotencyKey="k0"))
    assert status == 200 and again == receipts[0]

    verify = run("consent", "verify", "--db", "data/redline.sqlite")
    assert verify.returncode == 0, verify.stderr
    assert "20 records verified" in verify.stdout


def test_verify_reports_the_first_tampered_record(site, serve, run, workdir):
    server = serve()
    for index in range(5):
        assert request("POST", server.base + "/api/v1/consent", consent(f"t-{index}", site))[0] == 201
    server.stop()

    with sqlite3.connect(workdir / "data" / "redline.sqlite") as db:
        evidence = json.loads(db.execute("SELECT evidence_json FROM consent_record WHERE sequence = 3").fetchone()[0])
        evidence["granted"] = ["necessary", "analytics", "marketing"]
        db.execute("UPDATE consent_record SET evidence_json = ? WHERE sequence = 3", (json.dumps(evidence),))
    verify = run("consent", "verify", "--db", "data/redline.sqlite")
    assert verify.returncode == 1
    assert "broken at record 3" in verify.stderr
    assert "changed after it was written" in verify.stderr

    with sqlite3.connect(workdir / "data" / "redline.sqlite") as db:
        db.execute("DELETE FROM consent_record WHERE sequence = 2")
    verify = run("consent", "verify", "--db", "data/redline.sqlite")
    assert verify.returncode == 1 and "broken at record 3" in verify.stderr and "missing" in verify.stderr


def test_a_rebuild_with_a_material_version_in_force_asks_again_without_a_restart(site, serve, run, workdir):
    server = serve()
    assert request("POST", server.base + "/api/v1/consent", consent("returning", site))[0] == 201
    status, _, state = request("GET", server.base + "/api/v1/consent/returning")
    assert status == 200 and state["reconsentRequired"] is False

    # The upcoming 2027-03-01 privacy version is material; building for a later day puts it in force.
    assert run("build", "--now", "2027-03-02").returncode == 0
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        state = request("GET", server.base + "/api/v1/consent/returning")[2]
        if state["reconsentRequired"]:
            break
        time.sleep(0.2)
    assert state["reconsentRequired"] is True
    assert state["reasons"] == ["material-change"]
    [change] = state["changes"]
    assert change["document"] == "privacy" and change["fromVersion"] == "2026-06-01" and change["toVersion"] == "2027-03-01"
    assert change["changesUrl"].endswith("/privacy/changes/2027-03-01/")


def test_pages_gpc_declaration_and_receipt_key_are_served(site, serve):
    server = serve()
    status, headers, _ = request("GET", server.base + "/privacy/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert headers["ETag"] and headers["Cache-Control"] == "no-cache"
    status, _, gpc = request("GET", server.base + "/.well-known/gpc.json")
    assert status == 200 and gpc["gpc"] is True and len(gpc["lastUpdate"]) == 10
    status, _, key = request("GET", server.base + "/.well-known/redline-receipt-key")
    assert status == 200 and key["algorithm"] == "Ed25519"
    status, _, spec = request("GET", server.base + "/openapi.json")
    assert status == 200 and spec["openapi"].startswith("3.1")
    status, headers, page = request("GET", server.base + "/no/such/page/")
    assert status == 404 and "<html" in page


def test_concurrent_writers_all_get_receipts_and_share_transactions(site, serve, run):
    server = serve(REDLINE_RATE_LIMIT="0")
    statuses: list[int] = []
    lock = threading.Lock()

    def post(index: int) -> None:
        status = request("POST", server.base + "/api/v1/consent", consent(f"c-{index}", site))[0]
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=post, args=(i,)) for i in range(64)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [201] * 64
    metrics = request("GET", server.base + "/metrics")[2]
    count = next(float(line.split()[-1]) for line in metrics.splitlines() if line.startswith("redline_consent_commit_batch_size_count"))
    total = next(float(line.split()[-1]) for line in metrics.splitlines() if line.startswith("redline_consent_commit_batch_size_sum"))
    assert total == 64 and count <= 64
    assert run("consent", "verify", "--db", "data/redline.sqlite").returncode == 0


def test_the_raw_ip_address_is_never_stored_or_logged(site, serve, workdir):
    server = serve()
    assert request("POST", server.base + "/api/v1/consent", consent("private", site))[0] == 201
    server.stop()
    dump = subprocess.run(["sqlite3", str(workdir / "data" / "redline.sqlite"), ".dump"], capture_output=True, text=True).stdout
    assert "private" in dump and "127.0.0.1" not in dump
    # The server logs its own listening address; no client address may appear besides it.
    assert "127.0.0.1" not in server.log.read_text().replace(f"127.0.0.1:{server.port}", "")


def test_truncated_address_retention_keeps_only_the_network(site, serve, workdir):
    server = serve(REDLINE_IP_RETENTION="truncate")
    assert request("POST", server.base + "/api/v1/consent", consent("net", site))[0] == 201
    status, _, export = request("GET", server.base + "/api/v1/subjects/net/records")
    assert status == 200 and export["records"][0]["ipToken"] == "127.0.0.0/24"


def test_serve_without_a_built_site_says_what_to_do(redline_bin, workdir):
    result = subprocess.run([str(redline_bin), "serve", "--site", "public", "--port", "0"], cwd=workdir,
                            capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    assert "run 'redline build' first" in result.stderr


def test_forwarded_addresses_are_believed_only_from_trusted_proxies(site, serve):
    """Behind a trusted proxy each visitor has a rate limit and a stored network of their own;
    the same headers from anyone else change nothing."""
    def post(server, subject, headers):
        return request("POST", server.base + "/api/v1/consent", consent(subject, site), headers=headers)[0]

    # No proxy trusted: a client that writes addresses of its own still shares one limit.
    direct = serve(REDLINE_IP_RETENTION="truncate", REDLINE_RATE_LIMIT="2", REDLINE_RATE_BURST="2")
    statuses = [post(direct, f"spoof-{n}", {"X-Forwarded-For": f"203.0.{n}.9", "Forwarded": f"for=198.51.{n}.1"}) for n in range(6)]
    assert statuses.count(429) >= 3, statuses
    direct.stop()
    reader = serve()
    _, _, export = request("GET", reader.base + "/api/v1/subjects/spoof-0/records")
    assert export["records"][0]["ipToken"] == "127.0.0.0/24", "the peer, not the header"
    reader.stop()

    # 127.0.0.1 is the proxy: six visitors, six limits; the stored network is the visitor's.
    proxied = serve(REDLINE_IP_RETENTION="truncate", REDLINE_RATE_LIMIT="2", REDLINE_RATE_BURST="2",
                    REDLINE_TRUSTED_PROXIES="127.0.0.1, ::1")
    statuses = [post(proxied, f"visitor-{n}", {"X-Forwarded-For": f"198.51.100.7, 203.0.{n}.9"}) for n in range(6)]
    assert statuses == [201] * 6, statuses
    _, _, export = request("GET", proxied.base + "/api/v1/subjects/visitor-3/records", headers={"X-Forwarded-For": "192.0.2.1"})
    assert export["records"][0]["ipToken"] == "203.0.3.0/24", "the address the proxy saw, not what the client wrote before it"
    # Only the header the proxy sets is believed: a Forwarded header is the visitor's own here.
    assert post(proxied, "forged", {"Forwarded": 'for="[2001:db8:cafe::17]:4711"', "X-Forwarded-For": "203.0.9.9"}) == 201
    _, _, export = request("GET", proxied.base + "/api/v1/subjects/forged/records", headers={"X-Forwarded-For": "192.0.2.2"})
    assert export["records"][0]["ipToken"] == "203.0.9.0/24"
    # The scheme the proxy reports decides what same-origin means.
    host = proxied.base.split("//")[1]
    status = request("POST", proxied.base + "/api/v1/consent", consent("origin", site),
                     headers={"Origin": f"http://{host}", "X-Forwarded-For": "203.0.113.50", "X-Forwarded-Proto": "https"})[0]
    assert status == 403
    proxied.stop()
    assert "203.0." not in proxied.log.read_text() and "2001:db8" not in proxied.log.read_text(), "client addresses never logged"

    # A proxy that writes RFC 7239 Forwarded instead, with an IPv6 client; X-Forwarded-For is then the visitor's own.
    rfc7239 = serve(REDLINE_IP_RETENTION="truncate", REDLINE_TRUSTED_PROXIES="127.0.0.1, ::1", REDLINE_FORWARDED_HEADER="forwarded")
    assert post(rfc7239, "v6", {"Forwarded": 'for="[2001:db8:cafe::17]:4711";proto=https', "X-Forwarded-For": "203.0.8.8"}) == 201
    _, _, export = request("GET", rfc7239.base + "/api/v1/subjects/v6/records", headers={"Forwarded": "for=192.0.2.2"})
    assert export["records"][0]["ipToken"] == "2001:db8:cafe::/48"
    rfc7239.stop()


def test_a_bad_trusted_proxy_is_refused_at_start(redline_bin, workdir, run):
    assert run("build", "--now", "2026-11-21").returncode == 0
    result = subprocess.run([str(redline_bin), "serve", "--port", "0", "--trusted-proxy", "10.0.0.0/33"], cwd=workdir,
                            capture_output=True, text=True, timeout=30)
    assert result.returncode != 0 and "prefix length must be 0 to 32" in result.stderr
