"""`redline diff` and the change-notice checks through the real binary."""
import json


def test_diff_by_policy_and_dates_in_every_format(run):
    text = run("diff", "privacy", "2026-06-01", "2027-03-01")
    assert text.returncode == 0, text.stderr
    assert "@@ Who we share information with @@ Renamed from \"Sharing\"" in text.stdout
    assert "{+| Dashboard analytics | 14 months |" in text.stdout
    assert "front matter effective: 2026-06-01 → 2027-03-01" in text.stdout
    assert "\x1b[" not in text.stdout, "no colour when stdout is not a terminal"

    data = json.loads(run("diff", "privacy", "2026-06-01", "2027-03-01", "--format", "json").stdout)
    statuses = {s["heading"]: s["status"] for s in data["sections"]}
    assert statuses["Who we share information with"] == "renamed"
    assert statuses["Product analytics"] == "added"
    assert statuses["Who we are"] == "unchanged"
    assert data["stats"]["inserted"] == sum(s["inserted"] for s in data["sections"])

    html = run("diff", "privacy", "2026-06-01", "2027-03-01", "--format", "html").stdout
    assert html.startswith("<!doctype html>") and "<ins>Who we share information with</ins>" in html

    markdown = run("diff", "privacy", "2026-06-01", "2027-03-01", "--format", "markdown").stdout
    assert "| Product analytics | added |" in markdown


def test_json_ops_rebuild_both_files_exactly(run, workdir):
    old = workdir / "content/policies/terms/2025-03-01.md"
    new = workdir / "content/policies/terms/2026-06-01.md"
    data = json.loads(run("diff", str(old), str(new), "--format", "json").stdout)
    body = lambda path: path.read_text().split("\n---\n", 1)[1]
    assert "".join(op["text"] for op in data["ops"] if op["op"] != "insert") == body(old)
    assert "".join(op["text"] for op in data["ops"] if op["op"] != "delete") == body(new)


def test_diff_reports_a_missing_version(run):
    result = run("diff", "privacy", "2026-06-01", "2031-01-01")
    assert result.returncode != 0
    assert "2031-01-01.md does not exist" in result.stderr
    assert "versions: 2025-03-01, 2025-09-15, 2026-06-01, 2027-03-01" in result.stderr


def test_strict_check_rejects_an_editorial_version_that_looks_material(run, workdir):
    path = workdir / "content/policies/privacy/2025-09-15.md"
    path.write_text(path.read_text().replace("| Shipment data | 13 months", "| Shipment data | 36 months"))
    relaxed = run("check", "--now", "2026-11-21")
    assert relaxed.returncode == 0
    assert "content/policies/privacy/2025-09-15.md:4: warning: marked editorial, but it changes the section 'Retention'" in relaxed.stderr
    strict = run("check", "--now", "2026-11-21", "--strict")
    assert strict.returncode == 1
    assert "content/policies/privacy/2025-09-15.md:4: error: marked editorial" in strict.stderr


def test_build_writes_change_notices_and_feeds(run, workdir):
    assert run("build", "--now", "2026-11-21").returncode == 0
    public = workdir / "public"
    for policy, dates in {"privacy": ["2025-09-15", "2026-06-01", "2027-03-01"], "cookies": ["2026-02-01"], "terms": ["2026-06-01"]}.items():
        for date in dates:
            notice = (public / policy / "changes" / date / "index.html").read_text()
            assert "<ins>" in notice or "<del>" in notice
        assert (public / policy / "feed.xml").read_text().count("<entry>") == len(dates) + 1
    manifest = json.loads((public / "manifest.json").read_text())
    privacy = next(d for d in manifest["documents"] if d["id"] == "privacy")
    assert privacy["versions"][0]["changesUrl"] is None
    assert privacy["versions"][3]["changesUrl"].endswith("/privacy/changes/2027-03-01/")
    assert {s["status"] for s in privacy["versions"][3]["changedSections"]} == {"added", "renamed", "modified"}


def test_diff_docs_lists_pages_added_removed_and_changed_with_redlines(run, workdir):
    result = run("diff", "docs", "v1", "v2")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "docs v1 → v2: 3 pages added, 2 removed, 8 changed; API: 18 changes, 12 breaking"
    assert "! breaking  POST /shipments: request field values removed: carrier (\"evri\")" in lines
    assert "  DELETE /shipments/{id}: operation added" in lines
    assert "+ webhooks (Webhooks)" in lines and "- labels (Reprint a label)" in lines
    assert any(line.startswith("~ authentication (Authentication): +") for line in lines)
    assert "== authentication ==" in lines

    # A page that did not change is not listed; a page edited in v2 is.
    page = workdir / "content/docs/v2/errors.md"
    (workdir / "content/docs/v1/errors.md").write_text(page.read_text())
    result = run("diff", "docs", "v1", "v2", "--format", "json")
    assert result.returncode == 0, result.stderr
    diff = json.loads(result.stdout)
    assert (diff["from"], diff["to"]) == ("v1", "v2")
    assert sorted(p["path"] for p in diff["added"]) == ["pagination", "reference/events", "webhooks"]
    assert [p["path"] for p in diff["removed"]] == ["labels", "reference/labels"]
    assert {"operation": "POST /shipments", "kind": "request field made required", "subject": "to.country", "breaking": True} in diff["api"]
    changed = {p["path"]: p for p in diff["changed"]}
    assert "errors" not in changed and "authentication" in changed
    assert changed["authentication"]["inserted"] > 0 and changed["authentication"]["redline"]["sections"]

    markdown = run("diff", "docs", "v1", "v2", "--format", "markdown").stdout
    assert markdown.startswith("# Docs v1 → v2") and "## Removed" in markdown and "## Changed: `authentication`" in markdown

    missing = run("diff", "docs", "v1", "v9")
    assert missing.returncode != 0 and "there is no docs version 'v9'" in missing.stderr and "v1, v2" in missing.stderr
    html = run("diff", "docs", "v1", "v2", "--format", "html")
    assert html.returncode == 0 and html.stdout.startswith("<!doctype html>")
    assert "<strong>Breaking:</strong> <code>GET /labels/{id}</code>: operation removed" in html.stdout
    assert "<h2>Changed: <code>authentication</code> (Authentication)</h2>" in html.stdout


def test_diff_docs_fail_on_breaking_exits_1_only_when_the_api_breaks_clients(run, workdir):
    result = run("diff", "docs", "v1", "v2", "--fail-on", "breaking")
    assert result.returncode == 1
    assert result.stdout.startswith("docs v1 → v2:"), "the changes are printed before failing"
    assert result.stderr == "12 breaking changes between docs v1 and v2\n"

    # Only additions: an optional field and a new operation break nobody.
    spec = workdir / "content/docs/v1/openapi.yaml"
    newer = spec.read_text().replace(
        "        price: { type: integer, description: In pence. }\n",
        "        price: { type: integer, description: In pence. }\n        insured: { type: boolean }\n")
    v3 = workdir / "content/docs/v3"
    v3.mkdir()
    (v3 / "index.md").write_text("---\ntitle: Parcelbird API v3\n---\n\nSame as v1, plus insurance.\n")
    (v3 / "openapi.yaml").write_text(newer)
    result = run("diff", "docs", "v1", "v3", "--fail-on", "breaking", "--format", "json")
    assert result.returncode == 0, result.stderr
    api = json.loads(result.stdout)["api"]
    assert {change["kind"] for change in api} == {"response field added"} and not any(change["breaking"] for change in api)

    assert run("diff", "privacy", "2025-03-01", "2026-06-01", "--fail-on", "breaking").returncode == 64
