"""`redline build` and `redline check` as an editor runs them: real binary, real files."""
import hashlib
import json
import os
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

NOW = "2026-11-21"


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids, self.canonical = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "link" and attrs.get("rel") == "canonical":
            self.canonical = attrs.get("href")


def parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text())
    return collector


def test_build_writes_the_output_contract(run, workdir):
    result = run("build", "--now", NOW)
    assert result.returncode == 0, result.stderr
    assert re.match(r"Built \d+ pages into public/ for 2026-11-21", result.stdout)
    public = workdir / "public"
    manifest = json.loads((public / "manifest.json").read_text())
    assert {"generatedAt", "documents", "docs"} <= manifest.keys()
    ids = {d["id"] for d in manifest["documents"]}
    assert ids == {"privacy", "cookies", "terms"}
    for document in manifest["documents"]:
        assert (public / document["id"] / "index.html").exists()
        assert (public / document["id"] / "versions" / "index.html").exists()
        statuses = [v["status"] for v in document["versions"]]
        assert statuses.count("current") == 1
        for version in document["versions"]:
            assert set(version) >= {"effective", "material", "summary", "status", "url", "sha256"}
            assert re.fullmatch(r"[0-9a-f]{64}", version["sha256"])
            page = public / document["id"] / version["effective"] / "index.html"
            assert page.exists()
            assert version["url"].endswith(f"/{document['id']}/{version['effective']}/")
    privacy = next(d for d in manifest["documents"] if d["id"] == "privacy")
    assert [v["status"] for v in privacy["versions"]] == ["archived", "archived", "current", "upcoming"]
    assert [v["material"] for v in privacy["versions"]] == [True, False, True, True]
    for name in ["sitemap.xml", "robots.txt", "404.html", "docs/index.html", "assets/style.css"]:
        assert (public / name).exists(), name
    assert [d["version"] for d in manifest["docs"]] == ["v1", "v2"]
    for version in manifest["docs"]:
        assert len(version["pages"]) >= 5


def test_sha256_is_the_hash_of_the_rendered_policy_body(run, workdir):
    assert run("build", "--now", NOW).returncode == 0
    manifest = json.loads((workdir / "public/manifest.json").read_text())
    version = manifest["documents"][1]["versions"][-1]
    html = (workdir / "public" / manifest["documents"][1]["id"] / version["effective"] / "index.html").read_text()
    body = html.split('<div class="prose">\n', 1)[1].split('\n  </div>\n  <footer class="version-nav">', 1)[0]
    assert hashlib.sha256(body.encode()).hexdigest() == version["sha256"]


def test_every_internal_link_and_anchor_resolves(run, workdir):
    assert run("build", "--now", NOW).returncode == 0
    public = workdir / "public"
    pages = list(public.rglob("*.html"))
    assert len(pages) > 30
    for page in pages:
        collected = parse(page)
        assert len(collected.ids) == len(set(collected.ids)), f"duplicate ids in {page}"
        for href in collected.links:
            if href.startswith(("http://", "https://", "mailto:")):
                continue
            path, _, fragment = href.partition("#")
            if not path:
                assert fragment in collected.ids, f"{page}: #{fragment} has no target"
                continue
            target = public / path.lstrip("/")
            if path.endswith("/"):
                target = target / "index.html"
            assert target.exists(), f"{page.relative_to(public)} links to missing {href}"


def test_now_decides_what_is_current(run, workdir):
    assert run("build", "--now", "2026-11-21").returncode == 0
    before = (workdir / "public/privacy/index.html").read_text()
    assert "This policy is changing." in before and "status-current" in before
    assert "Upcoming version." in (workdir / "public/privacy/2027-03-01/index.html").read_text()
    assert run("build", "--now", "2027-03-01").returncode == 0
    after = (workdir / "public/privacy/index.html").read_text()
    assert "Dashboard analytics" in after and "This policy is changing." not in after


def test_check_reports_all_problems_with_file_and_line(run, workdir):
    policy = workdir / "content/policies/privacy/2028-01-01.md"
    policy.write_text("---\ntitle: Privacy Policy\neffective: 2028-01-02\nmaterial: yes please\n---\nText\n")
    (workdir / "content/docs/v2/untitled.md").write_text("---\nweight: 9\n---\nNo title\n")
    result = run("check", "--now", NOW)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert "content/policies/privacy/2028-01-01.md:3: error: 'effective' is not a date: expected YYYY-MM-DD, got '2028-01-02'" not in lines
    assert "content/policies/privacy/2028-01-01.md:3: error: 'effective' is 2028-01-02 but the file name says 2028-01-01: they must match" in lines
    assert "content/policies/privacy/2028-01-01.md:4: error: 'material' must be true or false, not 'yes please'" in lines
    assert "content/docs/v2/untitled.md:1: error: missing required field 'title'" in lines
    assert not (workdir / "public").exists(), "check must not write"


