"""Commands read only inside the folder they were given: a symlink in content/ that leads out of it
(to /etc/passwd, another checkout's openapi.yaml) is refused, not followed."""
import os
import shutil


def secret(workdir):
    """A file outside content/ with a word no output may show."""
    outside = workdir / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "secret.md").write_text("---\ntitle: Secret\n---\n# Secret\n\nroot:x:0:0:SECRET-WORD\n")
    return outside / "secret.md"


def test_diff_by_dates_does_not_follow_a_version_linked_outside(run, workdir):
    link = workdir / "content/policies/privacy/2030-01-01.md"
    os.symlink(secret(workdir), link)
    result = run("diff", "privacy", "2027-03-01", "2030-01-01")
    assert result.returncode != 0
    assert "SECRET-WORD" not in result.stdout + result.stderr
    assert f"{link.relative_to(workdir)}: error: leads outside content" in result.stderr, result.stderr


def test_diff_by_dates_does_not_read_a_site_yaml_linked_outside(run, workdir):
    site = workdir / "content/site.yaml"
    shutil.move(site, workdir / "outside-site.yaml")
    os.symlink(workdir / "outside-site.yaml", site)
    result = run("diff", "privacy", "2026-06-01", "2027-03-01")
    assert result.returncode != 0 and "content/site.yaml: error: leads outside content" in result.stderr, result.stderr


def test_diff_by_dates_refuses_a_policy_id_that_climbs_out(run, workdir):
    (workdir / "outside").mkdir()
    (workdir / "outside/2026-01-01.md").write_text("# A\n\nSECRET-WORD\n")
    (workdir / "outside/2026-02-01.md").write_text("# A\n\nother\n")
    result = run("diff", "../outside", "2026-01-01", "2026-02-01")
    assert result.returncode != 0 and "SECRET-WORD" not in result.stdout
    assert "is not a policy id" in result.stderr, result.stderr


def test_diff_docs_does_not_read_an_openapi_file_linked_outside(run, workdir):
    spec = workdir / "content/docs/v2/openapi.yaml"
    outside = workdir / "outside"
    outside.mkdir()
    shutil.move(spec, outside / "openapi.yaml")
    os.symlink(outside / "openapi.yaml", spec)
    result = run("diff", "docs", "v1", "v2")
    assert result.returncode != 0, result.stdout
    assert "content/docs/v2/openapi.yaml: error: symlink leads outside the folder" in result.stderr, result.stderr


def test_links_inside_content_still_work(run, workdir):
    os.symlink("2027-03-01.md", workdir / "content/policies/privacy/2030-01-01.md")
    result = run("diff", "privacy", "2027-03-01", "2030-01-01")
    assert result.returncode == 0, result.stderr


def test_export_refuses_to_overwrite_the_database_or_a_key(run, workdir, serve):
    """`--out` naming an input (by another spelling, or through a symlink) is refused and leaves it as it was."""
    assert run("build", "--now", "2026-11-21").returncode == 0
    serve().stop()  # the store and its receipt key, as a server leaves them
    db = workdir / "data/redline.sqlite"
    key = workdir / "data/redline.sqlite.receipt-key"
    os.symlink(db, workdir / "db-link")
    for out in ["data/../data/redline.sqlite", str(key), str(key) + ".pub", "db-link"]:
        before = {path: path.read_bytes() for path in [db, key] if path.exists()}
        result = run("consent", "export", "--db", str(db), "--from", "2026-11-01", "--to", "2026-11-30", "--out", out)
        assert result.returncode != 0, out
        assert "refusing to overwrite it" in result.stderr, result.stderr
        assert {path: path.read_bytes() for path in before} == before, out


def test_diff_docx_refuses_to_overwrite_its_input(run, workdir):
    old = workdir / "content/policies/terms/2025-03-01.md"
    before = old.read_bytes()
    result = run("diff", str(old), "content/policies/terms/2026-06-01.md", "--format", "docx", "--output", str(old))
    assert result.returncode != 0 and "is the old text" in result.stderr, result.stderr
    assert old.read_bytes() == before
