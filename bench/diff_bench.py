#!/usr/bin/env python3
"""make bench-diff: `redline diff` against `git diff --no-index --word-diff=porcelain` on the
same pair of ~4 MB policy texts that share most of their content, in one run.

The new text edits the old one the way policies change: words replaced in ~2% of paragraphs,
sections added, removed, moved and renamed. Each tool runs --runs times; medians are reported.
"""
import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import WORDS, paragraph  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def make_pair(target_bytes: int, seed: int = 4) -> tuple[str, str]:
    rng = random.Random(seed)
    sections = []
    size = 0
    while size < target_bytes:
        index = len(sections)
        body = "\n\n".join(paragraph(rng) for _ in range(rng.randint(2, 6)))
        if index % 5 == 0:
            body += "\n\n" + "\n".join(f"- {paragraph(rng)[:120]}" for _ in range(4))
        section = [f"## Section {index}: {rng.choice(WORDS)} {rng.choice(WORDS)}", body]
        sections.append(section)
        size += sum(len(part) for part in section) + 4
    old = sections
    new = [list(section) for section in sections]
    for section in new:
        if rng.random() < 0.02:
            words = section[1].split(" ")
            for _ in range(5):
                words[rng.randrange(len(words))] = rng.choice(WORDS)
            section[1] = " ".join(words)
        if rng.random() < 0.002:
            section[0] = section[0] + " (renamed)"
    for _ in range(20):
        new.pop(rng.randrange(len(new)))
    for index in range(20):
        new.insert(rng.randrange(len(new)), [f"## New section {index}", paragraph(rng)])
    for _ in range(10):
        moved = new.pop(rng.randrange(len(new)))
        new.insert(rng.randrange(len(new)), moved)
    render = lambda parts: "".join(f"{heading}\n\n{body}\n\n" for heading, body in parts)
    return render(old), render(new)


def median_time(command: list[str], runs: int, expect_codes=(0,)) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - started)
        if result.returncode not in expect_codes:
            raise SystemExit(f"{command[0]} failed ({result.returncode}): {result.stderr.decode()[-1000:]}")
    return statistics.median(times), times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--redline", default=str(ROOT / ".build/release/redline"))
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--size", type=int, default=4 * 2**20)
    args = parser.parse_args()

    work = ROOT / "bench/out/diff"
    work.mkdir(parents=True, exist_ok=True)
    old, new = make_pair(args.size)
    (work / "old.md").write_text(old)
    (work / "new.md").write_text(new)
    print(f"pair: {len(old.encode()) / 2**20:.2f} MiB and {len(new.encode()) / 2**20:.2f} MiB")

    redline = [args.redline, "diff", str(work / "old.md"), str(work / "new.md"), "--format", "text"]
    git = ["git", "diff", "--no-index", "--word-diff=porcelain", str(work / "old.md"), str(work / "new.md")]
    # Warm the page cache so neither pays for the first read.
    subprocess.run(git, stdout=subprocess.DEVNULL)
    r, r_runs = median_time(redline, args.runs)
    g, g_runs = median_time(git, args.runs, expect_codes=(0, 1))
    json_median, _ = median_time(redline[:-1] + ["json"], args.runs)

    summary = subprocess.run(redline, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    print(f"redline: {summary}")
    print("\n| tool | median | runs |\n|---|---|---|")
    print(f"| redline diff --format text | {r * 1000:.0f} ms | {', '.join(f'{t * 1000:.0f}' for t in r_runs)} |")
    print(f"| redline diff --format json | {json_median * 1000:.0f} ms | |")
    print(f"| git diff --no-index --word-diff=porcelain | {g * 1000:.0f} ms | {', '.join(f'{t * 1000:.0f}' for t in g_runs)} |")
    print(f"\nredline / git: {r / g:.2f}x (target of issue 14: within 1.0x, process start included)")
    (work / "result.json").write_text(json.dumps({"redline_s": r, "git_s": g, "json_s": json_median, "ratio": r / g}, indent=2))


if __name__ == "__main__":
    main()