def test_callouts_render_as_asides_and_an_unknown_kind_is_a_warning_with_its_line(run, workdir):
    page = workdir / "content/docs/v2/callouts.md"
    page.write_text("---\ntitle: Callouts\n---\n\n> [!IMPORTANT]\n> Read this.\n\n> [!DANGER]\n> Not a kind.\n")
    result = run("check", "--now", NOW)
    assert result.returncode == 0, result.stderr
    assert ("content/docs/v2/callouts.md:8: warning: [!DANGER] is not a callout: use one of [!NOTE], [!TIP], [!IMPORTANT], "
            "[!WARNING], [!CAUTION]; it is shown as a plain quote") in result.stderr.splitlines(), result.stderr
    assert run("check", "--now", NOW, "--strict").returncode == 1
    assert run("build", "--now", NOW).returncode == 0
    html = (workdir / "public/docs/v2/callouts/index.html").read_text()
    assert '<aside class="callout callout-important" aria-label="Important">' in html and "[!IMPORTANT]" not in html
    assert "<blockquote>\n<p>[!DANGER]" in html


def test_code_is_highlighted_at_build_time_and_an_unknown_language_is_a_warning_with_its_line(run, workdir):
    page = workdir / "content/docs/v2/code.md"
    page.write_text("---\ntitle: Code\n---\n\n```python\ndef f():\n    return 1\n```\n\n```pyhton\nx = 1\n```\n")
    result = run("check", "--now", NOW)
    assert result.returncode == 0, result.stderr
    assert ("content/docs/v2/code.md:10: warning: 'pyhton' is not a language the highlighter knows "
            "(e.g. python, javascript, json, yaml, bash, http, go, text); the code is shown plain") in result.stderr.splitlines(), result.stderr
    assert run("build", "--now", NOW).returncode == 0
    html = (workdir / "public/docs/v2/code/index.html").read_text()
    assert '<pre><code class="language-python"><span class="k">def</span>' in html
    assert '<pre><code class="language-pyhton">x = 1\n</code></pre>' in html


def test_without_pygments_the_build_goes_on_with_plain_code_and_says_why(run, workdir, tmp_path):
    # A python3 that cannot import Pygments, first on the PATH.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3").write_text("#!/bin/sh\nexec /usr/bin/python3 -S \"$@\"\n")
    (bin_dir / "python3").chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    result = run("build", "--now", NOW, env=env)
    assert result.returncode == 0, result.stderr
    assert ("python3: warning: code blocks are not highlighted: python3 with Pygments is not installed "
            "(apt install python3-pygments)") in result.stderr.splitlines(), result.stderr
    html = (workdir / "public/docs/v2/shipments/create/index.html").read_text()
    assert '<pre><code class="language-json">{\n  &quot;id&quot;' in html and 'class="nt"' not in html


def test_last_updated_comes_from_git_else_from_file_times_and_reproducible_leaves_it_out(run, workdir):
    def git(*args, date="2026-05-04T10:00:00Z"):
        env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        subprocess.run(["git", "-c", "user.name=Editor", "-c", "user.email=editor@example.com", *args],
                       cwd=workdir, env=env, check=True, capture_output=True)

    def updated(page):
        match = re.search(r'Last updated <time datetime="([0-9-]+)">([^<]+)</time>',
                          (workdir / f"public/docs/v2/{page}/index.html").read_text())
        return match and match.groups()

    git("init", "-q")
    git("add", "content")
    git("commit", "-qm", "first")
    errors = workdir / "content/docs/v2/errors.md"
    os.utime(errors, (1577836800, 1577836800))  # 2020-01-01: a checkout's file time, which git's date beats
    draft = workdir / "content/docs/v2/new.md"
    draft.write_text("---\ntitle: New\n---\n\nNot committed yet.\n")
    os.utime(draft, (1770076800, 1770076800))  # 2026-02-03
    assert run("build", "--now", NOW).returncode == 0
    assert updated("errors") == ("2026-05-04", "4 May 2026")
    assert updated("new") == ("2026-02-03", "3 February 2026")
    assert "<loc>https://legal.parcelbird.example/docs/v2/errors/</loc><lastmod>2026-05-04</lastmod>" in (workdir / "public/sitemap.xml").read_text()

    # A commit changes no file, yet the page must say the new day: not "up to date".
    git("commit", "-qm", "second", "--allow-empty")
    errors.write_text(errors.read_text() + "\nOne more line.\n")
    git("commit", "-qam", "third", date="2026-07-01T09:00:00Z")
    result = run("build", "--now", NOW)
    assert result.returncode == 0 and "up to date" not in result.stdout, result.stdout
    assert updated("errors") == ("2026-07-01", "1 July 2026")

    assert run("build", "--now", NOW, "--reproducible").returncode == 0
    assert updated("errors") is None and updated("new") is None


