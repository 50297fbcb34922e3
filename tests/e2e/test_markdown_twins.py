"""Markdown twins, llms.txt and `Accept: text/markdown`, end to end on the built sample site.

Proves that `redline build` writes an `index.md` twin for every published policy version,
translation, docs page and change notice (also at each policy's and the docs' own URL), none for
drafts; that over the whole site, both ways, each twin's front matter `sha256` and `url` are what
`manifest.json` lists for its text; that its body is the author's Markdown with links made absolute;
that `llms.txt` follows llmstxt.org and `llms-full.txt` is its twins in order; that `redline serve`
answers `Accept: text/markdown` with the twin's bytes and anything else with the page (`Vary:
Accept`); and that in Chromium "Copy page" copies exactly the twin, or shows it selected where the
browser refuses the clipboard, in the page's language."""
import json
import re
import shutil
import subprocess
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from browser import Browser, chromium_paths
from conftest import ROOT, Server
from helpers import request

NOW = "2026-11-21"
BASE = "https://legal.parcelbird.example/"
MARKDOWN = "text/markdown; charset=utf-8"
LONG = 300  # seconds: only a hung test ever gets near it, never a slow machine's answer


@pytest.fixture(scope="module")
def site(redline_bin, tmp_path_factory):
    """The sample site built once for NOW and served for the whole module."""
    workdir = tmp_path_factory.mktemp("twins")
    shutil.copytree(ROOT / "content", workdir / "content")
    shutil.copytree(ROOT / "templates", workdir / "templates")
    result = subprocess.run([str(redline_bin), "build", "--now", NOW], cwd=workdir, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr
    server = Server(redline_bin, workdir, workdir / "data" / "redline.sqlite").start()
    server.public = workdir / "public"
    yield server
    server.stop()


def split_twin(text: str) -> tuple[dict, str]:
    """(front matter, body). Every value must be a JSON-style string or a bare boolean."""
    assert text.startswith("---\n"), text[:80]
    head, body = text[4:].split("\n---\n", 1)
    meta = {key: json.loads(value) for key, value in (line.split(": ", 1) for line in head.split("\n"))}
    assert all(isinstance(value, (str, bool)) for value in meta.values()), head
    return meta, body


def twins(public: Path) -> dict[str, str]:
    """Every twin of the published site (not the as-of snapshots under .redline/), by path."""
    return {p.relative_to(public).as_posix(): p.read_text() for p in public.rglob("index.md")
            if ".redline" not in p.relative_to(public).parts}


def local(url: str) -> str:
    """An absolute URL under the baseURL as a path in public/ (a folder URL is its index.html)."""
    assert url.startswith(BASE), url
    path = url[len(BASE):].split("#")[0]
    return path + "index.html" if path.endswith("/") or not path else path


def twin_of(url: str) -> str:
    """Where the twin of the page at `url` is, under public/."""
    return local(url).removesuffix("index.html") + "index.md"


def manifest_entries(public: Path) -> tuple[dict, dict]:
    """manifest.json and every text it names, by URL: policy versions, translations, docs pages."""
    manifest = json.loads((public / "manifest.json").read_text())
    entries = {}
    for document in manifest["documents"]:
        for version in document["versions"]:
            entries[version["url"]] = {"sha256": version["sha256"], "document": document, "version": version}
            for locale, translation in version.get("translations", {}).items():
                entries[translation["url"]] = {"sha256": translation["sha256"], "document": document,
                                               "version": version, "locale": locale, "translation": translation}
    for docs in manifest["docs"]:
        for page in docs["pages"]:
            entries[page["url"]] = {"sha256": page["sha256"], "docs": docs, "page": page}
    return manifest, entries


OPTIONAL = {"docs": {"lastUpdated"}, "notice": set(), "policy": {"summary", "changes"}}
KEYS = {"docs": {"title", "docsVersion", "path", "status", "sha256", "url"},
        "notice": {"title", "document", "version", "previous", "effective", "status", "material", "locale", "summary",
                   "sha256", "url", "versionUrl", "previousUrl"},
        "policy": {"title", "document", "version", "effective", "status", "material", "locale", "binding", "sha256", "url"}}


def test_every_twin_carries_the_manifests_hash_and_url_and_every_manifest_text_has_its_twin(site):
    manifest, entries = manifest_entries(site.public)
    found = twins(site.public)
    canonical, aliases, notices = set(), {}, set()
    for path, text in found.items():
        meta, _ = split_twin(text)
        kind = "docs" if "docsVersion" in meta else "notice" if "previous" in meta else "policy"
        assert KEYS[kind] <= meta.keys() <= KEYS[kind] | OPTIONAL[kind], path
        # A change notice names the text of the version it introduces; every other twin its own.
        entry = entries[meta.get("versionUrl", meta["url"])]
        assert meta["sha256"] == entry["sha256"], path
        # A twin lives at its own page's URL, or is the same bytes at the URL of what is in force.
        if path == twin_of(meta["url"]):
            canonical.add(meta["url"])
        else:
            assert text == found[twin_of(meta["url"])], path
            aliases[path] = meta["url"]
        if kind == "docs":
            page, docs = entry["page"], entry["docs"]
            status = "deprecated" if page["deprecated"] else "latest" if docs["latest"] else "older"
            assert (meta["title"], meta["docsVersion"], meta["path"], meta["status"]) == (page["title"], docs["version"], page["path"], status), path
            continue
        version, translation = entry["version"], entry.get("translation")
        assert (meta["document"], meta["version"], meta["effective"], meta["status"], meta["material"], meta["locale"]) == (
            entry["document"]["id"], version["effective"], version["effective"], version["status"], version["material"],
            entry["locale"] if translation else "en-GB"), path
        assert meta.get("summary") == (translation or version)["summary"], path
        if kind == "notice":
            assert meta["previous"] == entries[meta["previousUrl"]]["version"]["effective"] < meta["effective"], path
            assert translation or meta["url"] == version["changesUrl"], path
            notices.add(meta["url"])
        else:
            assert (meta["title"], meta["binding"]) == ((translation or version)["title"], not translation), path
            assert translation or meta.get("changes") == version["changesUrl"], path

    # The other way round: every text in the manifest has its twin ...
    assert canonical - notices == set(entries)
    # ... every version after the first its change notice, and a translation after an earlier one
    # in its language a localized notice ...
    expected_notices = {v["changesUrl"] for d in manifest["documents"] for v in d["versions"] if v["changesUrl"]}
    expected_aliases = {"docs/index.md": next(d for d in manifest["docs"] if d["latest"])["url"]}
    for document in manifest["documents"]:
        in_force = [v for v in document["versions"] if v["status"] != "upcoming"]
        expected_aliases[f"{document['id']}/index.md"] = in_force[-1]["url"]
        for locale in {locale for v in document["versions"] for locale in v.get("translations", {})}:
            translated = [v for v in document["versions"] if locale in v.get("translations", {})]
            expected_notices |= {f"{BASE}{locale}/{document['id']}/changes/{v['effective']}/" for v in translated[1:]}
            expected_aliases[f"{locale}/{document['id']}/index.md"] = [
                v for v in in_force if locale in v.get("translations", {})][-1]["translations"][locale]["url"]
    assert notices == expected_notices
    # ... and each policy, translation and the docs have their twin at their own URL: the one in force.
    assert aliases == expected_aliases


def test_a_twin_is_the_authors_markdown_with_links_made_absolute(site):
    found = twins(site.public)
    # A policy version: front matter, its title as the H1, then the file's text exactly.
    source = (ROOT / "content/policies/privacy/2026-06-01.md").read_text().split("\n---\n", 1)[1]
    assert split_twin(found["privacy/2026-06-01/index.md"])[1] == "\n# Privacy Policy\n" + source
    # A docs page whose links point at another version, at a source file and at a page below it.
    source = (ROOT / "content/docs/v1/index.md").read_text().split("\n---\n", 1)[1]
    for relative, absolute in [("(../v2/)", "docs/v2/"), ("(authentication.md)", "docs/v1/authentication/"),
                               ("(shipments/create/)", "docs/v1/shipments/create/")]:
        assert relative in source
        source = source.replace(relative, f"({BASE}{absolute})")
    assert split_twin(found["docs/v1/index.md"])[1] == "\n# Parcelbird API v1\n" + source
    for path, text in found.items():
        meta, body = split_twin(text)
        prose = re.sub(r"^```.*?^```", "", body, flags=re.M | re.S)
        # One H1, first: the title (no sample page brings its own).
        assert re.findall(r"^# .*", prose, re.M) == ["# " + meta["title"]] and body.startswith("\n# "), path
        for target in re.findall(r"\]\(([^)\s]+)\)", prose):
            assert (site.public / local(target)).exists(), f"{path}: {target} is not absolute or leads nowhere"


def test_drafts_have_no_twin_even_in_a_drafts_build(run, workdir):
    (workdir / "content/policies/terms/2027-01-01.md").write_text(
        "---\ntitle: Terms of Service\neffective: 2027-01-01\nmaterial: true\nsummary: Not agreed yet.\ndraft: true\n---\n\nDraft terms.\n")
    (workdir / "content/docs/v2/beta.md").write_text("---\ntitle: Beta\ndraft: true\n---\n\nNot yet.\n")
    result = run("build", "--now", NOW, "--drafts", "--output", "review")
    assert result.returncode == 0, result.stderr
    for page in ["terms/2027-01-01/", "terms/changes/2027-01-01/", "docs/v2/beta/"]:
        html = (workdir / "review" / page / "index.html").read_text()
        assert not (workdir / "review" / page / "index.md").exists(), page
        assert "text/markdown" not in html and "copy-page" not in html, f"{page} links a twin that does not exist"
    for llms in ["llms.txt", "llms-full.txt", "docs/v2/llms.txt", "docs/v2/llms-full.txt"]:
        text = (workdir / "review" / llms).read_text()
        assert "2027-01-01" not in text and "Not agreed yet" not in text and "/beta/" not in text, llms


ITEM = re.compile(r"- \[([^\]]+)\]\((\S+)\)(?:: (.+))?")


def parse_llms(text: str) -> tuple[str, str, dict[str, list[str]]]:
    """Checks the llmstxt.org structure; returns (H1, summary, {H2 section: linked URLs})."""
    lines = text.rstrip("\n").split("\n")
    assert lines[0].startswith("# ") and lines[1] == "" and lines[2].startswith("> "), text[:200]
    assert [line for line in lines if line.startswith("# ")] == [lines[0]], "exactly one H1, first"
    sections, current = {}, None
    for line in lines[3:]:
        if line.startswith("#"):
            assert line.startswith("## "), f"after the summary only H2 sections: {line!r}"
            current = sections.setdefault(line[3:], [])
        elif line and current is not None:
            item = ITEM.fullmatch(line)
            assert item, f"a section holds only `- [name](url)` or `- [name](url): notes` items: {line!r}"
            current.append(item.group(2))
    assert sections and all(sections.values()), "H2 sections, none empty"
    return lines[0][2:], lines[2][2:], sections


def test_llms_txt_follows_the_proposal_and_llms_full_txt_is_its_twins_in_order(site):
    public = site.public
    manifest, _ = manifest_entries(public)
    description = re.search(r"^description: (.+)$", (ROOT / "content/site.yaml").read_text(), re.M).group(1)
    md = lambda url: url + "index.md"  # noqa: E731 (a page's twin)
    latest = next(d for d in manifest["docs"] if d["latest"])
    year_ago = (date.fromisoformat(NOW) - timedelta(days=365)).isoformat()
    listed = {}
    for folder in ["", *(f"docs/{d['version']}/" for d in manifest["docs"])]:
        title, summary, sections = parse_llms((public / folder / "llms.txt").read_text())
        links = [url for urls in sections.values() for url in urls]
        assert len(links) == len(set(links)), folder
        for url in links:
            assert (public / local(url)).is_file(), f"{folder}llms.txt links {url}, which is not in public/"
        listed[folder] = links
        if folder:
            docs = next(d for d in manifest["docs"] if folder == f"docs/{d['version']}/")
            assert title == f"{manifest['site']['title']}: API documentation {docs['version']}"
            assert set(links) == {md(page["url"]) for page in docs["pages"]}
        else:
            assert (title, summary) == (manifest["site"]["title"], description)
            must = {md(d["url"]) for d in manifest["documents"]}  # each policy in force
            must |= {md(v["url"]) for d in manifest["documents"] for v in d["versions"] if v["status"] == "upcoming"}
            must |= {md(page["url"]) for page in latest["pages"]}
            must |= {md(v["changesUrl"]) for d in manifest["documents"] for v in d["versions"]
                     if v["changesUrl"] and v["effective"] >= year_ago}
            must |= {f"{BASE}{locale}/{d['id']}/index.md" for d in manifest["documents"] for v in d["versions"]
                     if v["status"] != "upcoming" for locale in v.get("translations", {})}  # the translations in force
            assert must <= set(links), must - set(links)
            assert sections["Optional"] == [d["url"] + "llms.txt" for d in manifest["docs"] if not d["latest"]]
    for folder, links in listed.items():
        # Whole twins, one after another, nothing else between them.
        full, position = (public / folder / "llms-full.txt").read_text(), 0
        for url in (url for url in links if url.endswith("/index.md")):
            twin = (public / local(url)).read_text()
            found = full.find(twin, position)
            assert found >= 0, f"{folder}llms-full.txt lacks {url}, or has it out of order"
            assert full[position:found].strip() == "", f"{folder}llms-full.txt has more than twins before {url}"
            position = found + len(twin)
        assert full[position:].strip() == "", f"{folder}llms-full.txt has more than twins at its end"


def vary_accept(headers) -> bool:
    return "accept" in [part.strip().lower() for part in (headers["Vary"] or "").split(",")]


def test_the_server_answers_markdown_to_whoever_asks_for_it_and_the_page_to_everyone_else(site):
    twin = (site.public / "privacy/index.md").read_text()
    html = (site.public / "privacy/index.html").read_text()
    for method in ("GET", "HEAD"):
        status, headers, body = request(method, site.base + "/privacy/", headers={"Accept": "text/markdown"})
        assert (status, headers["Content-Type"], headers["Content-Location"]) == (200, MARKDOWN, "/privacy/index.md")
        assert vary_accept(headers) and body == (twin if method == "GET" else "")
        assert int(headers["Content-Length"]) == len(twin.encode())
        status, headers, body = request(method, site.base + "/privacy/index.md")
        assert (status, headers["Content-Type"], body) == (200, MARKDOWN, twin if method == "GET" else "")
    # A browser's Accept, a client that takes anything, none at all, and an 8 kB one that asks for
    # Markdown first: the HTML page (a header that long is not read, and not an error either).
    huge = "text/markdown, " + ", ".join(f"application/x-filler-{n};q=0.1" for n in range(400))
    huge = huge[:8192].rsplit(",", 1)[0]
    assert len(huge) > 8000
    for accept in ["text/html,text/markdown;q=0.9", "*/*", None, huge]:
        status, headers, body = request("GET", site.base + "/privacy/", headers={"Accept": accept} if accept else {})
        assert (status, headers["Content-Type"], body) == (200, "text/html; charset=utf-8", html), accept and accept[:40]
        assert vary_accept(headers) and headers["Content-Location"] is None
    # Pages with no twin stay HTML whatever is asked.
    for path in ["/", "/search/"]:
        status, headers, body = request("GET", site.base + path, headers={"Accept": "text/markdown"})
        assert (status, headers["Content-Type"]) == (200, "text/html; charset=utf-8") and body.startswith("<!doctype html>"), path


class PageActions(HTMLParser):
    """The twin a page announces: <link rel=alternate>, and in p.page-actions the Markdown link and button."""
    alternates, links, buttons, scripts, inside = (), (), (), (), False

    def handle_starttag(self, tag, attrs):
        attrs, self.inside = dict(attrs), self.inside or (tag == "p" and dict(attrs).get("class") == "page-actions")
        if tag == "link" and attrs.get("rel") == "alternate" and attrs.get("type") == "text/markdown":
            self.alternates += (attrs["href"],)
        self.links += (attrs["href"],) if self.inside and attrs.get("class") == "markdown-link" else ()
        self.buttons += ((attrs["data-markdown"], "hidden" in attrs),) if self.inside and attrs.get("class") == "copy-page" else ()
        self.scripts += (attrs["src"],) if tag == "script" and "src" in attrs else ()

    def handle_endtag(self, tag):
        self.inside = self.inside and tag != "p"


def test_every_page_with_a_twin_links_it_and_no_other_page_claims_one(site):
    found = twins(site.public)
    pages = [p for p in site.public.rglob("index.html") if ".redline" not in p.relative_to(site.public).parts]
    for page in pages:
        parser = PageActions()
        parser.feed(page.read_text())
        twin = page.relative_to(site.public).as_posix().removesuffix("index.html") + "index.md"
        if twin not in found:
            assert not (parser.alternates or parser.links or parser.buttons), page
            continue
        # /docs/ names v2's landing twin, the same bytes as its own: what matters is the text.
        (href,) = set(parser.alternates)
        assert parser.links == (href,) and parser.buttons == ((href, True),), page  # hidden until its script runs
        assert found[href.lstrip("/")] == found[twin] and "/assets/copy-page.js" in parser.scripts, page


@pytest.fixture(scope="module")
def chromium(site):
    """A reader who has answered the banner (so it covers no button) and lets the site use the clipboard."""
    try:
        chromium_paths()
    except RuntimeError as error:
        pytest.skip(f"Copy page is tried in Chromium, which is absent: {error}")
    browser = Browser(site.base)
    browser.driver.set_script_timeout(LONG)
    browser.open("/")
    browser.wait(browser.banner, timeout=LONG).find_element("css selector", "[data-action=reject-all]").click()
    browser.wait(lambda: (browser.cookie_state() or {}).get("receipt"), timeout=LONG, message="the choice was not recorded")
    browser.driver.execute_cdp_cmd("Browser.grantPermissions", {
        "origin": site.base, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    yield browser
    browser.quit()


def click_copy_page(browser: Browser, path: str, label: str) -> str:
    """Opens the page, clicks its Copy page button once the script has shown it; the status said."""
    browser.open(path)
    button = browser.wait(lambda: browser.find("button.copy-page").is_displayed() and browser.find("button.copy-page"),
                          timeout=LONG, message="copy-page.js did not show the button")
    assert button.text == label
    button.click()
    return browser.wait(lambda: browser.find(".copy-page-status").text, timeout=LONG, message="no status after the click")


def clipboard(browser: Browser) -> str:
    return browser.driver.execute_async_script(
        "const done = arguments[0]; navigator.clipboard.readText().then(done, e => done('readText failed: ' + e));")


def test_copy_page_puts_exactly_the_twin_on_the_clipboard(chromium, site, tmp_path):
    assert click_copy_page(chromium, "/docs/v2/webhooks/", "Copy page") == "Copied as Markdown."
    assert clipboard(chromium) == (site.public / "docs/v2/webhooks/index.md").read_text()
    shot = tmp_path / "docs-page-copy-button.png"
    chromium.screenshot(shot)  # for people to look at: the Markdown link, the button and its status
    print(f"screenshot: {shot}")
    # The German page in its own words, copying its own twin.
    assert click_copy_page(chromium, "/de/privacy/", "Seite kopieren") == "Als Markdown kopiert."
    assert clipboard(chromium) == (site.public / "de/privacy/index.md").read_text()


def test_without_a_clipboard_the_twin_is_shown_selected_for_copying_by_hand(chromium, site):
    chromium.open("/privacy/changes/2027-03-01/")
    chromium.wait(lambda: chromium.find("button.copy-page").is_displayed(), timeout=LONG)
    chromium.js("Object.defineProperty(navigator, 'clipboard', {value: undefined, configurable: true});")
    chromium.find("button.copy-page").click()
    chromium.wait(lambda: chromium.find_all("textarea.copy-page-text"), timeout=LONG, message="no box with the Markdown")
    value, start, end, length = chromium.js(
        "const box = document.querySelector('textarea.copy-page-text');"
        "return [box.value, box.selectionStart, box.selectionEnd, box.value.length];")
    assert value == (site.public / "privacy/changes/2027-03-01/index.md").read_text()
    assert (start, end) == (0, length), "the whole Markdown is selected"
    assert chromium.find(".copy-page-status").text.startswith("Your browser did not let the page copy")
