#!/usr/bin/env python3
"""The build's change notices on real text at scale, for issue 14's "must not be slower than 1.25x".

Makes a content folder of 36 services' policies from ../shared/corpora's two real histories
(18 copies of each: 18 x 57 + 18 x 43 = 1,800 versions, every version material, so every change
has a redline and a notice), then times `redline build --force` of it with each binary given,
interleaved, and prints the medians and their ratio to the first binary.

    python3 bench/notices_bench.py --redline OLD_BINARY --redline NEW_BINARY [--runs 3]

Not part of `make test`: the corpora are not in the repository.
"""
import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITE = """title: Notices benchmark
baseURL: https://legal.example/
noticeDays: 0
# The real texts link to pages of their own site.
links: warn
"""


def make_content(corpora: Path, folder: Path, copies: int) -> int:
    (folder / "policies").mkdir(parents=True)
    (folder / "site.yaml").write_text(SITE)
    versions = 0
    for history in sorted(p for p in corpora.iterdir() if p.is_dir()):
        for copy in range(copies):
            policy = folder / "policies" / f"{history.name}-{copy:02d}"
            policy.mkdir()
            for version in sorted(history.glob("*.md")):
                day = version.stem
                front = f"---\ntitle: {history.name.replace('-', ' ').title()}\neffective: {day}\nmaterial: true\nsummary: Changes of {day}.\n---\n"
                (policy / version.name).write_text(front + version.read_text())
                versions += 1
    return versions


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--redline", action="append", required=True, help="a binary to time (repeat to compare)")
    parser.add_argument("--corpora", default=str(ROOT.parent / "shared" / "corpora"))
    parser.add_argument("--copies", type=int, default=18)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    corpora = Path(args.corpora)
    if not corpora.is_dir():
        print(f"no corpora at {corpora}: skipped")
        return 0
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        versions = make_content(corpora, work / "content", args.copies)
        print(f"{versions} versions of real text in {args.copies * 2} services")
        times = {binary: [] for binary in args.redline}
        for _ in range(args.runs):
            for binary in args.redline:
                output = work / "public"
                start = time.perf_counter()
                result = subprocess.run([binary, "build", "--content", str(work / "content"), "--output", str(output),
                                         "--templates", str(ROOT / "templates"), "--now", "2026-11-22", "--force"],
                                        capture_output=True, text=True)
                times[binary].append(time.perf_counter() - start)
                if result.returncode != 0:
                    print(result.stderr[-2000:])
                    return 1
                shutil.rmtree(output)
        first = statistics.median(times[args.redline[0]])
        for binary, runs in times.items():
            median = statistics.median(runs)
            print(f"{binary}: median {median:.2f} s ({', '.join(f'{t:.2f}' for t in runs)}); {median / first:.2f}x the first")
    return 0


if __name__ == "__main__":
    sys.exit(main())
