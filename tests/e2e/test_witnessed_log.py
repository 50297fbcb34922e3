"""The consent log as a witnessed transparency log, tried with real components: two `redline witness`
processes on loopback ports, a real `redline serve` that has them cosign its checkpoints, an operator who
rewrites, cuts or forks the log with the receipt key in hand, and an auditor who keeps what the server
published. What is promised:

- a receipt's tlog-proof verifies with nothing but the log's key and the witnesses' keys, both with
  scripts/verify-receipt.py and with `redline consent verify --receipt` run without any database;
  one flipped byte of its record makes both refuse it;
- a witness never cosigns a log that does not extend what it cosigned: a rewritten, forked or cut log is
  refused and the log's own signed checkpoint is kept as evidence; `consent verify` catches the
  rewrite with the witnesses' keys or with the checkpoints an auditor saved;
- witnesses that are down or answer garbage never hold back a consent, and what they answer is never
  counted as a cosignature;
- the witness refuses malformed, unknown and wrongly signed submissions without touching its state,
  and its state survives a restart.

Every checkpoint and note is checked here with tlog.py, written from the specifications apart from
Redline's code. Nothing waits for a fixed time: every wait polls for the state it needs, with limits
generous enough that only a hung process reaches them.
"""
import base64
import hashlib
import http.server
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

import processes
import tlog
from conftest import ROOT, free_port
from helpers import request
from test_trust import record

SCRIPT = ROOT / "scripts" / "verify-receipt.py"
ORIGIN = "legal.parcelbird.example/consent"  # the sample site's log, as `redline serve` names it
TEXT = {"Content-Type": "text/plain; charset=utf-8"}
LIMIT = 300.0  # seconds: only a hung process reaches it; a busy machine is merely slow


def wait_for(what: str, predicate, limit: float = LIMIT):
    """Polls `predicate` until it returns something truthy, and returns that; fails naming `what` if
    it never does within `limit` seconds (a limit that only a hung process reaches)."""
    deadline = time.monotonic() + limit
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"still waiting after {limit:.0f} s for {what}")
        time.sleep(0.1)


