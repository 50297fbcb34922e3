"""`redline consent export` and `redline consent verify --bundle`: the consent log of a period,
checked offline, and every kind of tampering named at its first bad place."""
import json
import subprocess
import sys
import warnings
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest

from helpers import request
from test_postgres import consent


@pytest.fixture
def recorded(run, workdir, serve):
    """A site, 14 consents (one subject erased afterwards), and a bundle of today's records."""
    result = run("build", "--now", "2026-11-21")
    assert result.returncode == 0, result.stderr
    manifest = json.loads((workdir / "public" / "manifest.json").read_text())
    server = serve()
    for index in range(14):
        status, _, body = request("POST", server.base + "/api/v1/consent", consent(f"person-{index % 6}", manifest))
        assert status == 201, body
    assert request("DELETE", server.base + "/api/v1/subjects/person-2")[0] == 200
    server.stop()
    today = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    bundle = workdir / "evidence.zip"
    result = run("consent", "export", "--db", "data/redline.sqlite", "--from", today, "--to", today, "--out", str(bundle))
    assert result.returncode == 0, result.stderr
    assert "14 consent records" in result.stdout and "chain records 1 to 14" in result.stdout
    return bundle


def rewrite(bundle: Path, name: str, change) -> None:
    """Rewrites one file of the bundle, as someone handling it could."""
    with zipfile.ZipFile(bundle) as archive:
        files = {info.filename: archive.read(info.filename) for info in archive.infolist()}
    files[name] = change(files[name])
    with zipfile.ZipFile(bundle, "w") as archive:
        for file_name, data in files.items():
            archive.writestr(file_name, data)