def test_the_cookie_table_follows_site_yaml_by_effective_date_and_never_rewrites_a_published_version(run, workdir):
    site_yaml = workdir / "content/site.yaml"
    original = site_yaml.read_text()
    policy = (workdir / "content/policies/cookies/2026-02-01.md").read_text()
    start, end = policy.index("| Name | Purpose | Lasts |"), policy.index("### Analytics")
    table_version = policy[:start] + "{{cookie-table}}\n\n" + policy[end:]
    (workdir / "content/policies/cookies/2027-01-15.md").write_text(
        table_version.replace("effective: 2026-02-01", "effective: 2027-01-15").replace("material: false", "material: true\npublished: 2026-11-20"))
    (workdir / "content/policies/cookies/2027-06-01.md").write_text(
        table_version.replace("effective: 2026-02-01", "effective: 2027-06-01").replace("material: false", "material: true\npublished: 2026-11-20"))
    # A cookie that arrives with the June version, and one the January version still lists.
    site_yaml.write_text(original.replace(
        "        - { name: pb_campaign, duration: 30 days, purpose: Remembers which campaign brought you to us. }",
        "        - { name: pb_campaign, duration: 30 days, purpose: Remembers which campaign brought you to us., until: 2027-06-01 }\n"
        "        - { name: pb_ref, duration: 90 days, purpose: Remembers the partner who sent you., since: 2027-06-01 }"))
    result = run("build", "--now", NOW)
    assert result.returncode == 0, result.stderr
    january = (workdir / "public/cookies/2027-01-15/index.html").read_text()
    june = (workdir / "public/cookies/2027-06-01/index.html").read_text()
    assert "<td><code>_pk_id.*</code></td>\n<td>Analytics</td>\n<td>Parcelbird (self-hosted Matomo)</td>" in january
    assert "<code>pb_campaign</code>" in january and "<code>pb_ref</code>" not in january
    assert "<code>pb_ref</code>" in june and "<code>pb_campaign</code>" not in june
    assert "{{cookie-table}}" not in january
    notice = (workdir / "public/cookies/changes/2027-06-01/index.html").read_text()
    assert "<td><code>pb_<del>campaign</del><ins>ref</ins></code></td>" in notice, "the redline shows the table's change"
    diff = run("diff", "cookies", "2027-01-15", "2027-06-01")
    assert "`pb_[-campaign-]{+ref+}`" in diff.stdout, "redline diff compares the versions as the site shows them"
    # The text the hash covers holds the table too.
    assert "pb_ref" in (workdir / "public/cookies/2027-06-01/text.txt").read_text()

    # A date that is no version's would change a published table between versions.
    site_yaml.write_text(original.replace(
        "        - { name: pb_campaign, duration: 30 days, purpose: Remembers which campaign brought you to us. }",
        "        - { name: pb_campaign, duration: 30 days, purpose: Remembers which campaign brought you to us., until: 2027-02-01 }"))
    result = run("check", "--now", NOW)
    assert result.returncode == 1
    assert re.search(r"content/site.yaml:\d+: error: cookie 'pb_campaign': 'until: 2027-02-01' is not the effective date of a policy version "
                     r"with the cookie table", result.stderr), result.stderr


def test_site_yaml_consent_settings_are_checked_at_their_lines(run, workdir):
    site_yaml = workdir / "content/site.yaml"
    site_yaml.write_text(site_yaml.read_text()
                         .replace("        - { name: pb_campaign, duration: 30 days,", "        - { name: pb campaign, duration: 30 days,")
                         .replace("      acceptAll: Alle akzeptieren", "      acceptAl: Alle akzeptieren")
                         + "contentSecurityPolicy:\n  script-src: [\"'unsafe-inline'\", https://stats.example]\n  default-src: [https://x.example]\n")
    result = run("check", "--now", NOW)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert any(re.match(r"content/site.yaml:\d+: error: cookie name 'pb campaign' cannot hold spaces", line) for line in lines), result.stderr
    assert any(re.match(r"content/site.yaml:\d+: warning: unknown field 'acceptAl' is ignored \(did you mean 'acceptAll'\?\)", line) for line in lines)
    assert any("error: ''unsafe-inline'' is not an origin" in line and "would let injected code run" in line for line in lines), result.stderr
    assert any("error: 'default-src' cannot be set here" in line for line in lines)