def canonical(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def cosigners(signed: str, witness_vkeys: list[str]) -> list[str]:
    """The names of the witnesses whose cosignature on the signed note verifies (tlog.py's check)."""
    note = tlog.Note.parse(signed)
    keys = [tlog.VerifierKey.parse(vkey) for vkey in witness_vkeys]
    return [key.name for key in keys if any(tlog.verify_signature(note.text, line, key) for line in note.signatures)]


def signed_by_log(signed: str, log_vkey: str) -> bool:
    note = tlog.Note.parse(signed)
    key = tlog.VerifierKey.parse(log_vkey)
    return any(tlog.verify_signature(note.text, line, key) for line in note.signatures)


def checkpoint_of(signed: str) -> tlog.Checkpoint:
    return tlog.Checkpoint.parse(tlog.Note.parse(signed).text)


class Witness:
    """`redline witness` as a child process on a loopback port of its own, kept across restarts; its key,
    state and evidence files in `folder`."""

    def __init__(self, redline_bin: Path, folder: Path, name: str, logs: list[str]):
        self.redline_bin, self.folder, self.logs = redline_bin, folder, logs
        self.name = f"{name}.example/witness"
        self.key = folder / f"{name}.key"
        self.state = folder / f"{name}.key.state"  # the default: KEY.state
        self.evidence = folder / f"{name}.key.state.evidence"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = folder / f"witness-{name}.log"
        self.process: subprocess.Popen | None = None
        printed = subprocess.run([str(redline_bin), "witness", "--key", str(self.key), "--name", self.name, "--print-key"],
                                 cwd=folder, capture_output=True, text=True, timeout=120)
        assert printed.returncode == 0, printed.stderr
        self.vkey = printed.stdout.strip()
        assert tlog.VerifierKey.parse(self.vkey).key_type == tlog.COSIGNATURE_KEY, self.vkey
        assert (folder / f"{name}.key.vkey").read_text().strip() == self.vkey

    def start(self) -> "Witness":
        args = [str(self.redline_bin), "witness", "--key", str(self.key), "--name", self.name, "--host", "127.0.0.1",
                "--port", str(self.port)]
        for vkey in self.logs:
            args += ["--log", vkey]
        self.process = processes.spawn(args, cwd=self.folder, env={**os.environ, "NO_COLOR": "1"},
                                       stdout=self.log.open("a"), stderr=subprocess.STDOUT)

        def answers():
            if self.process.poll() is not None:
                raise RuntimeError(f"redline witness exited: {self.log.read_text()}")
            try:
                return request("GET", self.url + "/key", timeout=5)[0] == 200
            except OSError:
                return False
        wait_for(f"redline witness {self.name} to answer GET /key", answers)
        return self

    def stop(self) -> None:
        if self.process:
            processes.stop(self.process)

    def add_checkpoint(self, body: str):
        """POST /add-checkpoint: (status, headers, the answer's text as sent; "3\n" stays a string)."""
        req = urllib.request.Request(self.url + "/add-checkpoint", data=body.encode(), method="POST", headers=TEXT)
        try:
            with urllib.request.urlopen(req, timeout=120) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def head(self, origin: str = ORIGIN) -> dict | None:
        """What the witness last cosigned for the log, from its state file."""
        if not self.state.exists():
            return None
        return json.loads(self.state.read_text())["logs"].get(origin)

    def refused(self) -> list[tuple[str, str]]:
        """The evidence file's entries: (the `# <time> <reason>` line, the signed checkpoint refused)."""
        if not self.evidence.exists():
            return []
        entries = []
        for chunk in re.split(r"^(?=# )", self.evidence.read_text(), flags=re.MULTILINE):
            if chunk:
                reason, _, note = chunk.partition("\n")
                entries.append((reason, note[:-1] if note.endswith("\n\n") else note))
        return entries


@pytest.fixture
def site(run, workdir):
    result = run("build", "--now", "2026-11-21")
    assert result.returncode == 0, result.stderr
    return json.loads((workdir / "public" / "manifest.json").read_text())


@pytest.fixture
def log_key(site, serve, run, workdir) -> str:
    """The log's vkey, as an operator sets witnesses up: a first start of the server creates the receipt
    key; its published key and `redline consent log-key` agree."""
    server = serve()
    status, _, published = request("GET", server.base + "/api/v1/log/key")
    server.stop()
    assert status == 200, published
    printed = run("consent", "log-key", "--db", "data/redline.sqlite", "--site", "public")
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout.strip() == published.strip()
    key = tlog.VerifierKey.parse(published.strip())
    assert key.name == ORIGIN and key.key_type == tlog.NOTE_KEY
    return published.strip()


@pytest.fixture
def witnesses(redline_bin, workdir, log_key):
    """Two real witnesses of the log, started; every one made is stopped at the end of the test."""
    folder = workdir / "witnesses"
    folder.mkdir()
    made: list[Witness] = []

    def _witness(name: str, logs: list[str] | None = None) -> Witness:
        witness = Witness(redline_bin, folder, name, logs or [log_key])
        made.append(witness)
        return witness

    pair = [_witness("w1").start(), _witness("w2").start()]
    yield pair
    for witness in made:
        witness.stop()


def witnessed(serve, witnesses: list[Witness], **env: str):
    """`redline serve` with these witnesses, checkpointing every 300 ms."""
    return serve(REDLINE_CHECKPOINT_INTERVAL_MS="300", REDLINE_WITNESSES=",".join(w.url for w in witnesses),
                 REDLINE_WITNESS_KEYS=",".join(w.vkey for w in witnesses), **env)


def cosigned_checkpoint(server, size: int, witness_vkeys: list[str]) -> str:
    """Polls GET /api/v1/log/checkpoint until it is of `size` records and cosigned by every one of the
    witness keys (checked here, with tlog.py); returns it as published."""
    def ready():
        status, _, body = request("GET", server.base + "/api/v1/log/checkpoint")
        if status == 200 and checkpoint_of(body).size == size and len(cosigners(body, witness_vkeys)) == len(witness_vkeys):
            return body
        return None
    return wait_for(f"a checkpoint of size {size} cosigned by {len(witness_vkeys)} witnesses", ready)


def cosigned_proof(server, receipt_id: str, witness_vkeys: list[str], quorum: int) -> str:
    """Polls the receipt's proof until it is served and its checkpoint carries `quorum` cosignatures."""
    def ready():
        status, _, body = request("GET", server.base + f"/api/v1/consent/receipts/{receipt_id}/proof")
        if status == 200 and len(cosigners(str(tlog.TlogProof.parse(body).checkpoint), witness_vkeys)) >= quorum:
            return body
        return None
    return wait_for(f"a proof of receipt {receipt_id} cosigned by {quorum} witnesses", ready)


def receipt_seed(workdir: Path) -> bytes:
    seed = base64.b64decode((workdir / "data" / "redline.sqlite.receipt-key").read_text().strip(), validate=True)
    assert len(seed) == 32
    return seed


def log_signer(workdir: Path) -> tlog.Signer:
    """The operator's hand on the receipt key: a note signer for the log's origin."""
    return tlog.Signer(ORIGIN, tlog.NOTE_KEY, Ed25519PrivateKey.from_private_bytes(receipt_seed(workdir)))


def remove_checkpoint_files(workdir: Path) -> None:
    """What an operator removes so that the server starts on a changed log: every checkpoint it kept."""
    for suffix in (".checkpoints", ".checkpoints.head", ".checkpoints.notes"):
        (workdir / "data" / f"redline.sqlite{suffix}").unlink(missing_ok=True)


def verify_cli(redline_bin: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(redline_bin), "consent", "verify", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "NO_COLOR": "1"}, timeout=900)


