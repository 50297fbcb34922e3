"""Several `redline serve` processes on one real PostgreSQL 15 (a throwaway cluster from Debian's
binaries), a real SMTP server, real kills: what an operator running a fleet relies on."""
import json
import os
import signal
import sqlite3
import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest

from conftest import PostgresCluster, Server
from helpers import request
from test_notices import campaigns, finished, notice_env, wait_for


@pytest.fixture
def site(run, workdir):
    result = run("build", "--now", "2026-11-21")
    assert result.returncode == 0, result.stderr
    return json.loads((workdir / "public" / "manifest.json").read_text())


def consent(subject: str, manifest: dict, key: str | None = None) -> dict:
    by_id = {doc["id"]: doc for doc in manifest["documents"]}
    policies = [{"id": doc_id, "version": next(v["effective"] for v in by_id[doc_id]["versions"] if v["status"] == "current")}
                for doc_id in ("privacy", "cookies")]
    return {"subject": subject, "granted": ["analytics"], "denied": ["marketing"], "method": "custom",
            "policies": policies, "notice": manifest["consent"]["notice"], **({"idempotencyKey": key} if key else {})}


def fleet_env(workdir, name: str, **extra) -> dict:
    """Every server of the fleet signs with the same receipt key; each keeps its own checkpoint log."""
    return {"REDLINE_RECEIPT_KEY": str(workdir / "keys" / "receipt-key"),
            "REDLINE_CHECKPOINT_LOG": str(workdir / "data" / f"{name}.checkpoints"), **extra}


def test_two_servers_on_one_postgres_lose_nothing_when_one_is_killed_under_load(site, serve, run, workdir, postgres, smtp_sink):
    db = postgres.create_database("fleet")
    count = 80
    users = workdir / "users.csv"
    users.write_text("userId,email,locale\n" + "".join(f"u-{n},user{n}@example.com,en\n" for n in range(count)))
    assert run("users", "import", str(users), "--db", db).returncode == 0

    mail = notice_env(smtp_sink, REDLINE_MAIL_RATE="20", REDLINE_MAIL_CONCURRENCY="2", REDLINE_OUTBOX_LEASE="3")
    first = serve(db, **fleet_env(workdir, "first", **mail))
    second = serve(db, **fleet_env(workdir, "second", **mail))

    # The upcoming material privacy version, seen by both servers at their first start: one campaign.
    [campaign] = wait_for(lambda: [c for c in campaigns_of(run, db) if c["document"] == "privacy"])
    time.sleep(1.5)
    assert len([c for c in campaigns_of(run, db) if c["document"] == "privacy"]) == 1
    approved = run("notify", "approve", str(campaign["id"]), "--db", db)
    assert approved.returncode == 0, approved.stderr

    # Consents posted to both servers at once; the first is killed while they and the campaign are under way.
    acknowledged: list[dict] = []
    lock = threading.Lock()
    stop = threading.Event()

    def post(server: Server, worker: int) -> None:
        index = 0
        while not stop.is_set():
            try:
                status, _, body = request("POST", server.base + "/api/v1/consent", consent(f"w{worker}-{index}", site, str(uuid.uuid4())))
            except OSError:
                status = 0
            if status == 201:
                with lock:
                    acknowledged.append(body)
            elif server is first and first.process.poll() is not None:
                return
            index += 1

    threads = [threading.Thread(target=post, args=(server, n)) for n, server in enumerate([first, second] * 3)]
    for thread in threads:
        thread.start()
    wait_for(lambda: len(smtp_sink.messages()) >= 15 and len(acknowledged) >= 150)
    first.kill()
    with lock:
        at_kill = len(acknowledged)
    time.sleep(2)
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    assert len(acknowledged) > at_kill, "the second server went on taking consents"

    # No acknowledged consent is lost, and the chain verifies across both servers' checkpoints.
    stored = set(postgres.psql("SELECT record_id FROM consent_record", database="fleet").split())
    receipts = {receipt["receiptId"] for receipt in acknowledged}
    assert receipts <= stored, f"{len(receipts - stored)} acknowledged consents are missing"
    second.stop()  # a graceful stop signs a last checkpoint over the head
    # Read once the servers are stopped: the campaign's notice records join the same chain while it sends.
    sequences = [int(s) for s in postgres.psql("SELECT sequence FROM consent_record ORDER BY sequence", database="fleet").split()]
    assert sequences == list(range(1, len(sequences) + 1))
    logs = [f"data/{name}.checkpoints" for name in ("first", "second") if (workdir / "data" / f"{name}.checkpoints").exists()]
    assert "data/second.checkpoints" in logs
    verify = run("consent", "verify", "--db", db, "--receipt-key", "keys/receipt-key", *[arg for log in logs for arg in ("--checkpoints", log)])
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert f"{len(sequences)} records verified" in verify.stdout and "0 checkpoints" not in verify.stdout
    second = serve(db, **fleet_env(workdir, "second", **mail))

    # The second server finishes the campaign, taking over what the first had leased: every user once.
    [done] = wait_for(lambda: [c for c in finished(second, admin_key_for(run, db)) or [] if c["document"] == "privacy"])
    assert (done["sent"], done["failed"], done["recipients"]) == (count, 0, count)
    by_recipient: dict[str, set] = {}
    for message in smtp_sink.messages():
        by_recipient.setdefault(message["To"].addresses[0].addr_spec, set()).add(message["Message-ID"])
    assert set(by_recipient) == {f"user{n}@example.com" for n in range(count)}
    assert all(len(ids) == 1 for ids in by_recipient.values()), "a user got two different notices"
    # A message on the wire at the kill may arrive twice (at most one per connection), always as the same notice.
    assert len(smtp_sink.messages()) - count <= 2


