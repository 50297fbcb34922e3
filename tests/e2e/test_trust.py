"""The promises of `redline serve` and `redline consent verify`, tried with real components:
strace for fsync, a real kill, real files on disk, a tampering operator with sqlite3."""
import json
import os
import re
import signal
import sqlite3
import stat
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

import processes
from conftest import Server, free_port
from helpers import request


@pytest.fixture
def site(run, workdir):
    result = run("build", "--now", "2026-11-21")
    assert result.returncode == 0, result.stderr
    return json.loads((workdir / "public" / "manifest.json").read_text())


def consent(subject: str, manifest: dict) -> dict:
    by_id = {doc["id"]: doc for doc in manifest["documents"]}
    policies = [{"id": doc_id, "version": next(v["effective"] for v in by_id[doc_id]["versions"] if v["status"] == "current")}
                for doc_id in ("privacy", "cookies")]
    return {"subject": subject, "granted": ["analytics"], "denied": ["marketing"], "method": "custom",
            "policies": policies, "notice": manifest["consent"]["notice"]}


def record(server, manifest, count: int, prefix: str = "s") -> list[dict]:
    receipts = []
    for index in range(count):
        status, _, receipt = request("POST", server.base + "/api/v1/consent", consent(f"{prefix}-{index}", manifest))
        assert status == 201, receipt
        receipts.append(receipt)
    return receipts