def verify_script(proof: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), str(proof), *args], capture_output=True, text=True, timeout=120)


# MARK: Receipts

def test_a_receipt_proof_verifies_offline_and_one_flipped_byte_of_its_record_fails(site, serve, witnesses, redline_bin, workdir):
    """A receipt's tlog-proof, cosigned by both witnesses, verifies with the published log key and the
    two witness keys alone (verify-receipt.py with quorum 2, and `consent verify --receipt` from a folder
    holding nothing); the same proof with one byte of its record flipped fails both. An unknown receipt
    id is a 404 in JSON."""
    server = witnessed(serve, witnesses)
    receipts = record(server, site, 3, "proof")
    vkeys = [w.vkey for w in witnesses]
    status, _, log_vkey = request("GET", server.base + "/api/v1/log/key")
    assert status == 200
    log_vkey = log_vkey.strip()

    receipt = receipts[1]
    text = cosigned_proof(server, receipt["receiptId"], vkeys, 2)
    proof = tlog.TlogProof.parse(text)
    leaf = json.loads(proof.extra)
    assert proof.index == 1 and leaf["recordId"] == receipt["receiptId"] and leaf["sequence"] == 2
    assert hashlib.sha256(proof.extra).hexdigest() == receipt["entryHash"]
    assert signed_by_log(str(proof.checkpoint), log_vkey)
    checkpoint = checkpoint_of(str(proof.checkpoint))
    assert tlog.verify_inclusion(proof.index, checkpoint.size, tlog.leaf_hash(proof.extra), proof.hashes, checkpoint.root)

    empty = workdir / "auditor"
    empty.mkdir()
    path = empty / "receipt.tlog-proof"
    path.write_text(text)
    script = verify_script(path, "--log-key", log_vkey, "--witness-key", vkeys[0], "--witness-key", vkeys[1], "--quorum", "2")
    assert script.returncode == 0, script.stderr
    assert "cosigned by 2 of 2 witnesses" in script.stdout and receipt["receiptId"] in script.stdout, script.stdout
    cli = verify_cli(redline_bin, empty, "--receipt", path.name, "--public-key", log_vkey,
                     "--witness-key", vkeys[0], "--witness-key", vkeys[1])
    assert cli.returncode == 0, cli.stderr
    assert receipt["receiptId"] in cli.stdout and "(2 of 2)" in cli.stdout, cli.stdout
    assert sorted(p.name for p in empty.iterdir()) == ["receipt.tlog-proof"], "verify wrote beside the receipt"

    # One byte of the record flipped: the first hex digit of its personalDigest, still valid JSON.
    at = proof.extra.index(b'"personalDigest":"') + len(b'"personalDigest":"')
    flipped = proof.extra[:at] + bytes([proof.extra[at] ^ 0x01]) + proof.extra[at + 1:]
    assert len(flipped) == len(proof.extra) and sum(a != b for a, b in zip(flipped, proof.extra)) == 1
    forged = empty / "flipped.tlog-proof"
    forged.write_text(str(tlog.TlogProof(proof.index, proof.hashes, proof.checkpoint, flipped)))
    script = verify_script(forged, "--log-key", log_vkey, "--witness-key", vkeys[0], "--witness-key", vkeys[1], "--quorum", "2")
    assert script.returncode == 1 and script.stderr.startswith("FAIL: "), (script.stdout, script.stderr)
    assert "does not lead to the root" in script.stderr, script.stderr
    cli = verify_cli(redline_bin, empty, "--receipt", forged.name, "--public-key", log_vkey,
                     "--witness-key", vkeys[0], "--witness-key", vkeys[1])
    assert cli.returncode == 1, (cli.stdout, cli.stderr)
    assert "does not verify" in cli.stderr and "inclusion proof" in cli.stderr, cli.stderr

    status, headers, body = request("GET", server.base + "/api/v1/consent/receipts/no-such-receipt/proof")
    assert status == 404 and headers["Content-Type"].startswith("application/json"), body
    assert body["error"]["code"] == "not_found", body


