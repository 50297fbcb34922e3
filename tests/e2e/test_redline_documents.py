"""`redline diff --format docx|pdf`, read back by independent readers: pandoc for the Word
document's tracked changes, LibreOffice (through `--format pdf`) and poppler for the PDF."""
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "redlines"

OLD = """# Privacy Policy

## What we collect

We collect your name and address when you create an account.

- Shipping labels
- Invoices

| Processor | Purpose |
|---|---|
| Stripe | Payments |
| Helpwell | Support inbox |

## Contact

Write to our team at any time[^post].

An old paragraph we no longer need at all.

1. First step
2. Second step

[^post]: By post to our office.
"""

NEW = """# Privacy Policy

## What we collect and why

We collect your name, address and phone number when you create an account.

- Shipping labels
- Tracking events
- Invoices

| Processor | Purpose |
|---|---|
| Stripe | Payments and refunds |
| Postmark | E-mail delivery |
| Helpwell | Support inbox |

## Contact

Write to our team at any time[^post].

1. First step
2. A new second step
3. Third step

[^post]: By post or e-mail to our office.
"""

needs_pandoc = pytest.mark.skipif(shutil.which("pandoc") is None, reason="pandoc is installed by `make test`")
needs_office = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                                  reason="LibreOffice and poppler are installed by `make test`")


def words_of(node) -> list[str]:
    """Every word of a pandoc JSON AST, in reading order (footnotes where they are cited)."""
    found: list[str] = []

    def walk(value):
        if isinstance(value, dict):
            kind, content = value.get("t"), value.get("c")
            if kind == "Str":
                found.extend(re.findall(r"[^\W_]+", content))
            elif kind in ("Code", "CodeBlock"):
                found.extend(re.findall(r"[^\W_]+", content[1]))
            else:
                walk(content)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(node["blocks"] if isinstance(node, dict) and "blocks" in node else node)
    return found


def op_words(markdown: str) -> list[str]:
    """The words of a redline op as a reader sees them: a list item's number is Word's numbering."""
    return re.findall(r"[^\W_]+", re.sub(r"(?m)^\s*\d+[.)]\s", "", markdown))


