#!/usr/bin/env python3
"""make bench-consent: wrk against POST /api/v1/consent and GET /healthz of the same
`redline serve` (release build, synchronous=FULL, fresh database), in one run.

Each round runs healthz then consent for --duration seconds at --connections connections;
--rounds rounds are taken and medians reported, so both are measured under the same noise.
Every consent request has its own subject, so every request writes a new record.

A third peer, measured in the same rounds, posts the same body with an unknown method: the
server reads, parses and validates it and answers 422 without storing anything. It shows
what the HTTP and request handling of a POST cost before any hashing, signing or disk work.

Two more peers, measured in the same SQLite rounds (the server trusts 127.0.0.1 as a proxy):
consent writes that carry a region (`X-Visitor-Region: DE`, as a trusted proxy sets it) and a
`gpp` string, against the plain writes above (ratio of medians); and banner impression beacons
(`POST /api/v1/consent/impressions`, `{"notice": …}` as text/plain, as sendBeacon sends it), beside
the refused-POST ceiling, with the stats API's impression total checked against the 204s wrk saw.

Then the same three are measured on PostgreSQL (a throwaway cluster from Debian's binaries,
fsync on): one server, and two servers on the one database with wrk driving both at once
(half the connections each; requests per second summed, the worse p99 kept).
"""
import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
from pgcluster import PostgresCluster  # noqa: E402  (the same cluster the end-to-end tests start)

POST_SCRIPT = r"""
local counter = 0
local thread_id = 0
local threads = {}
function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end
request = function()
  counter = counter + 1
  local body = string.format(BODY_TEMPLATE, id, counter)
  return wrk.format("POST", PATH or "/api/v1/consent", HEADERS or {["Content-Type"] = "application/json"}, body)
end
"""

# A valid GPP string (header type 3, version 1; a US national section), as a CMP would write it.
GPP = "DBABLA~BVQqAAAAAgA.QA"


def post_script(path: Path, template: str, url_path: str = "/api/v1/consent", headers: dict | None = None) -> Path:
    """A wrk script that posts `template` (with %d-%d for thread and counter) to `url_path`."""
    lua_headers = "{" + ", ".join(f"[{json.dumps(k)}] = {json.dumps(v)}" for k, v in
                                  (headers or {"Content-Type": "application/json"}).items()) + "}"
    path.write_text(f"BODY_TEMPLATE = {json.dumps(template)}\nPATH = {json.dumps(url_path)}\nHEADERS = {lua_headers}\n" + POST_SCRIPT)
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not answer")


def parse_wrk(output: str) -> dict:
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    def millis(label: str) -> float:
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors:.*", output)
    return {"rps": rps, "p50": millis("50"), "p99": millis("99"),
            "non2xx": int(non2xx.group(1)) if non2xx else 0, "socket_errors": errors.group(0) if errors else ""}


def wrk(base: str, path: str, connections: int, duration: int, script: Path | None) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "5s"]
    if script:
        command += ["-s", str(script)]
    output = subprocess.run(command + [base + path], capture_output=True, text=True, check=True).stdout
    return parse_wrk(output)