# MARK: A rewritten history

def rewrite(db: Path, seed: bytes, sequence: int, change) -> None:
    """As the operator holding the receipt key would: applies `change` to record `sequence`'s evidence,
    then recomputes every later record's previousHash, entryHash and signature, so the chain is whole.
    The records before it are recomputed too, and must come out byte for byte as the server stored them:
    this is how the server hashes and signs."""
    key = Ed25519PrivateKey.from_private_bytes(seed)
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT sequence, evidence_json, entry_hash, signature FROM consent_record ORDER BY sequence").fetchall()
        previous = "0" * 64
        for number, stored, entry_hash, signature in rows:
            evidence = json.loads(stored)
            assert canonical(evidence) == stored, "the stored evidence is not canonical JSON as assumed"
            if number == sequence:
                change(evidence)
            evidence["previousHash"] = previous
            text = canonical(evidence)
            digest = hashlib.sha256(text.encode()).hexdigest()
            signed = base64.b64encode(key.sign(bytes.fromhex(digest))).decode()
            if number < sequence:
                assert (text, digest, signed) == (stored, entry_hash, signature), f"record {number} is not hashed or signed as assumed"
            connection.execute("UPDATE consent_record SET evidence_json = ?, entry_hash = ?, signature = ? WHERE sequence = ?",
                               (text, digest, signed, number))
            previous = digest
    connection.close()


def test_a_log_rewritten_and_re_signed_is_never_cosigned_and_verify_names_the_change(site, serve, witnesses, run, workdir, log_key):
    """The attack the README admits: whoever holds the database and the receipt key rewrites record 2 and
    re-signs every later record, and removes the checkpoint files so the server starts. The chain alone
    then verifies. But the witnesses refuse to cosign the rewritten log (their state keeps the old size
    and root) and keep the forged checkpoint, signed by the log's own key, as evidence; `consent verify`
    with the witnesses' keys fails, and with the checkpoints an auditor saved it names the first range
    of records that changed. The server answers consents throughout."""
    vkeys = [w.vkey for w in witnesses]
    server = witnessed(serve, witnesses)
    record(server, site, 1, "early")
    saved1 = workdir / "auditor-1.checkpoint"
    saved1.write_text(cosigned_checkpoint(server, 1, vkeys))
    record(server, site, 2, "later")
    saved2 = workdir / "auditor-3.checkpoint"
    saved2.write_text(cosigned_checkpoint(server, 3, vkeys))
    server.stop()
    honest = [w.head() for w in witnesses]
    assert all(head["size"] == 3 and base64.b64decode(head["root"]) == checkpoint_of(saved2.read_text()).root for head in honest), honest

    def deny_analytics(evidence: dict) -> None:
        assert "analytics" in evidence["granted"], evidence
        evidence["granted"] = [c for c in evidence["granted"] if c != "analytics"]
        evidence["denied"] = sorted(set(evidence["denied"]) | {"analytics"})

    rewrite(workdir / "data" / "redline.sqlite", receipt_seed(workdir), 2, deny_analytics)
    remove_checkpoint_files(workdir)
    alone = run("consent", "verify", "--db", "data/redline.sqlite")
    assert alone.returncode == 0, ("the forgery is not self-consistent, so this test proves nothing", alone.stderr)

    server = witnessed(serve, witnesses)
    # The restarted server checkpoints the rewritten log at the size the witnesses cosigned, then beyond.
    wait_for("the rewritten log's first checkpoint", lambda: request("GET", server.base + "/api/v1/log/checkpoint")[0] == 200)
    record(server, site, 2, "after")

    def newest_of_size_5():
        status, _, body = request("GET", server.base + "/api/v1/log/checkpoint")
        return body if status == 200 and checkpoint_of(body).size == 5 else None
    forged = wait_for("the rewritten log's checkpoint of size 5", newest_of_size_5)
    assert signed_by_log(forged, log_key), forged
    forged_body = tlog.Note.parse(forged).text

    for witness in witnesses:
        wait_for(f"{witness.name} to refuse the rewritten log's checkpoint of size 5",
                 lambda: any(tlog.Note.parse(note).text == forged_body for _, note in witness.refused()))
    record(server, site, 1, "still-answered")
    for witness, head in zip(witnesses, honest):
        assert witness.head() == head, "a witness moved on to the rewritten log"
        entries = witness.refused()
        assert all(signed_by_log(note, log_key) for _, note in entries), entries
        assert any("rewritten" in reason or "split view" in reason for reason, _ in entries), entries
    status, _, newest = request("GET", server.base + "/api/v1/log/checkpoint")
    assert status == 200 and cosigners(newest, vkeys) == [], "the rewritten log carries a cosignature"
    server.stop()
    notes = (workdir / "data" / "redline.sqlite.checkpoints.notes").read_text()
    assert not any(w.name in notes for w in witnesses), "a cosignature of the rewritten log was recorded"

    with_witnesses = run("consent", "verify", "--db", "data/redline.sqlite", "--witness-key", vkeys[0], "--witness-key", vkeys[1])
    assert with_witnesses.returncode == 1, (with_witnesses.stdout, with_witnesses.stderr)
    assert "cosigned by 2" in with_witnesses.stderr, with_witnesses.stderr

    audited = run("consent", "verify", "--db", "data/redline.sqlite", "--checkpoint", str(saved1), "--checkpoint", str(saved2))
    assert audited.returncode == 1, (audited.stdout, audited.stderr)
    assert "the checkpoint of size 3" in audited.stderr and "a record among 2–3 was changed" in audited.stderr, audited.stderr


