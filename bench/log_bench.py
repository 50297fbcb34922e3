#!/usr/bin/env python3
"""make bench-log: what the witnessed consent log (RFC 6962 Merkle tree, C2SP checkpoints, witnesses)
costs, each figure against a peer measured in the same run (the machine is shared: compare ratios).

1. Consent writes with the log on: `redline serve` signing a checkpoint every second
   (REDLINE_CHECKPOINT_INTERVAL_MS=1000) and having two local `redline witness` processes cosign each
   one, against the same binary and site with checkpoints effectively off (3,600,000 ms, no witnesses).
   Both servers run side by side on their own fresh SQLite databases, both at `--log-level debug`
   (the same logging cost), and wrk drives one at a time, alternating A B A B …, --rounds rounds of
   --duration seconds each, with consent_bench.py's POST script (every request a new subject, so
   every request writes a record). Medians of the rounds and their ratio (target >= 0.9).
2. Checkpoint-to-cosignature latency: the `took=` of every `log checkpoint cosigned` debug line
   server A wrote during its measured rounds (median and max), with the count of checkpoints signed.
3. At 10^6 records: a database the server created with one real consent, then 999,999 synthetic rows
   inserted by Python's sqlite3, each `evidence_json` that record with its own recordId, sequence and
   previousHash (the tree reads nothing else; offline verification reads the leaf as a consent record);
   a C2SP checkpoint over the whole tree signed here with the receipt key (tests/e2e/tlog.py, written
   from the specifications) and cosigned by two witness keys made here, appended to DB.checkpoints.notes.
   Then `redline consent prove --db DB --index 123456` (the whole command: it reads every row and builds
   the tree), beside Python reading the same rows and tlog.py hashing the same tree; the proof checked
   against tlog.py's, its size and hash count; and its offline verification, `redline consent verify
   --receipt` and scripts/verify-receipt.py, interleaved with their process-start peers (`redline
   --version`, `python3 -c pass`, and python3 importing `cryptography`'s Ed25519), so the verify cost is
   shown net of starting the process.
"""
import argparse
import base64
import hashlib
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
from consent_bench import POST_SCRIPT, free_port, sample_site, wait_for, wrk  # noqa: E402  (the consent bench's wrk and POST script)
import tlog  # noqa: E402  (the end-to-end suite's spec primitives)
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

BIG = 1_000_000
PROVE_INDEX = 123_456
TOOK = re.compile(r"log checkpoint cosigned cosignatures=(\d+) size=(\d+) took=([\d.e-]+) seconds")
SIGNED = re.compile(r"log checkpoint signed size=(\d+)")


def spawn(args: list[str], log: Path | None = None, env: dict | None = None, cwd: Path | None = None) -> subprocess.Popen:
    out = log.open("ab") if log else subprocess.DEVNULL
    return subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd, start_new_session=True)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def serve_args(redline: str, work: Path, db: Path, port: int) -> list[str]:
    return [redline, "serve", "--site", str(work / "public"), "--db", str(db), "--port", str(port),
            "--templates", str(ROOT / "templates"), "--log-level", "debug"]


def first_run(redline: str, work: Path, db: Path) -> str:
    """Starts and stops a server on a fresh database, so that its schema and receipt key exist; the log's vkey."""
    db.parent.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = spawn(serve_args(redline, work, db, port), work / f"{db.parent.name}-first.log",
                   {**os.environ, "REDLINE_RATE_LIMIT": "0"}, work)
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")
    finally:
        stop(server)
    return subprocess.run([redline, "consent", "log-key", "--db", str(db), "--site", str(work / "public")],
                          capture_output=True, text=True, check=True).stdout.strip()


def witness(redline: str, work: Path, name: str, log_vkey: str) -> tuple[subprocess.Popen, str, str]:
    key = work / f"{name}.key"
    vkey = subprocess.run([redline, "witness", "--key", str(key), "--name", f"{name}.example/witness", "--print-key"],
                          capture_output=True, text=True, check=True, cwd=work).stdout.strip()
    port = free_port()
    process = spawn([redline, "witness", "--key", str(key), "--name", f"{name}.example/witness", "--log", log_vkey,
                     "--host", "127.0.0.1", "--port", str(port)], work / f"{name}.log", None, work)
    wait_for(f"http://127.0.0.1:{port}/key")
    return process, f"http://127.0.0.1:{port}", vkey


