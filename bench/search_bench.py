#!/usr/bin/env python3
"""make bench-search: how big the search index is and what one search transfers.

Builds the sample site and the 10,020-page benchmark corpus (bench/corpus.py), the second both
as published by default (policies in force + latest docs) and with --search-all-versions
(every page). For each it reports the index on disk and, for a set of queries, the bytes a
browser fetches to show the first page of results, both for the finished query and for the
query typed letter by letter (each prefix of two or more letters is a search; files already
fetched are not fetched again). The fetch plan is the one assets/search.js follows.
Sizes are given raw and as the precompressed `.gz` files the build writes beside each index
file, which `redline serve` (and nginx's gzip_static) send to browsers that accept gzip.

Pagefind, the reference, keeps a 10,000-page site under 300 kB of transfer per search.
"""
import argparse
import base64
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from corpus import generate  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESULTS_SHOWN = 10
MAX_TERMS_PER_WORD = 50
MAX_SHARDS_PER_WORD = 3


def words(text: str) -> list[str]:
    """assets/search.js's words(): NFKD, marks dropped, lower case, letters and digits."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if unicodedata.category(c) != "Mn").lower().replace("ς", "σ")
    seen, out = set(), []
    for word in re.split(r"[^\w]+|_", folded):
        word = word[:32]
        if len(word) >= 2 and word not in seen:
            seen.add(word)
            out.append(word)
    return out


def decode(text: str) -> list[int]:
    if not text:
        return []
    data = base64.b64decode(text[1:])
    ids = []
    if text[0] == "d":
        previous, gap, scale = -1, 0, 1
        for byte in data:
            gap += (byte & 0x7F) * scale
            if byte & 0x80:
                scale *= 128
                continue
            previous += gap + 1
            ids.append(previous)
            gap, scale = 0, 1
    else:
        for index, byte in enumerate(data):
            ids.extend(index * 8 + bit for bit in range(8) if byte & (1 << bit))
    return ids


class Index:
    def __init__(self, folder: Path):
        self.folder = folder
        self.meta = json.loads((folder / "meta.json").read_text())
        self.cache: dict[str, object] = {}

    def files(self) -> list[Path]:
        return [path for path in self.folder.rglob("*.json")]

    def load(self, relative: str, fetched: set[str]):
        fetched.add(relative)
        if relative not in self.cache:
            self.cache[relative] = json.loads((self.folder / relative).read_text())
        return self.cache[relative]

    def shards_for(self, prefix: str) -> list[int]:
        starts = self.meta["shards"]
        first = 0
        for number, start in enumerate(starts):
            if start <= prefix:
                first = number
        numbers = [first]
        for number in range(first + 1, len(starts)):
            if not starts[number].startswith(prefix) or len(numbers) >= MAX_SHARDS_PER_WORD:
                break
            numbers.append(number)
        return numbers

    def search(self, query: str, fetched: set[str]) -> int:
        """Runs one search as the script does, adding every file it needs to `fetched`."""
        self.load("meta.json", fetched)
        per_word = []
        for word in words(query):
            scores: dict[int, float] = {}
            matched = 0
            for number in self.shards_for(word):
                for term, body, heading in self.load(f"terms/{number}.json", fetched):
                    if not term.startswith(word) or matched >= MAX_TERMS_PER_WORD:
                        continue
                    matched += 1
                    factor = 1 if term == word else 0.6
                    for ids, weight in ((body, 1), (heading, 3)):
                        for section in decode(ids):
                            scores[section] = scores.get(section, 0) + weight * factor
            per_word.append(scores)
        if not per_word:
            return 0
        per_word.sort(key=len)
        ranked = []
        for section, score in per_word[0].items():
            if all(section in other for other in per_word[1:]):
                ranked.append((-(score + sum(other[section] for other in per_word[1:])), section))
        ranked.sort()
        for _, section in ranked[:RESULTS_SHOWN]:
            self.load(f"sections/{section // self.meta['chunkSize']}.json", fetched)
        return len(ranked)

    def transfer(self, fetched: set[str]) -> tuple[int, int]:
        raw = sum((self.folder / name).stat().st_size for name in fetched)
        compressed = sum((self.folder / (name + ".gz")).stat().st_size for name in fetched)
        return raw, compressed


def kb(size: int) -> str:
    return f"{size / 1000:,.1f} kB"


def build(redline: Path, workdir: Path, *extra: str) -> float:
    started = time.perf_counter()
    subprocess.run([str(redline.resolve()), "build", "--now", "2026-11-21", "--quiet", *extra], cwd=workdir, check=True,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def report(name: str, index: Index, queries: list[str], build_seconds: float | None) -> dict:
    files = index.files()
    raw_total = sum(path.stat().st_size for path in files)
    gzip_total = sum(path.with_name(path.name + ".gz").stat().st_size for path in files)
    rows = []
    for query in queries:
        finished: set[str] = set()
        count = index.search(query, finished)
        typed: set[str] = set()
        letters = ""
        for character in query:
            letters += character
            if len(letters.strip()) >= 2:
                index.search(letters, typed)
        rows.append((query, count, index.transfer(finished), index.transfer(typed)))
    print(f"\n## {name}")
    print(f"pages {index.meta['pages']:,}; sections {index.meta['sections']:,}; term shards {len(index.meta['shards'])}; "
          f"result chunks {index.meta['chunks']}; files {len(files)}")
    print(f"index on disk: {kb(raw_total)} raw, {kb(gzip_total)} gzip; meta.json {kb((index.folder / 'meta.json').stat().st_size)}"
          + (f"; build {build_seconds:.2f} s" if build_seconds else ""))
    print("| query | results | one search (raw / gzip) | typed letter by letter (raw / gzip) |")
    print("|---|---|---|---|")
    for query, count, (raw, compressed), (typed_raw, typed_compressed) in rows:
        print(f"| {query} | {count:,} | {kb(raw)} / {kb(compressed)} | {kb(typed_raw)} / {kb(typed_compressed)} |")
    worst = max(max(row[2][1], row[3][1]) for row in rows)
    median = statistics.median(row[3][1] for row in rows)
    print(f"largest transfer of any search: {kb(worst)} gzip; median typed search {kb(median)} gzip")
    return {"name": name, "index_raw": raw_total, "index_gzip": gzip_total, "worst_gzip": worst, "median_typed_gzip": median}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--redline", type=Path, required=True)
    arguments = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="redline-search-bench-") as temporary:
        root = Path(temporary)
        sample = root / "sample"
        shutil.copytree(ROOT / "content", sample / "content")
        shutil.copytree(ROOT / "templates", sample / "templates")
        seconds = build(arguments.redline, sample)
        report("Sample site (default: policies in force + latest docs)", Index(sample / "public" / "search"),
               ["retention", "cookies", "webhook signature", "delete my account", "transfers outside"], seconds)

        corpus = root / "corpus"
        pages = generate(corpus)
        shutil.copytree(ROOT / "templates", corpus / "templates")
        corpus_queries = ["retention", "personal data", "webhook", "tracking token", "security update within", "re", "section"]
        seconds = build(arguments.redline, corpus)
        report(f"Benchmark corpus, {pages:,} pages (default)", Index(corpus / "public" / "search"), corpus_queries, seconds)
        seconds = build(arguments.redline, corpus, "--search-all-versions")
        report(f"Benchmark corpus, {pages:,} pages (--search-all-versions)", Index(corpus / "public" / "search"), corpus_queries, seconds)


if __name__ == "__main__":
    main()