# MARK: A split view

def test_a_second_root_for_a_cosigned_size_is_refused_as_a_split_view(site, serve, witnesses, redline_bin, workdir, log_key):
    """The operator signs, with the receipt key, a second checkpoint for a size the witnesses cosigned, with
    another root: a witness answers 409 and keeps it as evidence of a split view, its state unchanged;
    `consent verify` given the real and the forged checkpoint fails naming a split view, while two real
    checkpoints with the server's consistency proof verify."""
    vkeys = [w.vkey for w in witnesses]
    server = witnessed(serve, witnesses)
    record(server, site, 3, "split")
    early = workdir / "real-3.checkpoint"
    early.write_text(cosigned_checkpoint(server, 3, vkeys))
    record(server, site, 2, "split-more")
    real = workdir / "real-5.checkpoint"
    real.write_text(cosigned_checkpoint(server, 5, vkeys))
    status, _, consistency = request("GET", server.base + "/api/v1/log/consistency?old=3&size=5")
    assert status == 200, consistency
    (workdir / "3-5.proof").write_text(consistency)
    server.stop()

    signer = log_signer(workdir)
    assert signer.vkey == log_key, "the receipt key file does not hold the log's key"
    other_root = tlog.tree_hash([f"forged-{i}".encode() for i in range(5)])
    forged_note = tlog.Note(tlog.Checkpoint(ORIGIN, 5, other_root).text).signed_by(signer)
    forged = workdir / "forged-5.checkpoint"
    forged.write_text(str(forged_note))

    witness = witnesses[0]
    before = witness.state.read_bytes()
    status, _, answer = witness.add_checkpoint("old 5\n\n" + str(forged_note))
    assert status == 409, answer
    assert witness.state.read_bytes() == before
    entries = witness.refused()
    assert len(entries) == 1 and "split view" in entries[0][0], entries
    assert tlog.Note.parse(entries[0][1]).text == forged_note.text and signed_by_log(entries[0][1], log_key)

    offline = workdir / "offline"
    offline.mkdir()
    good = verify_cli(redline_bin, offline, "--checkpoint", str(early), "--checkpoint", str(real), "--proof", str(workdir / "3-5.proof"),
                      "--public-key", log_key, "--witness-key", vkeys[0], "--witness-key", vkeys[1])
    assert good.returncode == 0, good.stderr
    split = verify_cli(redline_bin, offline, "--checkpoint", str(real), "--checkpoint", str(forged), "--public-key", log_key)
    assert split.returncode == 1, (split.stdout, split.stderr)
    assert "split view" in split.stderr, split.stderr