# 1 and 2: writes with the log and two witnesses against writes without, alternating.

def throughput(args, work: Path, script: Path) -> dict:
    db_a, db_b = work / "a" / "redline.sqlite", work / "b" / "redline.sqlite"
    log_vkey = first_run(args.redline, work, db_a)
    first_run(args.redline, work, db_b)
    processes = []
    try:
        witness_urls, witness_vkeys = [], []
        for name in ("w1", "w2"):
            process, url, vkey = witness(args.redline, work, name, log_vkey)
            processes.append(process)
            witness_urls.append(url)
            witness_vkeys.append(vkey)
        port_a, port_b = free_port(), free_port()
        log_a, log_b = work / "a.log", work / "b.log"
        env = {**os.environ, "REDLINE_RATE_LIMIT": "0"}
        command_a = serve_args(args.redline, work, db_a, port_a)
        for url, vkey in zip(witness_urls, witness_vkeys):
            command_a += ["--witness", url, "--witness-key", vkey]
        processes.append(spawn(command_a, log_a, {**env, "REDLINE_CHECKPOINT_INTERVAL_MS": "1000"}, work))
        processes.append(spawn(serve_args(args.redline, work, db_b, port_b), log_b,
                               {**env, "REDLINE_CHECKPOINT_INTERVAL_MS": "3600000"}, work))
        base_a, base_b = f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"
        wait_for(base_a + "/healthz")
        wait_for(base_b + "/healthz")
        for base in (base_a, base_b):  # warm-up
            wrk(base, "/api/v1/consent", args.connections, 3, script)
        time.sleep(1.5)  # let the warm-up's checkpoint be cosigned before the measured window opens
        start_a, start_b = log_a.stat().st_size, log_b.stat().st_size
        runs = {"log": [], "plain": []}
        for number in range(args.rounds):
            sides = [("log", base_a), ("plain", base_b)]
            if args.order == "abba" and number % 2:
                sides.reverse()
            for name, base in sides:
                runs[name].append(wrk(base, "/api/v1/consent", args.connections, args.duration, script))
            print(f"round {number + 1}: log + 2 witnesses {runs['log'][-1]['rps']:.0f} req/s p99 {runs['log'][-1]['p99']:.1f} ms; "
                  f"checkpoints off {runs['plain'][-1]['rps']:.0f} req/s p99 {runs['plain'][-1]['p99']:.1f} ms", flush=True)
        end_a, end_b = log_a.stat().st_size, log_b.stat().st_size
        time.sleep(2.5)  # the last checkpoint's cosignatures
        with urllib.request.urlopen(base_a + "/api/v1/log/checkpoint", timeout=30) as response:
            newest = response.read().decode()
    finally:
        for process in reversed(processes):
            stop(process)
    with log_a.open("rb") as file:
        file.seek(start_a)
        window = file.read(end_a - start_a).decode(errors="replace")
    with log_b.open("rb") as file:
        file.seek(start_b)
        plain_window = file.read(end_b - start_b).decode(errors="replace")
    cosigned = [(int(c), int(s), float(t)) for c, s, t in TOOK.findall(window)]
    signed = [int(s) for s in SIGNED.findall(window)]
    # The newest checkpoint, checked with tlog.py: the log's signature and both witnesses' cosignatures.
    note = tlog.Note.parse(newest)
    keys = [tlog.VerifierKey.parse(vkey) for vkey in [log_vkey] + witness_vkeys]
    valid = [key.name for key in keys if any(tlog.verify_signature(note.text, line, key) for line in note.signatures)]
    with sqlite3.connect(db_a) as db:
        records_a = db.execute("SELECT count(*) FROM consent_record").fetchone()[0]
    median = lambda name, key: statistics.median(run[key] for run in runs[name])
    return {"runs": runs, "rps_log": median("log", "rps"), "rps_plain": median("plain", "rps"),
            "p99_log": median("log", "p99"), "p99_plain": median("plain", "p99"),
            "non2xx": sum(r["non2xx"] for name in runs for r in runs[name]),
            "cosigned": cosigned, "signed": signed, "plain_signed": len(SIGNED.findall(plain_window)),
            "witness_problems": len(re.findall(r"(?im)^\S+ (warning|error) .*witness", window)),
            "newest_size": tlog.Checkpoint.parse(note.text).size, "newest_valid": valid, "records_a": records_a}