def test_edit_url_puts_an_edit_link_on_docs_pages_and_a_bad_pattern_is_an_error_with_its_line(run, workdir):
    site_yaml = workdir / "content/site.yaml"
    original = site_yaml.read_text()
    site_yaml.write_text(original + "editURL: https://github.com/parcelbird/legal/edit/main/content/{path}\n")
    assert run("build", "--now", NOW).returncode == 0
    html = (workdir / "public/docs/v2/authentication/index.html").read_text()
    assert '<a href="https://github.com/parcelbird/legal/edit/main/content/docs/v2/authentication.md">Edit this page</a>' in html
    nested = (workdir / "public/docs/v1/shipments/create/index.html").read_text()
    assert "edit/main/content/docs/v1/shipments/create.md" in nested
    assert "Edit this page" not in (workdir / "public/privacy/index.html").read_text(), "policies are versions, not pages to edit"
    line = len(original.splitlines()) + 1
    site_yaml.write_text(original + "editURL: https://github.com/parcelbird/legal/edit/main/content/\n")
    result = run("check", "--now", NOW)
    assert result.returncode == 1
    assert f"content/site.yaml:{line}: error: 'editURL' must be an http(s) URL with {{path}}" in result.stderr, result.stderr


def test_a_failed_build_keeps_the_previous_site(run, workdir):
    assert run("build", "--now", NOW).returncode == 0
    before = {p: p.read_bytes() for p in (workdir / "public").rglob("*") if p.is_file()}
    (workdir / "content/site.yaml").write_text("title: [broken\n")
    result = run("build", "--now", NOW)
    assert result.returncode == 1
    assert "content/site.yaml:" in result.stderr
    after = {p: p.read_bytes() for p in (workdir / "public").rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in workdir.iterdir() if p.name.startswith(".public.") and p.name != ".public.lock"]


def test_raw_html_is_dropped_unless_site_yaml_allows_it(run, workdir):
    page = workdir / "content/docs/v2/webhooks.md"
    page.write_text(page.read_text() + '\n<div class="danger">raw</div>\n')
    assert run("build", "--now", NOW).returncode == 0
    assert '<div class="danger">' not in (workdir / "public/docs/v2/webhooks/index.html").read_text()
    site = workdir / "content/site.yaml"
    site.write_text(site.read_text() + "rawHTML: true\n")
    assert run("build", "--now", NOW).returncode == 0
    assert '<div class="danger">' in (workdir / "public/docs/v2/webhooks/index.html").read_text()


def test_broken_links_and_images_are_reported_at_their_lines_all_at_once(run, workdir):
    policy = workdir / "content" / "policies" / "privacy" / "2027-03-01.md"
    lines = policy.read_text().splitlines()
    policy.write_text("\n".join(lines + ["", "See [terms](../trems/) and [retention](#retentoin).", "", "![logo](images/logo.png)", ""]))
    result = run("check", "--now", "2026-11-21")
    assert result.returncode == 1
    first = len(lines) + 2
    assert (f"content/policies/privacy/2027-03-01.md:{first}: error: broken link '../trems/': "
            "the site has no page or file at /trems/; did you mean '/terms/'?") in result.stderr, result.stderr
    assert f"content/policies/privacy/2027-03-01.md:{first}: error: broken link '#retentoin'" in result.stderr
    assert f"content/policies/privacy/2027-03-01.md:{first + 2}: error: broken link 'images/logo.png': no such image" in result.stderr
    # The image beside the versions is published with the site.
    (workdir / "content" / "policies" / "privacy" / "images").mkdir()
    (workdir / "content" / "policies" / "privacy" / "images" / "logo.png").write_bytes(b"\x89PNG")
    policy.write_text("\n".join(lines + ["", "See [terms](../terms/).", "", "![logo](images/logo.png)", ""]))
    result = run("build", "--now", "2026-11-21")
    assert result.returncode == 0, result.stderr
    assert (workdir / "public" / "privacy" / "images" / "logo.png").read_bytes() == b"\x89PNG"