def campaigns_of(run, db: str) -> list[dict]:
    listing = run("notify", "list", "--db", db, "--json")
    assert listing.returncode == 0, listing.stderr
    return json.loads(listing.stdout)


_keys: dict[str, str] = {}


def admin_key_for(run, db: str) -> str:
    if db not in _keys:
        result = run("keys", "create", "--db", db, "--name", f"e2e-{uuid.uuid4().hex[:6]}")
        assert result.returncode == 0, result.stderr
        _keys[db] = result.stdout.strip()
    return _keys[db]


def cluster_processes(cluster: PostgresCluster) -> list[int]:
    """The postmaster of `cluster` and every process it started."""
    postmaster = int((cluster.data / "postmaster.pid").read_text().split()[0])
    children = Path(f"/proc/{postmaster}/task/{postmaster}/children").read_text().split()
    return [postmaster] + [int(pid) for pid in children]


def test_a_lost_database_gives_503s_not_hangs_and_the_server_recovers(site, serve, workdir):
    cluster = PostgresCluster().init()
    try:
        # With a password in the URL (the cluster trusts loopback, so any password is taken): it must never be logged.
        db = cluster.create_database("outage").replace("postgres://postgres@", "postgres://postgres:s3cret@")
        server = serve(db, **fleet_env(workdir, "outage"), REDLINE_LOG_LEVEL="trace", REDLINE_DB_TIMEOUT="2")
        status, _, _ = request("POST", server.base + "/api/v1/consent", consent("before", site))
        assert status == 201
        assert request("GET", server.base + "/readyz")[0] == 200

        # Frozen: connections stay open and nothing answers. The deadline still gives a 503.
        frozen = cluster_processes(cluster)
        for pid in frozen:
            os.kill(pid, signal.SIGSTOP)
        try:
            status, headers, body = request("POST", server.base + "/api/v1/consent", consent("frozen", site, "outage-0"), timeout=600)
            assert status == 503 and body["error"]["code"] == "database_unavailable", body
            assert headers["Retry-After"] == "5"
        finally:
            for pid in frozen:
                os.kill(pid, signal.SIGCONT)

        cluster.stop("immediate")
        # The client waits as long as it likes: the server's own deadline (2 s) must answer it.
        status, headers, body = request("POST", server.base + "/api/v1/consent", consent("during", site, "outage-1"), timeout=600)
        assert status == 503 and body["error"]["code"] == "database_unavailable", body
        assert headers["Retry-After"] == "5"
        assert request("GET", server.base + "/readyz")[0] == 503
        assert request("GET", server.base + "/healthz")[0] == 200, "alive, just not ready"
        assert server.process.poll() is None

        cluster.start()
        recovered = wait_for(lambda: request("GET", server.base + "/readyz")[0] == 200, timeout=300)
        assert recovered
        status, _, receipt = request("POST", server.base + "/api/v1/consent", consent("during", site, "outage-1"))
        assert status in (200, 201), receipt
        assert "s3cret" not in server.log.read_text()
    finally:
        cluster.remove()


@pytest.mark.parametrize("url, reason", [
    ("postgres://redline:s3cret@127.0.0.1:{closed}/redline?sslmode=disable", "connection refused"),
    ("postgres://postgres:s3cret@127.0.0.1:{port}/nosuchdb?sslmode=disable", 'database "nosuchdb" does not exist'),
    ("postgres://postgres:s3cret@127.0.0.1:{port}/postgres?sslmode=require", "does not offer TLS"),
    ("postgres://postgres:s3cret@127.0.0.1:{port}/postgres?sslmode=sometimes", "sslmode 'sometimes'"),
])
def test_an_unusable_postgres_stops_the_start_with_one_line_and_no_password(site, redline_bin, workdir, postgres, url, reason):
    from conftest import free_port
    url = url.format(closed=free_port(), port=postgres.port)
    started = time.monotonic()
    result = subprocess.run([str(redline_bin), "serve", "--port", "0", "--db", url], cwd=workdir, capture_output=True, text=True, timeout=600)
    assert result.returncode == 1
    # The pool would retry for ever; one connection's answer (or its 5 s connect timeout) ends it.
    assert time.monotonic() - started < 60, "at once, not after retries"
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and reason in lines[0], result.stderr
    assert "s3cret" not in result.stderr + result.stdout


