#!/usr/bin/env python3
"""make bench-redline: the redline's quality on real policy histories, against git's word diff.

For every consecutive pair of versions in each history under ../shared/corpora/ (one folder per
policy, one Markdown file per day), runs `redline diff OLD NEW --format json` and
`git diff --no-index --word-diff=porcelain OLD NEW`, and reports per pair and in total:

- exact: the redline's operations rebuild both texts byte for byte;
- changed words (inserted + deleted) of each tool, counted by one rule, the redline's own
  (a word is a run of ASCII letters and digits or non-ASCII bytes);
- wall time of each.

Targets: every pair exact; total redline words <= git's; no pair above 1.5 x git's + 30 words.
Not part of `make test`: the corpora are not in the repository.
"""
import argparse
import json
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORD = re.compile(rb"[A-Za-z0-9\x80-\xff]+")


def words(text: str) -> int:
    return len(WORD.findall(text.encode()))


def git_changed_words(old: Path, new: Path) -> tuple[int, float]:
    started = time.perf_counter()
    result = subprocess.run(["git", "diff", "--no-index", "--word-diff=porcelain", "--unified=0", str(old), str(new)],
                            capture_output=True)
    elapsed = time.perf_counter() - started
    count = 0
    in_hunk = False
    for line in result.stdout.decode(errors="replace").splitlines():
        if line.startswith("@@"):
            in_hunk = True
        elif in_hunk and line[:1] in "+-":
            count += words(line[1:])
    return count, elapsed


def redline_diff(redline: str, old: Path, new: Path) -> tuple[dict, float]:
    started = time.perf_counter()
    result = subprocess.run([redline, "diff", str(old), str(new), "--format", "json"], capture_output=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"redline diff {old} {new} failed: {result.stderr.decode()[-2000:]}")
    return json.loads(result.stdout), elapsed


def normalized(path: Path) -> str:
    text = path.read_bytes().decode("utf-8")
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--redline", default=str(ROOT / ".build/release/redline"))
    parser.add_argument("--corpora", default=str(ROOT.parent / "shared/corpora"))
    parser.add_argument("--json", default=str(ROOT / "bench/out/redline-quality.json"))
    parser.add_argument("--quiet", action="store_true", help="print only pairs that miss a target, and the totals")
    args = parser.parse_args()

    corpora = sorted(p for p in Path(args.corpora).iterdir() if p.is_dir()) if Path(args.corpora).is_dir() else []
    if not corpora:
        print(f"no corpora under {args.corpora}: nothing to measure")
        return
    rows = []
    print(f"{'pair':<52} {'exact':>5} {'redline':>8} {'git':>6} {'ratio':>6} {'ms':>5} {'git ms':>6}")
    for corpus in corpora:
        versions = sorted(corpus.glob("*.md"))
        for old, new in zip(versions, versions[1:]):
            result, seconds = redline_diff(args.redline, old, new)
            ops = result["ops"]
            rebuilt_old = "".join(op["text"] for op in ops if op["op"] != "insert")
            rebuilt_new = "".join(op["text"] for op in ops if op["op"] != "delete")
            exact = rebuilt_old == normalized(old) and rebuilt_new == normalized(new)
            ours = result["stats"]["inserted"] + result["stats"]["deleted"]
            git, git_seconds = git_changed_words(old, new)
            ok = exact and ours <= 1.5 * git + 30
            row = {"corpus": corpus.name, "old": old.stem, "new": new.stem, "exact": exact, "redline_words": ours,
                   "git_words": git, "redline_seconds": seconds, "git_seconds": git_seconds, "meets_targets": ok}
            rows.append(row)
            if not args.quiet or not ok:
                ratio = f"{ours / git:.2f}" if git else "-"
                name = f"{corpus.name} {old.stem} → {new.stem}"
                print(f"{name:<52} {'yes' if exact else 'NO':>5} {ours:>8} {git:>6} {ratio:>6} "
                      f"{seconds * 1000:>5.0f} {git_seconds * 1000:>6.0f}" + ("" if ok else "   <- misses a target"))
    total_ours = sum(r["redline_words"] for r in rows)
    total_git = sum(r["git_words"] for r in rows)
    exact = sum(r["exact"] for r in rows)
    misses = [r for r in rows if not r["meets_targets"]]
    print(f"\n{len(rows)} pairs: {exact} exact; changed words redline {total_ours}, git {total_git} "
          f"({total_ours / max(total_git, 1):.2f}x); pairs above 1.5x git + 30: {len(misses)}; "
          f"median time redline {statistics.median(r['redline_seconds'] for r in rows) * 1000:.0f} ms, "
          f"git {statistics.median(r['git_seconds'] for r in rows) * 1000:.0f} ms")
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(rows, indent=2))
    if exact < len(rows) or total_ours > total_git or misses:
        sys.exit(1)


if __name__ == "__main__":
    main()