def lines_of(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def verify(run, bundle: Path):
    return run("consent", "verify", "--bundle", str(bundle))


def test_a_bundle_verifies_offline_with_erased_subjects_shown_as_erased(recorded, run, workdir):
    (workdir / "data" / "redline.sqlite").unlink()  # offline: the database is not needed
    result = verify(run, recorded)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "14 records" in result.stdout and "14 chain links" in result.stdout and "2 policy texts" in result.stdout
    with zipfile.ZipFile(recorded) as archive:
        records = [json.loads(line) for line in archive.read("records.jsonl").splitlines()]
        names = archive.namelist()
    erased = [r for r in records if r["erasedAt"]]
    assert len(erased) == 2 and all(r["subject"] is None and r["personal"] is None for r in erased)
    assert all(r["evidence"]["personalDigest"] for r in erased), "the evidence stays"
    assert {"bundle.json", "bundle.sig", "records.jsonl", "chain.jsonl", "receipt-keys.json"} <= set(names)
    assert any(name.startswith("policies/privacy/") for name in names)
    # Checked against keys kept apart from the bundle as well.
    keys = workdir / "data" / "redline.sqlite.receipt-key.pub"
    assert run("consent", "verify", "--bundle", str(recorded), "--keys", str(keys)).returncode == 0


def test_a_changed_record_is_named(recorded, run):
    rewrite(recorded, "records.jsonl", lambda data: b"".join(
        line.replace(b'"method":"custom"', b'"method":"accept-all"', 1) if number == 2 else line
        for number, line in enumerate(lines_of(data))))
    result = verify(run, recorded)
    assert result.returncode == 1
    assert "broken at records.jsonl:3 (record 3)" in result.stderr, result.stderr


def test_a_record_missing_from_the_middle_is_named(recorded, run):
    rewrite(recorded, "records.jsonl", lambda data: b"".join(line for number, line in enumerate(lines_of(data)) if number != 6))
    result = verify(run, recorded)
    assert result.returncode == 1 and "record 7" in result.stderr and "is missing" in result.stderr, result.stderr


def test_a_link_removed_from_the_chain_and_the_records_is_named(recorded, run):
    rewrite(recorded, "chain.jsonl", lambda data: b"".join(line for number, line in enumerate(lines_of(data)) if number != 6))
    rewrite(recorded, "records.jsonl", lambda data: b"".join(line for number, line in enumerate(lines_of(data)) if number != 6))
    result = verify(run, recorded)
    assert result.returncode == 1
    assert "chain.jsonl:7 (record 8): follows record 6: 1 record(s) missing" in result.stderr, result.stderr


def test_a_cut_tail_is_named(recorded, run):
    rewrite(recorded, "chain.jsonl", lambda data: b"".join(lines_of(data)[:-2]))
    rewrite(recorded, "records.jsonl", lambda data: b"".join(lines_of(data)[:-2]))
    result = verify(run, recorded)
    assert result.returncode == 1
    assert "ends at record 12" in result.stderr and "cut from the end" in result.stderr, result.stderr


def test_a_policy_text_that_no_longer_matches_is_named(recorded, run):
    with zipfile.ZipFile(recorded) as archive:
        [privacy] = [name for name in archive.namelist() if name.startswith("policies/privacy/")]
    rewrite(recorded, privacy, lambda data: data.replace(b"<p>", b"<p>We may sell your data. ", 1))
    result = verify(run, recorded)
    assert result.returncode == 1
    assert f"broken at {privacy}: its SHA-256 is not" in result.stderr, result.stderr


def test_a_changed_description_or_unreadable_file_is_refused(recorded, run, workdir):
    rewrite(recorded, "bundle.json", lambda data: data.replace(b'"records":14', b'"records":14 ', 1))
    result = verify(run, recorded)
    assert result.returncode == 1 and "bundle.json: its signature in bundle.sig does not verify" in result.stderr, result.stderr
    junk = workdir / "junk.zip"
    junk.write_text("not a zip")
    result = run("consent", "verify", "--bundle", str(junk))
    assert result.returncode == 2 and "not a ZIP file" in result.stderr


def test_export_refuses_bad_periods_and_missing_texts(recorded, run, workdir):
    result = run("consent", "export", "--db", "data/redline.sqlite", "--from", "2026-02-30", "--to", "2026-03-01", "--out", "x.zip")
    assert result.returncode != 0 and "not a date" in result.stderr
    result = run("consent", "export", "--db", "data/redline.sqlite", "--from", "2026-03-02", "--to", "2026-03-01", "--out", "x.zip")
    assert result.returncode != 0 and "after --to" in result.stderr
    empty = run("consent", "export", "--db", "data/redline.sqlite", "--from", "2020-01-01", "--to", "2020-01-31", "--out", "empty.zip")
    assert empty.returncode == 0 and "0 consent records" in empty.stdout
    assert run("consent", "verify", "--bundle", str(workdir / "empty.zip")).returncode == 0
    today = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    for text in (workdir / "public").rglob("text.txt"):
        text.write_text(text.read_text() + "\n<!-- edited after it was served -->")
    result = run("consent", "export", "--db", "data/redline.sqlite", "--from", today, "--to", today, "--out", "late.zip")
    assert result.returncode == 1 and "does not hash to" in result.stderr, result.stderr
    assert not (workdir / "late.zip").exists()


def test_export_and_verify_refuse_a_checkpoint_log_they_cannot_read(recorded, run, workdir):
    """A damaged line in the checkpoint log is named by both commands: neither checks the records
    against fewer checkpoints than were written, and export writes nothing."""
    log = workdir / "data" / "redline.sqlite.checkpoints"
    assert log.exists() and log.read_text().strip(), "the server wrote checkpoints"
    log.write_text(log.read_text() + "this line is not a checkpoint\n")
    today = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    result = run("consent", "export", "--db", "data/redline.sqlite", "--from", today, "--to", today, "--out", "damaged.zip")
    assert result.returncode != 0 and "not a checkpoint" in result.stderr, result.stderr
    assert not (workdir / "damaged.zip").exists()
    result = run("consent", "verify", "--db", "data/redline.sqlite")
    assert result.returncode == 2 and "not a checkpoint" in result.stderr, result.stderr


def test_consent_stats_by_api_and_command(run, workdir, serve):
    assert run("build", "--now", "2026-11-21").returncode == 0
    manifest = json.loads((workdir / "public" / "manifest.json").read_text())
    key = run("keys", "create", "--db", "data/redline.sqlite", "--name", "stats").stdout.strip()
    server = serve()
    for index in range(4):
        body = {**consent(f"st-{index}", manifest), "method": "accept-all" if index < 3 else "reject-all"}
        body.update({"granted": ["analytics", "marketing"], "denied": []} if index < 3 else {"granted": [], "denied": ["analytics", "marketing"]})
        assert request("POST", server.base + "/api/v1/consent", body)[0] == 201
    today = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    auth = {"Authorization": f"Bearer {key}"}
    status, _, stats = request("GET", f"{server.base}/api/v1/admin/consent/stats?from={today}&to={today}", headers=auth)
    assert status == 200, stats
    assert stats["total"] == 4 and stats["byMethod"]["accept-all"] == 3 and stats["byMethod"]["reject-all"] == 1
    assert stats["categories"]["analytics"] == {"granted": 3, "denied": 1, "acceptanceRate": 0.75}
    assert stats["byDay"] == [{"day": today, "total": 4, "byMethod": {"accept-all": 3, "reject-all": 1}}]
    assert request("GET", f"{server.base}/api/v1/admin/consent/stats")[0] == 401
    status, _, bad = request("GET", f"{server.base}/api/v1/admin/consent/stats?from=2026-02-30", headers=auth)
    assert status == 422 and bad["error"]["details"][0]["field"] == "from"
    printed = run("consent", "stats", "--db", "data/redline.sqlite", "--from", today, "--to", today, "--json")
    assert printed.returncode == 0 and json.loads(printed.stdout) == stats


def max_rss_kib(command: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess, int]:
    """Runs `command` from a fresh Python, whose only child it is, so RUSAGE_CHILDREN is its peak alone."""
    script = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=120); "
              "sys.stdout.write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) + '\\n' + str(r.returncode) + '\\n' + r.stderr)")
    wrapper = subprocess.run([sys.executable, "-c", script, *command], cwd=cwd, capture_output=True, text=True, timeout=150)
    peak, status, stderr = wrapper.stdout.split("\n", 2)
    return subprocess.CompletedProcess(command, int(status), "", stderr), int(peak)