def wait_healthy(base: str, process: subprocess.Popen, log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"redline serve exited: {log.read_text()}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("no /healthz")


# MARK: Durability

def test_every_acknowledged_consent_is_synced_to_disk_before_its_answer(site, workdir, redline_bin):
    """strace shows, for every 201, an fsync of the WAL after the commit's writes and before the answer."""
    port = free_port()
    trace = workdir / "strace.log"
    log = workdir / "serve.log"
    env = {**os.environ, "REDLINE_SITE": str(workdir / "public"), "REDLINE_DB": str(workdir / "data" / "redline.sqlite"),
           "REDLINE_PORT": str(port)}
    process = processes.spawn(["strace", "-f", "-qq", "-y", "-s", "40", "-o", str(trace), "-e", "signal=none",
                               "-e", "trace=pwrite64,write,writev,sendmsg,sendto,fsync,fdatasync", str(redline_bin), "serve"],
                              cwd=workdir, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", process, log, timeout=300)
        server = Server.__new__(Server)
        server.base = f"http://127.0.0.1:{port}"
        record(server, site, 5, "fsync")
    finally:
        # SIGTERM to strace would only detach it; stop the traced server itself.
        for child in Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split():
            os.kill(int(child), signal.SIGTERM)
        processes.stop(process)

    answered = 0
    wal_written = synced = sealed = False
    for line in trace.read_text().splitlines():
        if re.search(r"pwrite64\(\d+<[^>]*redline\.sqlite-wal>", line):
            wal_written, synced, sealed = True, False, False
        elif re.search(r"f(data)?sync\(\d+<[^>]*redline\.sqlite-wal>\) = 0", line):
            synced = True
        elif synced and re.search(r"fdatasync\(\d+<[^>]*redline\.sqlite\.checkpoints\.head>\) = 0", line):
            sealed = True
        elif "HTTP/1.1 201" in line:
            assert wal_written, "a consent was acknowledged before anything reached the WAL"
            assert synced, f"acknowledged without an fsync of the WAL since its last write: {line}"
            assert sealed, f"acknowledged before a checkpoint of its commit was synced to the head file: {line}"
            answered += 1
    assert answered == 5, trace.read_text()[-3000:]


def test_the_database_its_wal_and_the_keys_are_the_owners_only(site, serve, workdir):
    server = serve()
    record(server, site, 1)
    data = workdir / "data"
    for name in ["redline.sqlite", "redline.sqlite-wal", "redline.sqlite-shm", "redline.sqlite.receipt-key", "redline.sqlite.secret"]:
        mode = stat.S_IMODE((data / name).stat().st_mode)
        assert mode == 0o600, f"{name} is {oct(mode)}"
    assert stat.S_IMODE(data.stat().st_mode) == 0o700


# MARK: Evidence

def test_cutting_the_tail_is_caught_by_the_checkpoint_written_at_shutdown(site, serve, run, workdir):
    server = serve()
    record(server, site, 6)
    server.stop()
    status = run("consent", "verify", "--db", "data/redline.sqlite")
    assert status.returncode == 0, status.stderr
    assert "1 checkpoint reached" in status.stdout or "checkpoints reached" in status.stdout

    for cut in (1, 3, 6):
        # A one-file copy (SQLite's backup API) of the evidence, cut at the tail.
        copy = workdir / f"cut-{cut}.sqlite"
        with sqlite3.connect(workdir / "data" / "redline.sqlite") as source, sqlite3.connect(copy) as target:
            source.backup(target)
            target.execute("DELETE FROM consent_record WHERE sequence > ?", (6 - cut,))
        target.close()
        result = run("consent", "verify", "--db", copy.name, "--receipt-key", "data/redline.sqlite.receipt-key",
                     "--checkpoints", "data/redline.sqlite.checkpoints")
        assert result.returncode == 1, (cut, result.stdout)
        assert "records were cut from the end" in result.stderr, result.stderr


def test_cutting_records_newer_than_every_logged_checkpoint_is_caught_after_a_crash(site, serve, run, workdir):
    """No periodic checkpoint and no shutdown one (a kill -9): the head sealed with each commit
    still covers every acknowledged record."""
    server = serve(REDLINE_CHECKPOINT_INTERVAL_MS="3600000")
    record(server, site, 4, "crash")
    server.kill()
    assert run("consent", "verify", "--db", "data/redline.sqlite").returncode == 0
    with sqlite3.connect(workdir / "data" / "redline.sqlite") as db:
        db.execute("DELETE FROM consent_record WHERE sequence = 4")
    db.close()
    result = run("consent", "verify", "--db", "data/redline.sqlite")
    assert result.returncode == 1, result.stdout
    assert "records were cut from the end" in result.stderr, result.stderr
    refused = run("serve", "--port", str(free_port()), env={"REDLINE_SITE": str(workdir / "public")})
    assert refused.returncode == 1 and "records are missing" in refused.stderr, refused.stderr


def test_rotating_the_key_under_a_running_server_is_refused_and_the_evidence_stays_whole(site, serve, run, workdir):
    server = serve()
    record(server, site, 2, "before")
    key = (workdir / "data" / "redline.sqlite.receipt-key").read_bytes()
    refused = run("consent", "rotate-key", "--db", "data/redline.sqlite")
    assert refused.returncode == 1, refused.stdout
    assert "a running redline serve signs with this key" in refused.stderr, refused.stderr
    assert (workdir / "data" / "redline.sqlite.receipt-key").read_bytes() == key, "the key was replaced all the same"
    record(server, site, 2, "after")
    server.stop()
    assert run("consent", "verify", "--db", "data/redline.sqlite").returncode == 0
    assert run("consent", "rotate-key", "--db", "data/redline.sqlite").returncode == 0, "a stopped server lets go of the key"


def test_export_refuses_a_log_that_does_not_verify(site, serve, run, workdir):
    server = serve()
    record(server, site, 3, "export")
    server.stop()
    with sqlite3.connect(workdir / "data" / "redline.sqlite") as db:
        db.execute("UPDATE consent_record SET evidence_json = replace(evidence_json, 'analytics', 'analytica') WHERE sequence = 2")
    db.close()
    result = run("consent", "export", "--db", "data/redline.sqlite", "--from", "2000-01-01", "--to", "2100-01-01", "--out", "bundle.zip")
    assert result.returncode == 1, result.stdout
    assert "broken at" in result.stderr and "nothing exported" in result.stderr, result.stderr
    assert not (workdir / "bundle.zip").exists()


def test_verify_reads_the_files_the_serve_settings_file_names(site, serve, run, workdir):
    key, log = workdir / "keys" / "receipt.key", workdir / "logs" / "consent.checkpoints"
    server = serve(REDLINE_RECEIPT_KEY=str(key), REDLINE_CHECKPOINT_LOG=str(log))
    record(server, site, 2, "config")
    server.stop()
    (workdir / "redline.yaml").write_text(f"db: data/redline.sqlite\nreceipt-key: {key}\ncheckpoint-log: {log}\n")
    result = run("consent", "verify", "--config", "redline.yaml")
    assert result.returncode == 0, result.stderr
    assert "2 records verified" in result.stdout and "checkpoints reached" in result.stdout, result.stdout
    # Without the file, the default places hold no keys: the same database cannot be checked.
    assert run("consent", "verify", "--db", "data/redline.sqlite").returncode == 2


def test_the_server_refuses_to_extend_a_cut_chain(site, serve, run, workdir, redline_bin):
    server = serve()
    record(server, site, 3)
    server.stop()
    with sqlite3.connect(workdir / "data" / "redline.sqlite") as db:
        db.execute("DELETE FROM consent_record WHERE sequence = 3")
    result = subprocess.run([str(redline_bin), "serve", "--site", "public", "--db", "data/redline.sqlite", "--port", str(free_port())],
                            cwd=workdir, capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert "records are missing" in result.stderr and len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_the_newest_checkpoint_is_published_signed_and_a_saved_copy_verifies(site, serve, run, workdir):
    server = serve(REDLINE_CHECKPOINT_INTERVAL_MS="100")
    assert request("GET", server.base + "/api/v1/consent/checkpoint")[0] == 404
    record(server, site, 4)
    deadline = time.monotonic() + 10
    while True:
        status, _, checkpoint = request("GET", server.base + "/api/v1/consent/checkpoint")
        if status == 200 and checkpoint["sequence"] == 4 or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert status == 200 and checkpoint["sequence"] == 4 and len(checkpoint["headHash"]) == 64
    status, _, keys = request("GET", server.base + "/.well-known/redline-receipt-keys")
    assert status == 200 and keys["keys"][0]["keyId"] == checkpoint["keyId"]
    # An auditor keeps the checkpoint and the keys away from the server.
    saved, saved_keys = workdir / "audit-checkpoint.json", workdir / "audit-keys.json"
    saved.write_text(json.dumps(checkpoint, indent=2))
    saved_keys.write_text(json.dumps(keys))
    server.stop()
    # The operator removes two records and the whole checkpoint log.
    (workdir / "data" / "redline.sqlite.checkpoints").unlink()
    assert run("consent", "verify", "--db", "data/redline.sqlite").returncode == 0
    with sqlite3.connect(workdir / "data" / "redline.sqlite") as db:
        db.execute("DELETE FROM consent_record WHERE sequence > 2")
    result = run("consent", "verify", "--db", "data/redline.sqlite", "--keys", str(saved_keys), "--checkpoints", str(saved))
    assert result.returncode == 1 and "cut from the end" in result.stderr, result.stderr


def test_moving_a_record_to_another_subject_fails_verify(site, serve, run, workdir):
    server = serve()
    record(server, site, 3, "move")
    server.stop()
    with sqlite3.connect(workdir / "data" / "redline.sqlite") as db:
        db.execute("UPDATE consent_record SET subject = 'move-2' WHERE sequence = 1")
    result = run("consent", "verify", "--db", "data/redline.sqlite")
    assert result.returncode == 1
    assert "record 1" in result.stderr and "moved to another subject" in result.stderr, result.stderr


def test_a_receipt_proves_its_record_and_fails_once_the_record_changes(site, serve, run, workdir):
    server = serve()
    receipts = record(server, site, 3, "receipt")
    assert [r["sequence"] for r in receipts] == [1, 2, 3]
    status, _, keys = request("GET", server.base + "/.well-known/redline-receipt-keys")
    assert all(r["keyId"] == keys["keys"][-1]["keyId"] for r in receipts)
    server.stop()
    path = workdir / "receipt.json"
    path.write_text(json.dumps(receipts[1]))
    result = run("consent", "verify", "--db", "data/redline.sqlite", "--receipt", str(path))
    assert result.returncode == 0, result.stderr
    assert "is record 2 of the chain, unchanged" in result.stdout

    forged = dict(receipts[1], entryHash=receipts[2]["entryHash"])
    path.write_text(json.dumps(forged))
    assert run("consent", "verify", "--db", "data/redline.sqlite", "--receipt", str(path)).returncode == 1


def test_rotating_the_key_keeps_old_records_verifiable_and_publishes_both_keys(site, serve, run, workdir):
    server = serve()
    record(server, site, 2, "before")
    server.stop()
    rotated = run("consent", "rotate-key", "--db", "data/redline.sqlite")
    assert rotated.returncode == 0, rotated.stderr
    server = serve()
    after = record(server, site, 2, "after")
    status, _, keys = request("GET", server.base + "/.well-known/redline-receipt-keys")
    assert len(keys["keys"]) == 2 and keys["keys"][0]["validUntil"] == keys["keys"][1]["validFrom"]
    assert after[0]["keyId"] == keys["keys"][1]["keyId"]
    server.stop()
    result = run("consent", "verify", "--db", "data/redline.sqlite")
    assert result.returncode == 0, result.stderr
    assert "4 records verified" in result.stdout


def test_the_receipt_key_can_live_outside_the_database_folder_but_never_under_the_site(site, serve, run, workdir, redline_bin):
    keys = workdir / "keys"
    server = serve(REDLINE_RECEIPT_KEY=str(keys / "receipt.key"))
    record(server, site, 1)
    server.stop()
    assert (keys / "receipt.key").exists() and (keys / "receipt.key.pub").exists()
    assert not (workdir / "data" / "redline.sqlite.receipt-key").exists()
    assert run("consent", "verify", "--db", "data/redline.sqlite", "--receipt-key", "keys/receipt.key").returncode == 0
    result = subprocess.run([str(redline_bin), "serve", "--receipt-key", "public/receipt.key", "--port", str(free_port())],
                            cwd=workdir, capture_output=True, text=True, timeout=30)
    assert result.returncode == 1 and "inside the site folder" in result.stderr, result.stderr
    assert not (workdir / "public" / "receipt.key").exists()


def test_verify_is_read_only_and_says_when_a_file_is_not_a_store(site, serve, run, workdir):
    server = serve()
    record(server, site, 2)
    server.stop()
    audit = workdir / "audit"
    audit.mkdir()

    def backup(name: str) -> None:
        # As an auditor would receive it: one consistent file (SQLite's backup API), WAL folded in.
        with sqlite3.connect(workdir / "data" / "redline.sqlite") as source, sqlite3.connect(audit / name) as copy:
            source.backup(copy)
        copy.close()

    backup("copy.sqlite")
    audit.chmod(0o555)
    try:
        before = sorted(os.listdir(audit))
        result = run("consent", "verify", "--db", "audit/copy.sqlite", "--receipt-key", "data/redline.sqlite.receipt-key",
                     "--checkpoints", "data/redline.sqlite.checkpoints")
        assert result.returncode == 0, result.stderr
        assert sorted(os.listdir(audit)) == before
    finally:
        audit.chmod(0o755)
    backup("lonely.sqlite")
    result = run("consent", "verify", "--db", "audit/lonely.sqlite")
    assert result.returncode == 2 and "no receipt keys" in result.stderr
    assert sorted(os.listdir(audit)) == ["copy.sqlite", "lonely.sqlite"], "verify created a key or a file"

    (workdir / "notes.txt").write_text("meeting notes, not a database\n" * 20)
    result = run("consent", "verify", "--db", "notes.txt", "--public-key", "A" * 43 + "=")
    assert result.returncode == 2 and "is not a Redline consent store" in result.stderr, result.stderr
    sqlite3.connect(workdir / "other.sqlite").execute("CREATE TABLE t (x)").connection.commit()
    result = run("consent", "verify", "--db", "other.sqlite", "--public-key", "A" * 43 + "=")
    assert result.returncode == 2 and "is not a Redline consent store" in result.stderr, result.stderr