def pandoc_json(path: Path, *args: str) -> dict:
    result = subprocess.run(["pandoc", *args, "-t", "json", str(path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def spans(node, kind: str) -> list[list[str]]:
    """The words of every tracked insertion or deletion pandoc reports."""
    found = []

    def walk(value):
        if isinstance(value, dict):
            if value.get("t") == "Span" and kind in value["c"][0][1]:
                found.append(words_of(value["c"][1]))
            walk(value.get("c"))
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(node["blocks"])
    return found


def body(path: Path) -> str:
    text = path.read_text()
    return text.split("---\n", 2)[2] if text.startswith("---\n") else text


def write_pair(folder: Path, old: str, new: str) -> tuple[Path, Path]:
    (folder / "old.md").write_text(old)
    (folder / "new.md").write_text(new)
    return folder / "old.md", folder / "new.md"


def accepted_and_rejected_match(run, tmp_path: Path, old_md: Path, new_md: Path, *extra: str) -> Path:
    """Accepting every change gives the new text's words, rejecting every change the old one's."""
    docx = tmp_path / "redline.docx"
    result = run("diff", str(old_md), str(new_md), "--format", "docx", "--output", str(docx), "--date", "2026-11-22", *extra)
    assert result.returncode == 0, result.stderr
    expected_new = words_of(pandoc_json(write_body(tmp_path / "new-body.md", new_md), "-f", "gfm"))
    expected_old = words_of(pandoc_json(write_body(tmp_path / "old-body.md", old_md), "-f", "gfm"))
    accepted = words_of(pandoc_json(docx, "-f", "docx", "--track-changes=accept"))
    rejected = words_of(pandoc_json(docx, "-f", "docx", "--track-changes=reject"))
    # The first page (title, summary, table of changed sections) comes before the text.
    assert accepted[-len(expected_new):] == expected_new
    assert rejected[-len(expected_old):] == expected_old
    return docx


def write_body(path: Path, source: Path) -> Path:
    path.write_text(body(source))
    return path


@needs_pandoc
def test_every_insertion_and_deletion_reads_back_in_pandoc(run, tmp_path):
    old_md, new_md = write_pair(tmp_path, OLD, NEW)
    docx = accepted_and_rejected_match(run, tmp_path, old_md, new_md, "--author", "Legal team")
    ops = json.loads(run("diff", str(old_md), str(new_md), "--format", "json").stdout)["ops"]
    tracked = pandoc_json(docx, "-f", "docx", "--track-changes=all")
    inserted, deleted = spans(tracked, "insertion"), spans(tracked, "deletion")
    # The same words as the redline's own insertions and deletions (pandoc reads a footnote where
    # it is cited, the ops have it where it is defined).
    assert sorted(sum(inserted, [])) == sorted(sum((op_words(op["text"]) for op in ops if op["op"] == "insert"), []))
    assert sorted(sum(deleted, [])) == sorted(sum((op_words(op["text"]) for op in ops if op["op"] == "delete"), []))
    assert ["Tracking", "events"] in inserted and ["An", "old", "paragraph", "we", "no", "longer", "need", "at", "all"] in deleted
    authors = set(re.findall(r'author="([^"]*)"', subprocess.run(
        ["pandoc", "-f", "docx", "--track-changes=all", "-t", "markdown", str(docx)], capture_output=True, text=True).stdout))
    assert authors == {"Legal team"}
    # Word's own structures: headings, a bulleted and a numbered list, a table, a footnote.
    kinds = {block["t"] for block in tracked["blocks"]}
    assert {"Header", "BulletList", "OrderedList", "Table"} <= kinds
    assert "Note" in json.dumps(tracked)


@needs_pandoc
def test_every_consecutive_pair_of_the_sample_policies_reads_back(run, workdir, tmp_path):
    for policy in sorted((workdir / "content" / "policies").iterdir()):
        versions = sorted(policy.glob("*.md"))
        for old_md, new_md in zip(versions, versions[1:]):
            accepted_and_rejected_match(run, tmp_path, old_md, new_md)


@needs_office
def test_pdf_prints_title_dates_page_numbers_on_the_sites_paper(run, workdir, tmp_path):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTIFACTS / "privacy-redline.pdf"
    result = run("diff", "privacy", "2025-09-15", "2026-06-01", "--format", "pdf", "--output", str(pdf), "--date", "2026-11-22")
    assert result.returncode == 0, result.stderr
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "(A4)" in info and "Title:" in info
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= 2
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Privacy Policy" in text and "Redline: 2025-09-15 → 2026-06-01" in text
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "3", str(pdf), str(ARTIFACTS / "privacy-redline")], check=True)

    # site.yaml's paper decides the size.
    site = workdir / "content" / "site.yaml"
    site.write_text(site.read_text() + "paper: letter\n")
    letter = tmp_path / "letter.pdf"
    assert run("diff", "privacy", "2025-09-15", "2026-06-01", "--format", "pdf", "-o", str(letter)).returncode == 0
    assert "(letter)" in subprocess.run(["pdfinfo", str(letter)], capture_output=True, text=True).stdout


@needs_office
def test_libreoffice_converts_the_structural_fixture_without_error(run, tmp_path):
    old_md, new_md = write_pair(tmp_path, OLD, NEW)
    pdf = tmp_path / "fixture.pdf"
    result = run("diff", str(old_md), str(new_md), "--format", "pdf", "--output", str(pdf), "--paper", "letter")
    assert result.returncode == 0, result.stderr
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Tracking events" in text and "Postmark" in text and "An old paragraph" in text


def test_bad_requests_get_clear_errors_and_write_nothing(run, tmp_path):
    old_md, new_md = write_pair(tmp_path, OLD, NEW)
    out = tmp_path / "out.docx"
    for args, message in [
        (["--format", "docx", "--output", str(out), "--date", "yesterday"], "--date 'yesterday'"),
        (["--format", "docx", "--output", str(out), "--paper", "a3"], "a3"),
        (["--format", "text", "--output", str(out)], "--output is for --format docx and pdf"),
        (["--format", "docx", "--output", str(tmp_path / "no-such-folder" / "x.docx")], "no-such-folder"),
    ]:
        result = run("diff", str(old_md), str(new_md), *args)
        assert result.returncode != 0 and message in result.stderr, (args, result.stderr)
    assert not out.exists()
    # Without LibreOffice, the PDF is refused with the package to install; DOCX still works.
    result = run("diff", str(old_md), str(new_md), "--format", "pdf", "-o", str(tmp_path / "x.pdf"), env={"PATH": "/nonexistent"})
    assert result.returncode != 0 and "libreoffice-writer" in result.stderr
    assert run("diff", str(old_md), str(new_md), "--format", "docx", "-o", str(out), env={"PATH": "/nonexistent"}).returncode == 0
    assert out.read_bytes()[:2] == b"PK"
