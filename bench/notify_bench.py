#!/usr/bin/env python3
"""make bench-notify: a change-notice campaign to 100,000 users through a local aiosmtpd.

For each user count (10,000 then 100,000, so that memory can be compared):
  1. import the users with `redline users import`;
  2. start `redline serve` (release) sending to an aiosmtpd sink in its own process;
  3. time POST /api/v1/admin/campaigns: creating the campaign and its outbox rows;
  4. time the delivery until every message is sent, sampling the server's resident memory.
In the same run, the sink's own ceiling: plain Python smtplib senders, one connection each,
as many as redline's connections, sending a message of the same size for the same time.
"""
import argparse
import json
import os
import shutil
import smtplib
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from multiprocessing import Process, Queue
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing listens on {port}")


def call(method: str, url: str, key: str, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def smtplib_sender(port: int, message: bytes, seconds: float, results: Queue) -> None:
    sent = 0
    with smtplib.SMTP("127.0.0.1", port) as client:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            client.sendmail("notices@parcelbird.example", [f"user{sent}@example.com"], message)
            sent += 1
    results.put(sent)


def sink_ceiling(port: int, message: bytes, senders: int, seconds: float) -> float:
    results: Queue = Queue()
    processes = [Process(target=smtplib_sender, args=(port, message, seconds, results)) for _ in range(senders)]
    start = time.monotonic()
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    elapsed = time.monotonic() - start
    return sum(results.get() for _ in processes) / elapsed


def campaign_run(redline: str, work: Path, users: int, concurrency: int, sink_port: int) -> dict:
    run_dir = work / f"run-{users}"
    run_dir.mkdir()
    db = run_dir / "redline.sqlite"
    csv = run_dir / "users.csv"
    with csv.open("w") as out:
        out.write("userId,email,locale\n")
        for n in range(users):
            out.write(f"user-{n},user{n}@example.com,en\n")
    start = time.monotonic()
    subprocess.run([redline, "users", "import", str(csv), "--db", str(db)], check=True, capture_output=True)
    import_seconds = time.monotonic() - start
    key = subprocess.run([redline, "keys", "create", "--db", str(db), "--name", "bench"], check=True, capture_output=True,
                         text=True).stdout.strip()

    port = free_port()
    env = {**os.environ, "REDLINE_LOG_LEVEL": "warning", "REDLINE_RATE_LIMIT": "0"}
    server = subprocess.Popen([redline, "serve", "--site", str(work / "public"), "--db", str(db), "--port", str(port),
                               "--templates", str(ROOT / "templates"), "--smtp-url", f"smtp://127.0.0.1:{sink_port}",
                               "--mail-from", "Parcelbird Legal <notices@parcelbird.example>", "--mail-rate", "0",
                               "--mail-concurrency", str(concurrency)], env=env)
    try:
        wait_for_port(port)
        time.sleep(1.5)   # the server's first look at the manifest: every version in force is history, no campaign
        base = f"http://127.0.0.1:{port}"
        idle_rss = rss_kib(server.pid)
        start = time.monotonic()
        campaign = call("POST", base + "/api/v1/admin/campaigns", key, {"document": "privacy", "version": "2027-03-01"})
        create_seconds = time.monotonic() - start
        call("POST", f"{base}/api/v1/admin/campaigns/{campaign['id']}/approve", key, {})
        peak_rss = idle_rss
        while True:
            status = call("GET", f"{base}/api/v1/admin/campaigns/{campaign['id']}", key)
            peak_rss = max(peak_rss, rss_kib(server.pid))
            if status["queued"] == 0 and status["sending"] == 0:
                break
            time.sleep(0.25)
        deliver_seconds = time.monotonic() - start - create_seconds
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"users": users, "import_s": import_seconds, "create_s": create_seconds, "deliver_s": deliver_seconds,
            "rate": status["sent"] / deliver_seconds, "sent": status["sent"], "failed": status["failed"],
            "idle_rss_mib": idle_rss / 1024, "peak_rss_mib": peak_rss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--redline", default=str(ROOT / ".build/release/redline"))
    parser.add_argument("--users", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--ceiling-seconds", type=float, default=15)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="redline-bench-notify-"))
    sink_port = free_port()
    sink = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{sink_port}", "-c", "aiosmtpd.handlers.Sink"])
    try:
        wait_for_port(sink_port)
        build = subprocess.run([args.redline, "build", "--content", str(ROOT / "content"), "--templates", str(ROOT / "templates"),
                                "--output", str(work / "public"), "--now", "2027-03-02"], capture_output=True, text=True)
        if build.returncode != 0:
            raise SystemExit(build.stderr)

        # A notice as redline writes it, for the ceiling senders to send.
        eml_dir = work / "eml"
        db = work / "eml.sqlite"
        csv = work / "one.csv"
        csv.write_text("userId,email,locale\nu1,user1@example.com,en\n")
        subprocess.run([args.redline, "users", "import", str(csv), "--db", str(db)], check=True, capture_output=True)
        subprocess.run([args.redline, "notify", "privacy", "2027-03-01", "--db", str(db), "--site", str(work / "public")],
                       check=True, capture_output=True)
        subprocess.run([args.redline, "notify", "approve", "1", "--db", str(db)], check=True, capture_output=True)
        port = free_port()
        writer = subprocess.Popen([args.redline, "serve", "--site", str(work / "public"), "--db", str(db), "--port", str(port),
                                   "--templates", str(ROOT / "templates"), "--mail-dir", str(eml_dir)],
                                  env={**os.environ, "REDLINE_LOG_LEVEL": "warning"})
        deadline = time.monotonic() + 30
        while not list(eml_dir.glob("*.eml")) and time.monotonic() < deadline:
            time.sleep(0.1)
        writer.terminate()
        writer.wait(timeout=30)
        message = next(eml_dir.glob("*.eml")).read_bytes()

        results = []
        ceilings = []
        for users in args.users:
            ceilings.append(sink_ceiling(sink_port, message, args.concurrency, args.ceiling_seconds))
            print(f"sink ceiling ({args.concurrency} smtplib senders): {ceilings[-1]:.0f} msg/s", flush=True)
            results.append(campaign_run(args.redline, work, users, args.concurrency, sink_port))
            r = results[-1]
            print(f"{users} users: import {r['import_s']:.2f} s, campaign created in {r['create_s']:.2f} s, "
                  f"{r['sent']} sent in {r['deliver_s']:.1f} s = {r['rate']:.0f} msg/s, peak RSS {r['peak_rss_mib']:.1f} MiB", flush=True)
            ceilings.append(sink_ceiling(sink_port, message, args.concurrency, args.ceiling_seconds))
            print(f"sink ceiling ({args.concurrency} smtplib senders): {ceilings[-1]:.0f} msg/s", flush=True)

        ceiling = statistics.median(ceilings)
        print()
        print(f"message size: {len(message)} bytes; redline connections: {args.concurrency}; sink: aiosmtpd Sink handler, own process")
        print(f"sink ceiling, median of {len(ceilings)} runs of {args.ceiling_seconds:.0f} s: {ceiling:.0f} msg/s "
              f"({', '.join(f'{c:.0f}' for c in ceilings)})")
        print(f"{'users':>8} {'import s':>9} {'create s':>9} {'deliver s':>10} {'msg/s':>7} {'/ceiling':>9} {'idle MiB':>9} {'peak MiB':>9} {'failed':>7}")
        for r in results:
            print(f"{r['users']:>8} {r['import_s']:>9.2f} {r['create_s']:>9.2f} {r['deliver_s']:>10.1f} {r['rate']:>7.0f} "
                  f"{r['rate'] / ceiling:>9.2f} {r['idle_rss_mib']:>9.1f} {r['peak_rss_mib']:>9.1f} {r['failed']:>7}")
        print("targets: campaign created in <= 5 s; delivery >= 0.8 of the sink's ceiling; memory flat as users grow")
    finally:
        sink.terminate()
        sink.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
