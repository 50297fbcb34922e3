#!/usr/bin/env python3
"""make bench-scan: how long `redline scan` takes, for the sample site and for 1,000 pages.

The sample site (content/, built for a fixed day) is scanned --runs times; a generated site
(bench/corpus.py: one docs version of 1,000 pages and 10 policy versions, with the sample's
consent categories) is built once and its first 1,000 sitemap pages are scanned --large-runs
times. Every scan visits each page four times (before any choice, after reject-all, after
accept-all, after withdrawing) in one headless Chromium, and must come out clean. Prints the
runs and their medians, wall time from the command's start to its exit (serving the site,
starting Chromium and all).
"""
import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import generate  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOW = "2026-11-21"
SITE_YAML = """title: Benchmark
baseURL: https://bench.example/
language: en
consent:
  categories:
    - id: necessary
      label: Strictly necessary
      required: true
      cookies:
        - { name: redline_consent, duration: 13 months, purpose: Remembers your cookie choices. }
    - id: analytics
      label: Analytics
      cookies:
        - { name: "_pk_id.*", duration: 13 months, purpose: Tells visits apart. }
    - id: marketing
      label: Marketing
      gpc: true
"""


def build(redline: Path, content: Path, output: Path) -> None:
    subprocess.run([str(redline), "build", "--content", str(content), "--templates", str(ROOT / "templates"),
                    "--output", str(output), "--now", NOW, "-q"], check=True, capture_output=True)


def time_scan(redline: Path, site: Path, pages: int | None) -> float:
    args = [str(redline), "scan", "--site", str(site), "--json"] + (["--pages", str(pages)] if pages else [])
    started = time.monotonic()
    result = subprocess.run(args, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    if result.returncode != 0:
        sys.exit(f"scan of {site} exited {result.returncode}: {result.stdout[-2000:]}{result.stderr[-2000:]}")
    return elapsed


def measure(label: str, redline: Path, site: Path, pages: int | None, runs: int) -> None:
    sitemap = (site / "sitemap.xml").read_text().count("<loc>")
    scanned = min(pages, sitemap) if pages else sitemap
    times = [time_scan(redline, site, pages) for _ in range(runs)]
    per_visit = statistics.median(times) / (scanned * 4 + 3)
    print(f"{label}: {scanned} pages x 4 phases, runs " + " / ".join(f"{t:.1f} s" for t in times)
          + f", median {statistics.median(times):.1f} s ({per_visit * 1000:.0f} ms a page visit)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--redline", type=Path, default=ROOT / ".build/release/redline")
    parser.add_argument("--runs", type=int, default=3, help="scans of the sample site")
    parser.add_argument("--large-runs", type=int, default=3, help="scans of the 1,000-page site")
    parser.add_argument("--pages", type=int, default=1000)
    options = parser.parse_args()
    redline = options.redline.resolve()
    work = Path(tempfile.mkdtemp(prefix="redline-bench-scan-"))
    try:
        build(redline, ROOT / "content", work / "sample")
        measure("sample site", redline, work / "sample", None, options.runs)
        if options.large_runs > 0:
            generate(work / "large", docs_versions=1, pages_per_version=options.pages, policy_versions=10)
            (work / "large/content/site.yaml").write_text(SITE_YAML)
            build(redline, work / "large/content", work / "large/public")
            measure(f"{options.pages:,}-page site", redline, work / "large/public", options.pages, options.large_runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
