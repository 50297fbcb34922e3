#!/usr/bin/env python3
"""make bench-redline, second part: every consecutive pair of ../shared/corpora's histories as a
Word redline (`redline diff --format docx`), read back by pandoc. A pair reads back exactly when
accepting every tracked change gives the words of the new version and rejecting every change the
words of the old one (both as pandoc reads the Markdown itself), in order.

Not part of `make test`: the corpora are not in the repository. Needs pandoc.
"""
import argparse
import difflib
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "e2e"))
from test_redline_documents import pandoc_json, words_of  # noqa: E402


def body_words(path: Path, scratch: Path) -> list[str]:
    text = path.read_text()
    text = text.split("---\n", 2)[2] if text.startswith("---\n") else text
    (scratch / "body.md").write_text(text)
    return words_of(pandoc_json(scratch / "body.md", "-f", "gfm"))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--redline", default=str(ROOT / ".build" / "release" / "redline"))
    parser.add_argument("--corpora", default=str(ROOT.parent / "shared" / "corpora"))
    args = parser.parse_args()
    corpora = Path(args.corpora)
    if not corpora.is_dir():
        print(f"no corpora at {corpora}: skipped")
        return 0
    exact = total = 0
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        for history in sorted(p for p in corpora.iterdir() if p.is_dir()):
            versions = sorted(history.glob("*.md"))
            for old, new in zip(versions, versions[1:]):
                total += 1
                docx = scratch / "redline.docx"
                subprocess.run([args.redline, "diff", str(old), str(new), "--format", "docx", "-o", str(docx)], check=True)
                problems = []
                for mode, source in (("accept", new), ("reject", old)):
                    expected = body_words(source, scratch)
                    got = words_of(pandoc_json(docx, "-f", "docx", f"--track-changes={mode}"))[-len(expected):]
                    if got != expected:
                        changes = [op for op in difflib.SequenceMatcher(None, got, expected, autojunk=False).get_opcodes() if op[0] != "equal"]
                        problems.append(f"{mode}: {len(changes)} places differ")
                if problems:
                    print(f"{history.name} {old.stem} → {new.stem}: " + "; ".join(problems))
                else:
                    exact += 1
    print(f"Word redlines read back exactly by pandoc: {exact} of {total} pairs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