def wrk_together(bases: list[str], path: str, connections: int, duration: int, scripts: list[Path | None]) -> dict:
    """wrk against several servers at once, the connections split between them."""
    share = max(1, connections // len(bases))
    processes = []
    for base, script in zip(bases, scripts):
        command = ["wrk", "-t1", f"-c{share}", f"-d{duration}s", "--latency", "--timeout", "5s"] + (["-s", str(script)] if script else [])
        processes.append(subprocess.Popen(command + [base + path], stdout=subprocess.PIPE, text=True))
    results = [parse_wrk(process.communicate()[0]) for process in processes]
    return {"rps": sum(r["rps"] for r in results), "p50": max(r["p50"] for r in results), "p99": max(r["p99"] for r in results),
            "non2xx": sum(r["non2xx"] for r in results)}


def rounds_of(bases: list[str], connections: int, duration: int, rounds: int, scripts: list[Path], refused: list[Path], label: str):
    """healthz, consent and refused POST, `rounds` times over, against `bases` together; the medians."""
    health, writes, refusals = [], [], []
    for number in range(rounds):
        health.append(wrk_together(bases, "/healthz", connections, duration, [None] * len(bases)))
        writes.append(wrk_together(bases, "/api/v1/consent", connections, duration, scripts))
        refusals.append(wrk_together(bases, "/api/v1/consent", connections, duration, refused))
        print(f"{label} round {number + 1}: healthz {health[-1]['rps']:.0f} req/s; consent {writes[-1]['rps']:.0f} req/s "
              f"p99 {writes[-1]['p99']:.2f} ms (non-2xx {writes[-1]['non2xx']}); refused POST {refusals[-1]['rps']:.0f} req/s", flush=True)
    median = lambda runs, key: statistics.median(run[key] for run in runs)
    return {name: {key: median(runs, key) for key in ("rps", "p50", "p99")} | {"non2xx": sum(r["non2xx"] for r in runs)}
            for name, runs in (("health", health), ("writes", writes), ("refused", refusals))}


def postgres_rows(args, work: Path, template: str, refused_template: str) -> list[tuple[str, dict]]:
    """One server, then two servers, on one PostgreSQL; each beside its own healthz and refused-POST ceiling."""
    cluster = PostgresCluster().init()
    rows = []
    try:
        for servers in (1, 2):
            db = cluster.create_database(f"bench{servers}")
            processes, bases, scripts, refused = [], [], [], []
            for index in range(servers):
                port = free_port()
                env = {**os.environ, "REDLINE_RATE_LIMIT": "0", "REDLINE_LOG_LEVEL": "warning",
                       "REDLINE_RECEIPT_KEY": str(work / "pg-key"), "REDLINE_CHECKPOINT_LOG": str(work / f"pg-{servers}-{index}.checkpoints")}
                processes.append(subprocess.Popen([args.redline, "serve", "--site", str(work / "public"), "--db", db, "--port", str(port), "--templates", str(ROOT / "templates")],
                                                  env=env, cwd=work))
                bases.append(f"http://127.0.0.1:{port}")
                wait_for(bases[-1] + "/healthz")
                for kind, body, into in (("post", template, scripts), ("refused", refused_template, refused)):
                    script = work / f"pg-{kind}-{servers}-{index}.lua"
                    script.write_text(f"BODY_TEMPLATE = {json.dumps(body.replace('bench-', f'pg{servers}s{index}-'))}\n" + POST_SCRIPT)
                    into.append(script)
            try:
                wrk_together(bases, "/api/v1/consent", args.connections, 2, scripts)   # warm-up
                label = "PostgreSQL, 1 server" if servers == 1 else "PostgreSQL, 2 servers"
                result = rounds_of(bases, args.connections, args.duration, args.rounds, scripts, refused, label)
                with urllib.request.urlopen(bases[0] + "/metrics") as response:
                    metrics = response.read().decode()
                count = float(re.search(r"^redline_consent_commit_batch_size_count (\S+)", metrics, re.MULTILINE).group(1))
                total = float(re.search(r"^redline_consent_commit_batch_size_sum (\S+)", metrics, re.MULTILINE).group(1))
                result["batch"] = total / max(count, 1)
                result["transactions_per_second"] = result["writes"]["rps"] / max(result["batch"], 1) / servers
            finally:
                for process in processes:
                    process.terminate()
                    process.wait(timeout=15)
            verify = subprocess.run([args.redline, "consent", "verify", "--db", db, "--receipt-key", str(work / "pg-key")],
                                    capture_output=True, text=True, cwd=work)
            result["chain"] = verify.stdout.strip() or verify.stderr.strip()
            rows.append((label, result))
    finally:
        cluster.remove()
    return rows


def count_syncs(base: str, pid: int, connections: int, script: Path) -> dict | None:
    """Attaches strace to the server for a short wrk run and counts the WAL syncs: proof that
    the figures above include a real fsync per transaction. Skipped when strace is absent."""
    if not shutil.which("strace"):
        return None
    trace = script.parent / "syncs.strace"
    tracer = subprocess.Popen(["strace", "-f", "-qq", "-y", "-e", "trace=fsync,fdatasync", "-o", str(trace), "-p", str(pid)])
    time.sleep(1)
    result = wrk(base, "/api/v1/consent", connections, 3, script)
    tracer.terminate()
    tracer.wait(timeout=10)
    syncs = sum(1 for line in trace.read_text().splitlines() if "redline.sqlite-wal>" in line and "= 0" in line)
    return {"requests": int(result["rps"] * 3), "syncs": syncs}


def sqlite_rounds(args, base: str, scripts: dict) -> dict:
    """Every peer once per round, in the same order, `args.rounds` times: lists of wrk results by name."""
    runs = {name: [] for name in ("health", "writes", "region", "refused", "impressions")}
    for round_number in range(args.rounds):
        runs["health"].append(wrk(base, "/healthz", args.connections, args.duration, None))
        runs["writes"].append(wrk(base, "/api/v1/consent", args.connections, args.duration, scripts["writes"]))
        runs["region"].append(wrk(base, "/api/v1/consent", args.connections, args.duration, scripts["region"]))
        runs["refused"].append(wrk(base, "/api/v1/consent", args.connections, args.duration, scripts["refused"]))
        runs["impressions"].append(wrk(base, "/api/v1/consent/impressions", args.connections, args.duration, scripts["impressions"]))
        print(f"round {round_number + 1}: " + "; ".join(f"{name} {runs[name][-1]['rps']:.0f} req/s p99 {runs[name][-1]['p99']:.2f} ms"
                                                    for name in runs), flush=True)
    return runs


def admin_stats(args, work: Path, base: str) -> dict:
    """The stats API's answer, with a key made for the bench."""
    key = subprocess.run([args.redline, "keys", "create", "--db", str(work / "data/redline.sqlite"), "--name", "bench"],
                         capture_output=True, text=True, check=True).stdout.strip()
    request = urllib.request.Request(base + "/api/v1/admin/consent/stats", headers={"Authorization": f"Bearer {key}"})
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def sqlite_rows(args, work: Path, script: Path, refused_script: Path, region_script: Path, impression_script: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # 127.0.0.1 is trusted as a proxy, so the region header of the region peer is believed.
    env = {**os.environ, "REDLINE_RATE_LIMIT": "0", "REDLINE_LOG_LEVEL": "warning", "REDLINE_TRUSTED_PROXIES": "127.0.0.1"}
    server = subprocess.Popen([args.redline, "serve", "--site", str(work / "public"), "--db", str(work / "data/redline.sqlite"),
                               "--port", str(port)], env=env)
    scripts = {"writes": script, "region": region_script, "refused": refused_script, "impressions": impression_script}
    try:
        wait_for(base + "/healthz")
        wrk(base, "/healthz", args.connections, 2, None)          # warm-up
        wrk(base, "/api/v1/consent", args.connections, 2, script)
        wrk(base, "/api/v1/consent/impressions", args.connections, 2, impression_script)
        runs = sqlite_rounds(args, base, scripts)
        with urllib.request.urlopen(base + "/metrics") as response:
            metrics = response.read().decode()
        syncs = count_syncs(base, server.pid, args.connections, script)
        stats = admin_stats(args, work, base)
    finally:
        server.terminate()
        server.wait(timeout=10)
    report_sqlite(args, work, runs, metrics, syncs, stats)


def report_sqlite(args, work: Path, runs: dict, metrics: str, syncs: dict | None, stats: dict) -> None:
    count = float(re.search(r"^redline_consent_commit_batch_size_count (\S+)", metrics, re.MULTILINE).group(1))
    total = float(re.search(r"^redline_consent_commit_batch_size_sum (\S+)", metrics, re.MULTILINE).group(1))
    verify = subprocess.run([args.redline, "consent", "verify", "--db", str(work / "data/redline.sqlite")], capture_output=True, text=True)
    median = lambda name, key: statistics.median(run[key] for run in runs[name])
    rps = {name: median(name, "rps") for name in runs}
    print()
    print(f"connections: {args.connections}, {args.rounds} rounds of {args.duration} s each, synchronous=FULL")
    print(f"{'endpoint':<36} {'median req/s':>14} {'median p50 ms':>14} {'median p99 ms':>14}")
    for name, label in (("health", "GET /healthz"), ("writes", "POST /api/v1/consent"),
                        ("region", "POST /api/v1/consent, region + gpp"), ("refused", "POST refused (422)"),
                        ("impressions", "POST /api/v1/consent/impressions")):
        print(f"{label:<36} {rps[name]:>14.0f} {median(name, 'p50'):>14.2f} {median(name, 'p99'):>14.2f}")
    print(f"ratio consent/refused POST: {rps['writes'] / rps['refused']:.2f} (target >= 0.5 of the ceiling); consent p99 target <= 25 ms")
    print(f"ratio consent with region + gpp / consent without: {rps['region'] / rps['writes']:.2f} (target >= 0.95)")
    print(f"ratio impression beacons/refused POST: {rps['impressions'] / rps['refused']:.2f}")
    print(f"ratio consent/healthz: {rps['writes'] / rps['health']:.2f}; refused POST/healthz: {rps['refused'] / rps['health']:.2f}")
    if syncs:
        print(f"under strace for 3 s: {syncs['requests']} consents answered 201, {syncs['syncs']} fsync/fdatasync calls "
              f"on the WAL ({syncs['requests'] / max(syncs['syncs'], 1):.1f} consents per sync)")
    print(f"records written: {total:.0f} in {count:.0f} transactions (mean {total / max(count, 1):.1f} per fsync)")
    print(f"non-2xx answers: consent {sum(r['non2xx'] for r in runs['writes'])}, region + gpp {sum(r['non2xx'] for r in runs['region'])}, "
          f"impressions {sum(r['non2xx'] for r in runs['impressions'])}")
    region = next((r for r in stats["byRegion"] if r["region"] == "DE"), {})
    print(f"stats API: {stats['reach']['impressions']} impressions counted ({region.get('impressions', 0)} for DE), "
          f"{stats['total']} decisions ({region.get('decisions', 0)} for DE)")
    print(f"chain: {verify.stdout.strip() or verify.stderr.strip()}")


def sample_site(redline: str, work: Path) -> tuple[dict, str]:
    """Builds the sample site into work/public; its manifest, and a consent body whose subject is `bench-SUBJECT`."""
    build = subprocess.run([redline, "build", "--content", str(ROOT / "content"), "--templates", str(ROOT / "templates"),
                            "--output", str(work / "public")], capture_output=True, text=True)
    if build.returncode != 0:
        raise SystemExit(build.stderr)
    manifest = json.loads((work / "public/manifest.json").read_text())
    policies = [{"id": doc["id"], "version": next(v["effective"] for v in doc["versions"] if v["status"] == "current")}
                for doc in manifest["documents"] if doc["id"] in manifest["consent"]["documents"]]
    body = json.dumps({"subject": "bench-SUBJECT", "granted": ["analytics"], "denied": ["marketing"], "method": "custom",
                       "policies": policies, "notice": manifest["consent"]["notice"]})
    return manifest, body


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--redline", default=str(ROOT / ".build/release/redline"))
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-postgres", action="store_true", help="measure SQLite only")
    parser.add_argument("--only-postgres", action="store_true", help="measure PostgreSQL only")
    args = parser.parse_args()
    args.redline = str(Path(args.redline).resolve())

    work = Path(tempfile.mkdtemp(prefix="redline-bench-consent-"))
    try:
        manifest, body = sample_site(args.redline, work)
        template = body.replace("%", "%%").replace("SUBJECT", "%d-%d")
        script = work / "post.lua"
        script.write_text(f"BODY_TEMPLATE = {json.dumps(template)}\n" + POST_SCRIPT)
        refused_script = work / "refused.lua"
        refused_template = template.replace('"method": "custom"', '"method": "not-a-method"')
        refused_script.write_text(f"BODY_TEMPLATE = {json.dumps(refused_template)}\n" + POST_SCRIPT)

        region_template = template.replace('"method": "custom"', f'"method": "custom", "gpp": "{GPP}"')
        region_script = post_script(work / "post-region.lua", region_template,
                                    headers={"Content-Type": "application/json", "X-Visitor-Region": "DE"})
        impression_script = post_script(work / "impression.lua", json.dumps({"notice": manifest["consent"]["notice"]["version"]}),
                                        "/api/v1/consent/impressions", {"Content-Type": "text/plain;charset=UTF-8", "X-Visitor-Region": "DE"})
        if not args.only_postgres:
            sqlite_rows(args, work, script, refused_script, region_script, impression_script)

        if not args.no_postgres:
            print()
            for label, result in postgres_rows(args, work, template, refused_template):
                print(f"{label}: {args.rounds} rounds of {args.duration} s, {args.connections} connections in all, fsync on")
                for name, row in (("GET /healthz", result["health"]), ("POST /api/v1/consent", result["writes"]),
                                  ("POST refused (422)", result["refused"])):
                    print(f"  {name:<22} {row['rps']:>8.0f} req/s  p50 {row['p50']:>6.2f} ms  p99 {row['p99']:>6.2f} ms")
                print(f"  consent/refused POST {result['writes']['rps'] / result['refused']['rps']:.2f}; consent/healthz "
                      f"{result['writes']['rps'] / result['health']['rps']:.2f}; non-2xx consent answers {result['writes']['non2xx']}")
                print(f"  mean batch {result['batch']:.1f} records per transaction (first server); "
                      f"about {result['transactions_per_second']:.0f} transactions/s per server")
                print(f"  chain: {result['chain']}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