# MARK: A cut log

def test_a_log_cut_at_the_end_is_refused_by_the_witnesses_and_caught_by_verify(site, serve, witnesses, run, workdir, log_key):
    """The operator deletes the last records and the checkpoint files and restarts: the witnesses refuse
    the smaller checkpoint (409 with the size they cosigned) and keep it as evidence that the log was
    cut; `consent verify` with the witnesses' keys and the auditor's saved checkpoint says records were
    cut from the end."""
    vkeys = [w.vkey for w in witnesses]
    server = witnessed(serve, witnesses)
    record(server, site, 5, "cut")
    saved = workdir / "auditor-5.checkpoint"
    saved.write_text(cosigned_checkpoint(server, 5, vkeys))
    server.stop()
    honest = [w.head() for w in witnesses]

    with sqlite3.connect(workdir / "data" / "redline.sqlite") as db:
        db.execute("DELETE FROM consent_record WHERE sequence > 3")
    db.close()
    remove_checkpoint_files(workdir)
    server = witnessed(serve, witnesses)
    for witness in witnesses:
        wait_for(f"{witness.name} to keep the smaller checkpoint as evidence",
                 lambda: any("the log was cut" in reason for reason, _ in witness.refused()))
    status, _, smaller = request("GET", server.base + "/api/v1/log/checkpoint")
    assert status == 200 and checkpoint_of(smaller).size == 3 and signed_by_log(smaller, log_key), smaller
    # Offered by hand as the server offers it after a restart (from size 0): 409 with the size cosigned.
    status, headers, answer = witnesses[0].add_checkpoint("old 0\n\n" + smaller)
    assert status == 409 and headers["Content-Type"].startswith("text/x.tlog.size") and answer == "5\n", (status, answer)
    record(server, site, 1, "after-cut")
    server.stop()
    for witness, head in zip(witnesses, honest):
        assert witness.head() == head
        assert all(signed_by_log(note, log_key) for _, note in witness.refused())

    result = run("consent", "verify", "--db", "data/redline.sqlite", "--witness-key", vkeys[0], "--witness-key", vkeys[1],
                 "--checkpoint", str(saved))
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "records were cut from the end" in result.stderr, result.stderr


# MARK: Witnesses that fail