def test_a_forged_second_records_file_is_refused(recorded, run):
    """A second records.jsonl after the real one was read in its place: now the bundle is refused."""
    with zipfile.ZipFile(recorded) as archive:
        forged = archive.read("records.jsonl").replace(b'"method":"custom"', b'"method":"accept-all"')
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name, which is the point
        with zipfile.ZipFile(recorded, "a") as archive:
            archive.writestr("records.jsonl", forged)
    result = verify(run, recorded)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "records.jsonl appears twice" in result.stderr, result.stderr


@pytest.mark.parametrize("declared", ["honest", "lying"])
def test_a_zip_bomb_is_refused_in_bounded_memory(redline_bin, workdir, declared):
    """512 MiB of zeros in a 0.5 MB ZIP: once it took 1000 times the bundle's size in memory."""
    bomb = workdir / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("records.jsonl", "w", force_zip64=False) as entry:
            chunk = bytes(1 << 20)
            for _ in range(512):
                entry.write(chunk)
    if declared == "lying":  # the central directory now says 1 KiB: the bytes inflated must be counted
        data = bytearray(bomb.read_bytes())
        directory = data.rindex(b"PK\x01\x02")
        data[directory + 24:directory + 28] = (1024).to_bytes(4, "little")
        bomb.write_bytes(bytes(data))
    result, peak_kib = max_rss_kib([str(redline_bin), "consent", "verify", "--bundle", str(bomb)], workdir)
    assert result.returncode == 2, result.stderr
    assert "zip bomb" in result.stderr, result.stderr
    assert peak_kib < 150 * 1024, f"verify peaked at {peak_kib // 1024} MiB"