# 3: a proof at 10^6 records, and its offline verification.

def timed(command: list[str], cwd: Path | None = None) -> tuple[float, str]:
    """Wall seconds and stdout of one run; fails on a non-zero exit."""
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, cwd=cwd)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({result.returncode}): {result.stderr.decode()[-2000:]}")
    return elapsed, result.stdout.decode()


def peak_rss(command: list[str]) -> int:
    """Peak resident memory in KiB of one run of `command`. Measured by a small Python started
    afresh, which runs the command and reads its children's usage: a child forked straight from
    this process would count the pages of the tree this bench built in Python before its exec."""
    probe = ("import resource, subprocess, sys; done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
             "stderr=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss if done.returncode == 0 else -1)")
    result = subprocess.run([sys.executable, "-c", probe, *command], capture_output=True, text=True)
    return int(result.stdout.strip() or -1)


def big_log(args, work: Path) -> dict:
    db_path = work / "big" / "redline.sqlite"
    db_path.parent.mkdir(parents=True, exist_ok=True)
    # One real consent through the server: record 1, and the model of the synthetic ones (offline
    # verification reads the leaf as a consent record, so each row has every field of one).
    port = free_port()
    server = spawn(serve_args(args.redline, work, db_path, port), work / "big-first.log", {**os.environ, "REDLINE_RATE_LIMIT": "0"}, work)
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/consent", data=args.body.replace("SUBJECT", "big-1").encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status == 201, response.status
    finally:
        stop(server)
    log_vkey = subprocess.run([args.redline, "consent", "log-key", "--db", str(db_path), "--site", str(work / "public")],
                              capture_output=True, text=True, check=True).stdout.strip()
    with sqlite3.connect(db_path) as db:
        first = db.execute("SELECT evidence_json FROM consent_record WHERE sequence = 1").fetchone()[0]
    model = json.loads(first)
    leaves = [first.encode()]
    started = time.perf_counter()
    for n in range(2, BIG + 1):  # distinct records, each chained to the one before by previousHash
        model.update(recordId=str(uuid.UUID(int=(0x01a2 << 112) | (7 << 76) | (2 << 62) | n)), sequence=n,
                     previousHash=hashlib.sha256(leaves[-1]).hexdigest())
        leaves.append(json.dumps(model, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode())
    with sqlite3.connect(db_path) as db:
        db.execute("PRAGMA synchronous=OFF")
        db.executemany("INSERT INTO consent_record (sequence, record_id, evidence_json, entry_hash, signature, key_id) "
                       "VALUES (?, ?, ?, ?, '', NULL)",
                       ((n, json.loads(leaves[n - 1])["recordId"], leaves[n - 1].decode(), hashlib.sha256(leaves[n - 1]).hexdigest())
                        for n in range(2, BIG + 1)))
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    insert_seconds = time.perf_counter() - started

    # The checkpoint, signed with the receipt key by tlog.py, cosigned by two witness keys made here.
    seed = base64.b64decode(Path(str(db_path) + ".receipt-key").read_text().strip())
    origin = log_vkey.split("+", 1)[0]
    log = tlog.Signer(origin, tlog.NOTE_KEY, Ed25519PrivateKey.from_private_bytes(seed))
    if log.vkey != log_vkey:
        raise SystemExit(f"the receipt key does not give the log's vkey: {log.vkey} != {log_vkey}")
    witnesses = [tlog.Signer(f"{name}.example/witness", tlog.COSIGNATURE_KEY) for name in ("bench-w1", "bench-w2")]
    started = time.perf_counter()
    root = tlog.tree_hash(leaves)
    python_tree_seconds = time.perf_counter() - started
    expected_path = tlog.inclusion_proof(PROVE_INDEX, leaves)
    note = tlog.Note(tlog.Checkpoint(origin, BIG, root).text).signed_by(log).signed_by(*witnesses, timestamp=int(time.time()))
    with open(str(db_path) + ".checkpoints.notes", "a") as notes:
        notes.write(str(note))

    def python_read() -> float:
        started = time.perf_counter()
        with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:
            rows = db.execute("SELECT evidence_json FROM consent_record ORDER BY sequence").fetchall()
        assert len(rows) == BIG
        return time.perf_counter() - started

    prove_command = [args.redline, "consent", "prove", "--db", str(db_path), "--index", str(PROVE_INDEX)]
    version_command = [args.redline, "--version"]
    prove, read, version_prove = [], [], []
    proof_text = ""
    for _ in range(args.prove_runs):
        seconds, proof_text = timed(prove_command)
        prove.append(seconds)
        read.append(python_read())
        version_prove.append(timed(version_command)[0])
        print(f"prove at 10^6: {prove[-1]:.2f} s; Python reads the rows: {read[-1]:.2f} s; redline --version {version_prove[-1] * 1000:.0f} ms",
              flush=True)
    prove_rss = peak_rss(prove_command)
    proof_file = work / "receipt.tlog-proof"
    proof_file.write_text(proof_text)
    parsed = tlog.TlogProof.parse(proof_text)
    checkpoint = tlog.Checkpoint.parse(parsed.checkpoint.text)
    assert parsed.index == PROVE_INDEX and checkpoint.size == BIG and checkpoint.root == root, "the proof is not against the 10^6 checkpoint"
    assert parsed.extra == leaves[PROVE_INDEX], "the proof's extra line is not the record's evidence JSON"
    assert parsed.hashes == expected_path, "the proof's hashes are not tlog.py's inclusion path"
    assert tlog.verify_inclusion(PROVE_INDEX, BIG, tlog.leaf_hash(parsed.extra), parsed.hashes, root)
    header = proof_text.split("\n\n", 1)[0]

    witness_args = [a for w in witnesses for a in ("--witness-key", w.vkey)]
    peers = {
        "redline verify": [args.redline, "consent", "verify", "--receipt", str(proof_file), "--public-key", log_vkey] + witness_args,
        "redline --version": version_command,
        "verify-receipt.py": [sys.executable, str(ROOT / "scripts" / "verify-receipt.py"), str(proof_file), "--log-key", log_vkey,
                              "--quorum", "2"] + witness_args,
        "python3 -c pass": [sys.executable, "-c", "pass"],
        "python3 import Ed25519": [sys.executable, "-c", "from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey"],
    }
    times = {name: [] for name in peers}
    outputs = {}
    for _ in range(args.verify_runs):
        for name, command in peers.items():
            seconds, out = timed(command)
            times[name].append(seconds)
            outputs[name] = out.strip()
    return {"insert_seconds": insert_seconds, "python_tree_seconds": python_tree_seconds,
            "prove": prove, "python_read": read, "version_prove": version_prove, "prove_rss_kib": prove_rss,
            "proof_bytes": len(proof_text.encode()), "header_bytes": len(header.encode()) + 2,
            "checkpoint_bytes": len(str(parsed.checkpoint).encode()), "leaf_bytes": len(parsed.extra),
            "hashes": len(parsed.hashes), "verify": times, "outputs": outputs}


def report(args, first: dict | None, big: dict | None) -> None:
    print(flush=True)
    if first:
        print(f"1. consent writes, {args.rounds} rounds of {args.duration} s each side ({'A B A B' if args.order == 'abab' else 'A B B A'} …), {args.connections} connections:")
        for label, key in (("log + 2 witnesses (1 s checkpoints)", "log"), ("checkpoints off (3,600 s, no witnesses)", "plain")):
            rounds = " / ".join(f"{r['rps']:.0f}" for r in first["runs"][key])
            print(f"   {label:<42} median {first['rps_' + key]:>8.0f} req/s, p99 {first['p99_' + key]:.1f} ms  (rounds {rounds})")
        per_round = [a["rps"] / b["rps"] for a, b in zip(first["runs"]["log"], first["runs"]["plain"])]
        print(f"   ratio of medians log/off: {first['rps_log'] / first['rps_plain']:.2f} (target >= 0.9); per round: "
              + " / ".join(f"{r:.2f}" for r in per_round))
        print(f"   non-2xx answers: {first['non2xx']}; server A's records: {first['records_a']}, newest checkpoint size "
              f"{first['newest_size']}, signatures that verify (tlog.py): {', '.join(first['newest_valid'])}")
        took = [t for _, _, t in first["cosigned"]]
        full = sum(1 for c, _, _ in first["cosigned"] if c == 2)
        print(f"2. checkpoint -> 2 cosignatures (server A's measured window): {len(first['signed'])} checkpoints signed, "
              f"{len(took)} cosigned ({full} by both witnesses); took median {statistics.median(took) * 1000:.1f} ms, "
              f"max {max(took) * 1000:.1f} ms" if took else "2. no cosigned checkpoint in the window")
        print(f"   witness warnings/errors in the window: {first['witness_problems']}; checkpoints signed by server B: {first['plain_signed']}")
    if big:
        med = statistics.median
        print(f"3. 10^6 records (synthetic rows inserted in {big['insert_seconds']:.1f} s):")
        print(f"   redline consent prove --index {PROVE_INDEX}: median {med(big['prove']):.2f} s over {len(big['prove'])} runs "
              f"({' / '.join(f'{s:.2f}' for s in big['prove'])}), peak RSS {big['prove_rss_kib'] / 1024:.0f} MiB")
        print(f"   peers: Python sqlite3 reads the 10^6 evidence_json {med(big['python_read']):.2f} s "
              f"(prove/read {med(big['prove']) / med(big['python_read']):.1f}x); tlog.py hashes the tree {big['python_tree_seconds']:.2f} s once; "
              f"redline --version {med(big['version_prove']) * 1000:.0f} ms")
        print(f"   proof: {big['proof_bytes']} bytes ({big['hashes']} hashes; header with extra {big['header_bytes']} bytes, of which the "
              f"record {big['leaf_bytes']} bytes raw; checkpoint with 3 signature lines {big['checkpoint_bytes']} bytes); equal to tlog.py's path")
        times = {name: med(values) for name, values in big["verify"].items()}
        for name, values in big["verify"].items():
            print(f"   {name:<24} median {times[name] * 1000:7.1f} ms over {len(values)} ({' / '.join(f'{v * 1000:.0f}' for v in values)})")
        print(f"   redline verify net of start: {(times['redline verify'] - times['redline --version']) * 1000:.1f} ms "
              f"({times['redline verify'] / times['redline --version']:.2f}x redline --version)")
        print(f"   verify-receipt.py net of python3 -c pass: {(times['verify-receipt.py'] - times['python3 -c pass']) * 1000:.1f} ms "
              f"({times['verify-receipt.py'] / times['python3 -c pass']:.2f}x); net of importing Ed25519: "
              f"{(times['verify-receipt.py'] - times['python3 import Ed25519']) * 1000:.1f} ms")
        print(f"   redline: {big['outputs']['redline verify']}")
        print(f"   script:  {big['outputs']['verify-receipt.py']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--redline", default=str(ROOT / ".build/release/redline"))
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each side (at least 3 for a median)")
    parser.add_argument("--order", choices=("abab", "abba"), default="abab",
                        help="abab: the log side first in every round; abba: first in odd rounds, second in even ones")
    parser.add_argument("--prove-runs", type=int, default=3)
    parser.add_argument("--verify-runs", type=int, default=7)
    parser.add_argument("--only", choices=("writes", "proof"), help="run one part only")
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    args = parser.parse_args()
    args.redline = str(Path(args.redline).resolve())
    if not shutil.which("wrk") and args.only != "proof":
        raise SystemExit("wrk is missing: make bench-deps")

    work = Path(tempfile.mkdtemp(prefix="redline-bench-log-"))
    try:
        _, body = sample_site(args.redline, work)
        args.body = body
        script = work / "post.lua"
        script.write_text(f"BODY_TEMPLATE = {json.dumps(body.replace('%', '%%').replace('SUBJECT', '%d-%d'))}\n" + POST_SCRIPT)
        print(f"binary: {args.redline}", flush=True)
        first = throughput(args, work, script) if args.only != "proof" else None
        report(args, first, None)  # now, so that a failure in part 3 does not lose it
        big = big_log(args, work) if args.only != "writes" else None
        report(args, None, big)
        if args.json:
            args.json.write_text(json.dumps({"binary": args.redline, "writes": first, "proof": big}, indent=1, default=str))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