def test_a_sqlite_store_copied_to_postgres_keeps_its_chain_receipts_and_users(site, serve, run, workdir, postgres):
    sqlite = workdir / "data" / "redline.sqlite"
    server = serve(sqlite)
    receipts = []
    for index in range(30):
        status, _, receipt = request("POST", server.base + "/api/v1/consent", consent(f"copy-{index % 12}", site, f"k-{index}"))
        assert status == 201, receipt
        receipts.append(receipt)
    assert request("DELETE", server.base + "/api/v1/subjects/copy-3")[0] == 200
    users = workdir / "users.csv"
    users.write_text("userId,email,locale\nu-1,ana@example.com,en\nu-2,bo@example.org,de\n")
    assert run("users", "import", str(users), "--db", "data/redline.sqlite").returncode == 0
    server.stop()
    # Booleans are 0 and 1 in SQLite and true and false in PostgreSQL: an optional campaign stays one.
    with sqlite3.connect(sqlite) as connection:
        assert connection.execute("UPDATE campaign SET optional = 1").rowcount >= 1
        connection.execute("UPDATE app_user SET unsubscribed_at = '2026-11-21T10:00:00Z' WHERE user_id = 'u-2'")
    before = (workdir / "data" / "redline.sqlite").read_bytes()

    db = postgres.create_database("copied")
    result = run("db", "copy", "--from", "data/redline.sqlite", "--to", db)
    assert result.returncode == 0, result.stderr
    assert "Copied 30 consent records" in result.stdout and "2 app_user" in result.stdout and "Verified: every record identical" in result.stdout
    assert (workdir / "data" / "redline.sqlite").read_bytes() == before, "the source is never written"

    # The copy verifies with the keys and checkpoints of the SQLite store: no hash changed.
    verify = run("consent", "verify", "--db", db, "--receipt-key", "data/redline.sqlite.receipt-key",
                 "--checkpoints", "data/redline.sqlite.checkpoints")
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "30 records verified" in verify.stdout and "0 checkpoints" not in verify.stdout
    receipt = workdir / "receipt.json"
    receipt.write_text(json.dumps(receipts[7]))
    proof = run("consent", "verify", "--db", db, "--receipt-key", "data/redline.sqlite.receipt-key", "--receipt", str(receipt))
    assert proof.returncode == 0, proof.stdout + proof.stderr
    assert postgres.psql("SELECT COUNT(*) FROM consent_record WHERE subject IS NULL AND erased_at IS NOT NULL", database="copied") == "3"
    assert postgres.psql("SELECT bool_and(optional) FROM campaign", database="copied") == "t"
    assert postgres.psql("SELECT unsubscribed_at FROM app_user WHERE user_id = 'u-2'", database="copied") == "2026-11-21T10:00:00Z"

    # A server on the copy carries on the same chain, with the same users and idempotency keys.
    moved = serve(db, REDLINE_RECEIPT_KEY=str(sqlite) + ".receipt-key", REDLINE_CHECKPOINT_LOG=str(sqlite) + ".checkpoints")
    status, _, replay = request("POST", moved.base + "/api/v1/consent", consent("copy-0", site, "k-0"))
    assert status == 200 and replay["receiptId"] == receipts[0]["receiptId"], replay
    status, _, next_receipt = request("POST", moved.base + "/api/v1/consent", consent("copy-new", site))
    assert status == 201 and next_receipt["sequence"] == 31
    assert run("users", "count", "--db", db).stdout.strip() == "2"

    # Copying again into a store that holds data is refused, and changes nothing.
    again = run("db", "copy", "--from", "data/redline.sqlite", "--to", db)
    assert again.returncode == 1 and "already holds" in again.stderr
    assert postgres.psql("SELECT COUNT(*) FROM consent_record", database="copied") == "31"


def test_a_server_with_another_receipt_key_is_refused_by_the_fleet(site, serve, run, workdir, postgres, redline_bin):
    db = postgres.create_database("keys")
    first = serve(db, **fleet_env(workdir, "first"))
    assert request("POST", first.base + "/api/v1/consent", consent("k-1", site))[0] == 201
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith("REDLINE_")}
    result = subprocess.run([str(redline_bin), "serve", "--port", "0", "--db", db, "--receipt-key", "other/receipt-key",
                             "--checkpoint-log", "other/checkpoints"], cwd=workdir, capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 1
    assert "must use the same receipt key" in result.stderr, result.stderr