class GarbageWitness:
    """A witness that answers every submission 200 with garbage: a line of text and a cosignature line in
    its key's name that verifies against nothing. Until `release` is set, it holds each request open, as
    a hung witness would; `asked` is set once a submission arrived."""

    def __init__(self):
        self.signer = tlog.Signer("garbage.example/witness", tlog.COSIGNATURE_KEY)
        self.vkey = self.signer.vkey
        self.asked, self.release = threading.Event(), threading.Event()
        bogus = tlog.Signature(self.signer.name, self.signer.verifier.key_id, bytes(8) + os.urandom(64))
        answer = ("hello\n" + bogus.line + "\n").encode()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (the stdlib's name)
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                outer.asked.set()
                outer.release.wait(LIMIT)
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def garbage_witness():
    witness = GarbageWitness()
    yield witness
    witness.stop()


def test_a_witness_down_and_one_answering_garbage_hold_back_nothing_and_count_for_nothing(site, serve, witnesses, workdir,
                                                                                          garbage_witness, log_key):
    """With a witness that is down, one that hangs and then answers garbage, and one good witness at
    quorum 1: consents are answered 201 while a witness holds a submission unanswered, receipts get proofs
    cosigned by the good witness, and the garbage "cosignature" is neither kept nor counted."""
    good = witnesses[0]
    down_url, down_vkey = f"http://127.0.0.1:{free_port()}", tlog.Signer("down.example/witness", tlog.COSIGNATURE_KEY).vkey
    server = serve(REDLINE_CHECKPOINT_INTERVAL_MS="300", REDLINE_WITNESS_QUORUM="1",
                   REDLINE_WITNESSES=",".join([down_url, garbage_witness.url, good.url]),
                   REDLINE_WITNESS_KEYS=",".join([down_vkey, garbage_witness.vkey, good.vkey]))
    first = record(server, site, 1, "first")
    wait_for("the server to submit a checkpoint to the hanging witness", garbage_witness.asked.is_set)
    # A witness request hangs: consents are answered all the same.
    during = record(server, site, 3, "during")
    garbage_witness.release.set()

    all_keys = [down_vkey, garbage_witness.vkey, good.vkey]
    for receipt in first + during:
        text = cosigned_proof(server, receipt["receiptId"], [good.vkey], 1)
        signed = str(tlog.TlogProof.parse(text).checkpoint)
        assert cosigners(signed, all_keys) == [good.name], signed
        assert garbage_witness.signer.name not in signed, "the garbage cosignature was kept in the proof"
        path = workdir / f"{receipt['receiptId']}.tlog-proof"
        path.write_text(text)
        one = verify_script(path, "--log-key", log_key, "--witness-key", good.vkey, "--witness-key", garbage_witness.vkey, "--quorum", "1")
        assert one.returncode == 0 and "cosigned by 1 of 2 witnesses" in one.stdout, (one.stdout, one.stderr)
        two = verify_script(path, "--log-key", log_key, "--witness-key", good.vkey, "--witness-key", garbage_witness.vkey, "--quorum", "2")
        assert two.returncode == 1 and "only 1 of 2 witnesses cosigned" in two.stderr, (two.stdout, two.stderr)
    record(server, site, 1, "last")
    server.stop()
    notes = (workdir / "data" / "redline.sqlite.checkpoints.notes").read_text()
    assert good.name in notes and garbage_witness.signer.name not in notes


# MARK: The witness's own HTTP

def test_the_witness_refuses_bad_submissions_without_touching_its_state_and_keeps_it_across_a_restart(redline_bin, tmp_path):
    """`redline witness` over HTTP, fed by a log made here with tlog.py: a valid first checkpoint is
    cosigned (the cosignature verifies); a garbage body is 400, an old size above the checkpoint's 400,
    an unknown origin 404, a checkpoint signed by another key 403, a body over 70 KB a 4xx; none of them
    changes the state file or writes evidence. After a restart the witness still holds what it cosigned:
    a submission from an old size gets 409 with that size, one with a consistency proof is cosigned, and
    a rewritten log's valid-looking checkpoint is refused 422 and kept as evidence."""
    origin = "log.example/consent"
    log = tlog.Signer(origin)
    leaves = [f"entry-{i}".encode() for i in range(8)]

    def signed(size: int, signer: tlog.Signer = log, name: str = origin, entries: list[bytes] = leaves) -> str:
        return str(tlog.Note(tlog.Checkpoint(name, size, tlog.tree_hash(entries[:size])).text).signed_by(signer))

    witness = Witness(redline_bin, tmp_path, "solo", [log.vkey])
    try:
        witness.start()
        status, _, key = request("GET", witness.url + "/key")
        assert status == 200 and key.strip() == witness.vkey
        status, _, line = witness.add_checkpoint("old 0\n\n" + signed(3))
        assert status == 200, line
        cosigned = tlog.Note.parse(signed(3))
        cosigned.signatures.append(tlog.Signature.parse(line.strip()))
        assert cosigners(str(cosigned), [witness.vkey]) == [witness.name]
        state = witness.state.read_bytes()
        assert witness.head(origin)["size"] == 3

        refusals = {
            "garbage": ("hello", 400),
            "an old size above the checkpoint's": ("old 4\n\n" + signed(3), 400),
            "an unknown origin": ("old 3\n\n" + signed(4, tlog.Signer("unknown.example/log"), "unknown.example/log"), 404),
            "another key": ("old 3\n" + "".join(tlog.b64(h) + "\n" for h in tlog.consistency_proof(3, leaves[:4])) + "\n"
                            + signed(4, tlog.Signer(origin)), 403),
        }
        for what, (body, expected) in refusals.items():
            status, _, answer = witness.add_checkpoint(body)
            assert status == expected, (what, status, answer)
            assert witness.state.read_bytes() == state, f"{what} changed the state"
        huge = "old 3\n\n" + signed(4).replace("\n\n", "\n" + "x" * 72_000 + "\n\n", 1)
        try:
            status = witness.add_checkpoint(huge)[0]
        except OSError as error:  # the witness may close the connection once it refused the length
            status = f"connection closed: {error}"
        assert isinstance(status, int) and 400 <= status < 500, status
        assert witness.state.read_bytes() == state, "an oversized body changed the state"
        assert not witness.evidence.exists(), witness.evidence.read_text()
    finally:
        witness.stop()

    witness.start()
    try:
        assert witness.state.read_bytes() == state
        status, headers, answer = witness.add_checkpoint("old 0\n\n" + signed(5))
        assert status == 409 and headers["Content-Type"].startswith("text/x.tlog.size") and answer == "3\n", (status, answer)
        proof = "".join(tlog.b64(h) + "\n" for h in tlog.consistency_proof(3, leaves[:5]))
        status, _, line = witness.add_checkpoint("old 3\n" + proof + "\n" + signed(5))
        assert status == 200 and line.startswith("\u2014 " + witness.name + " "), (status, line)
        assert witness.head(origin)["size"] == 5
        rewritten = leaves[:2] + [b"rewritten"] + leaves[3:]
        proof = "".join(tlog.b64(h) + "\n" for h in tlog.consistency_proof(5, rewritten[:6]))
        status, _, answer = witness.add_checkpoint("old 5\n" + proof + "\n" + signed(6, entries=rewritten))
        assert status == 422, (status, answer)
        assert witness.head(origin)["size"] == 5
        entries = witness.refused()
        assert len(entries) == 1 and "rewritten" in entries[0][0], entries
    finally:
        witness.stop()


def test_the_witness_persists_what_it_cosigns_before_it_answers(redline_bin, tmp_path):
    """strace shows, for every cosignature, the new state written to a file beside the state file,
    fsync'd, and renamed over it before the 200 goes out: a crash after the answer cannot roll the
    witness back to a size it already vouched beyond."""
    origin = "log.example/consent"
    log = tlog.Signer(origin)
    leaves = [f"entry-{i}".encode() for i in range(6)]
    witness = Witness(redline_bin, tmp_path, "traced", [log.vkey])
    trace = tmp_path / "strace.log"
    args = ["strace", "-f", "-qq", "-y", "-s", "60", "-o", str(trace), "-e", "signal=none",
            "-e", "trace=write,writev,sendmsg,sendto,fsync,fdatasync,rename,renameat,renameat2",
            str(redline_bin), "witness", "--key", str(witness.key), "--name", witness.name, "--host", "127.0.0.1",
            "--port", str(witness.port), "--log", log.vkey]
    witness.process = processes.spawn(args, cwd=tmp_path, env={**os.environ, "NO_COLOR": "1"},
                                      stdout=witness.log.open("a"), stderr=subprocess.STDOUT)
    try:
        wait_for("the traced witness to answer", lambda: _answers(witness.url))
        old = 0
        for size in (2, 4, 6):
            proof = "".join(tlog.b64(h) + "\n" for h in tlog.consistency_proof(old, leaves[:size])) if old else ""
            note = str(tlog.Note(tlog.Checkpoint(origin, size, tlog.tree_hash(leaves[:size])).text).signed_by(log))
            status, _, line = witness.add_checkpoint(f"old {old}\n{proof}\n{note}")
            assert status == 200, line
            old = size
    finally:
        # SIGTERM to strace would only detach it; stop the traced witness itself.
        for child in Path(f"/proc/{witness.process.pid}/task/{witness.process.pid}/children").read_text().split():
            os.kill(int(child), signal.SIGTERM)
        processes.stop(witness.process)

    answered = 0
    synced = renamed = False
    for line in trace.read_text().splitlines():
        if re.search(r"fsync\(\d+<[^>]*\.traced\.key\.state\.tmp-\d+>\) = 0", line):
            synced, renamed = True, False
        elif synced and re.search(r"rename(at2?)?\(.*\.traced\.key\.state\.tmp-\d+.*traced\.key\.state\"", line):
            renamed = True
        elif "HTTP/1.1 200" in line and "\\342\\200\\224" in line:
            # An answer carrying a cosignature line (it starts with an em dash), not GET /key's.
            assert synced and renamed, f"a cosignature went out before its state was synced and renamed into place: {line}"
            synced = renamed = False
            answered += 1
    assert answered == 3, trace.read_text()[-3000:]
    assert witness.head(origin)["size"] == 6


def _answers(url: str) -> bool:
    try:
        return request("GET", url + "/key", timeout=5)[0] == 200
    except OSError:
        return False
